import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultStateDir, loadEnv, parseEnv } from "./env.server";

const defaults = { stateDir: "/srv/slipway/state" };

describe("parseEnv", () => {
  it("works with no variables set", () => {
    const result = parseEnv({}, defaults);
    expect(result).toEqual({
      ok: true,
      env: {
        NODE_ENV: "development",
        WEB_HOST: "127.0.0.1",
        WEB_PORT: 3000,
        DATABASE_URL: "postgresql://slipway:slipway@127.0.0.1:15432/slipway",
        REDIS_URL: "redis://127.0.0.1:16379",
        INGEST_URL: "http://127.0.0.1:3100",
        SLIPWAY_STATE_DIR: "/srv/slipway/state",
        WEB_TRUST_PROXY: false,
      },
    });
  });

  it("reads every variable and coerces the port", () => {
    const result = parseEnv(
      {
        NODE_ENV: "production",
        WEB_HOST: "0.0.0.0",
        WEB_PORT: "8080",
        DATABASE_URL: "postgres://u:p@db.internal:5432/slipway",
        REDIS_URL: "rediss://cache.internal:6380",
        INGEST_URL: "https://ingest.internal",
        SLIPWAY_STATE_DIR: "/var/lib/slipway",
      },
      defaults,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.WEB_PORT).toBe(8080);
    expect(result.env.NODE_ENV).toBe("production");
    expect(result.env.SLIPWAY_STATE_DIR).toBe("/var/lib/slipway");
  });

  it("treats empty strings as unset", () => {
    const result = parseEnv({ WEB_PORT: "", REDIS_URL: "" }, defaults);
    expect(result.ok && result.env.WEB_PORT).toBe(3000);
    expect(result.ok && result.env.REDIS_URL).toBe("redis://127.0.0.1:16379");
  });

  it("names each bad variable", () => {
    const result = parseEnv(
      {
        WEB_PORT: "70000",
        DATABASE_URL: "mysql://root@localhost/db",
        REDIS_URL: "not a url",
        INGEST_URL: "ftp://ingest",
        NODE_ENV: "staging",
      },
      defaults,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.errors.map((e) => e.split(":")[0]);
    expect(names.sort()).toEqual(
      ["DATABASE_URL", "INGEST_URL", "NODE_ENV", "REDIS_URL", "WEB_PORT"].sort(),
    );
    expect(result.errors.join("\n")).toContain("WEB_PORT: must be a port number");
  });

  it("rejects a non-numeric port", () => {
    const result = parseEnv({ WEB_PORT: "abc" }, defaults);
    expect(result).toEqual({
      ok: false,
      errors: ["WEB_PORT: must be a port number between 1 and 65535"],
    });
  });

  it("never echoes a value, which may hold credentials", () => {
    const result = parseEnv({ DATABASE_URL: "mysql://root:hunter2@db/x" }, defaults);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join("\n")).not.toContain("hunter2");
  });
});

describe("loadEnv", () => {
  afterEach(() => vi.restoreAllMocks());

  it("exits with a message naming the bad variables", () => {
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as typeof process.exit);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => loadEnv({ WEB_PORT: "0", REDIS_URL: "http://x" })).toThrow("exit 1");
    expect(exit).toHaveBeenCalledWith(1);
    const message = String(error.mock.calls[0]?.[0]);
    expect(message).toContain("WEB_PORT");
    expect(message).toContain("REDIS_URL");
  });

  it("returns the parsed env when valid", () => {
    expect(loadEnv({ WEB_PORT: "3001" }).WEB_PORT).toBe(3001);
  });
});

describe("defaultStateDir", () => {
  it("finds the workspace root above the working directory", () => {
    const root = mkdtempSync(join(tmpdir(), "slipway-env-"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ workspaces: ["apps/*"] }));
    const app = join(root, "apps", "web");
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "@slipway/web" }));
    expect(defaultStateDir(app)).toBe(join(root, ".slipway"));
  });
});
