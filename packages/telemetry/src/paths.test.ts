import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clickhouseDataPath, findRepoRoot, resolveStateDir } from "./paths.ts";

describe("state directory", () => {
  it("finds the workspace root above this package", () => {
    const root = findRepoRoot();
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.workspaces).toBeDefined();
    expect(existsSync(join(root, "packages", "telemetry"))).toBe(true);
  });

  it("defaults to <root>/.slipway and honours SLIPWAY_STATE_DIR", () => {
    expect(resolveStateDir({})).toBe(join(findRepoRoot(), ".slipway"));
    expect(resolveStateDir({ SLIPWAY_STATE_DIR: "  " })).toBe(join(findRepoRoot(), ".slipway"));
    expect(resolveStateDir({ SLIPWAY_STATE_DIR: "/srv/slipway" })).toBe("/srv/slipway");
    expect(clickhouseDataPath("/srv/slipway")).toBe("/srv/slipway/clickhouse");
  });
});
