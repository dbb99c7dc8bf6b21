import { describe, expect, it } from "vitest";
import { enginePaths } from "./paths.ts";

describe("enginePaths", () => {
  it("keeps every file of a shallow state directory inside it", () => {
    const paths = enginePaths("/srv/slipway", "proj-amd64-main");
    expect(paths.dataRoot).toBe("/srv/slipway/builders/proj-amd64-main/data");
    expect(paths.socketPath).toBe("/srv/slipway/builders/proj-amd64-main/run/docker.sock");
  });

  it("moves sockets out of a state directory too deep for a Unix socket path", () => {
    const deep = `/work/${"nested/".repeat(12)}.slipway`;
    const paths = enginePaths(deep, "proj-amd64-main");
    expect(paths.dataRoot.startsWith(deep)).toBe(true);
    expect(paths.socketPath.startsWith("/tmp/slipway-")).toBe(true);
    expect(`${paths.execRoot}/containerd/containerd-debug.sock`.length).toBeLessThanOrEqual(100);
    expect(enginePaths(deep, "other").socketPath).not.toBe(paths.socketPath);
  });
});
