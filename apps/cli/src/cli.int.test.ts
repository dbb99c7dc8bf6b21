import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../bin/slipway.js", import.meta.url));

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      "node",
      [bin, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

// The real binary, run as a user would, against a real HTTP server that answers /healthz.
describe("slipway health", () => {
  let server: Server;
  let url: string;
  let report: unknown;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(report));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("prints each dependency and exits 0 when healthy", async () => {
    report = { status: "ok", checks: { database: { status: "ok", latencyMs: 2 } } };
    const result = await runCli(["health", "--url", url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/database\s+ok\s+2 ms/);
  });

  it("exits 1 when the server reports an error", async () => {
    report = { status: "error", checks: { redis: { status: "error", error: "down" } } };
    const result = await runCli(["health"], { SLIPWAY_URL: url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("down");
  });

  it("explains an unreachable server instead of crashing", async () => {
    const result = await runCli(["health", "--url", "http://127.0.0.1:9"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach Slipway at http://127.0.0.1:9");
  });

  it("shows help listing its commands", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("health");
  });
});
