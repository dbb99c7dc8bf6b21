import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CheckResult,
  checkClickhouseViaIngest,
  checkRedis,
  type HealthChecks,
  runCheck,
  runHealthChecks,
} from "./checks.server";

const ok = async (): Promise<CheckResult> => ({ status: "ok", latencyMs: 1 });
const failing = async (): Promise<CheckResult> => ({
  status: "error",
  latencyMs: 1,
  error: "down",
});
const idle = async (): Promise<CheckResult> => ({ status: "idle", latencyMs: 1 });

function checks(overrides: Partial<HealthChecks> = {}): HealthChecks {
  return { database: ok, redis: ok, clickhouse: ok, builders: ok, ...overrides };
}

describe("runCheck", () => {
  it("turns a throw into an error result", async () => {
    const result = await runCheck(async () => {
      throw new Error("boom");
    });
    expect(result).toMatchObject({ status: "error", error: "boom" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("answers by the deadline and aborts the check", async () => {
    let aborted = false;
    const started = Date.now();
    const result = await runCheck(
      (signal) =>
        new Promise<CheckResult>(() => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
        }),
      50,
    );
    expect(result).toMatchObject({ status: "error", error: "timed out after 50 ms" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(aborted).toBe(true);
  });
});

describe("runHealthChecks", () => {
  it("is ok and 200 when everything is healthy (idle builders count as healthy)", async () => {
    const { httpStatus, report } = await runHealthChecks(checks({ builders: idle }));
    expect(httpStatus).toBe(200);
    expect(report.status).toBe("ok");
    expect(Object.keys(report.checks).sort()).toEqual([
      "builders",
      "clickhouse",
      "database",
      "redis",
    ]);
  });

  it("is degraded but 200 when only clickhouse or builders fail", async () => {
    const { httpStatus, report } = await runHealthChecks(checks({ clickhouse: failing }));
    expect(httpStatus).toBe(200);
    expect(report.status).toBe("degraded");
    expect(report.checks.clickhouse).toMatchObject({ status: "error", error: "down" });
  });

  it.each(["database", "redis"] as const)("is 503 when %s fails", async (name) => {
    const { httpStatus, report } = await runHealthChecks(checks({ [name]: failing }));
    expect(httpStatus).toBe(503);
    expect(report.status).toBe("error");
  });

  it("is 503 when the database hangs", async () => {
    const hang = () => new Promise<CheckResult>(() => {});
    const { httpStatus, report } = await runHealthChecks(checks({ database: hang }), 50);
    expect(httpStatus).toBe(503);
    expect(report.checks.database.error).toContain("timed out");
  });
});

describe("checkClickhouseViaIngest", () => {
  let server: Server | undefined;

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise((resolve) => running.close(resolve));
  });

  async function ingest(status: number, body: unknown, delayMs = 0): Promise<string> {
    server = createServer((req, res) => {
      expect(req.url).toBe("/healthz");
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      }, delayMs);
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("reports ingest's clickhouse check, even when ingest itself answers 503", async () => {
    const url = await ingest(503, {
      status: "error",
      checks: { database: { status: "error" }, clickhouse: { status: "ok", latencyMs: 3 } },
    });
    expect(await checkClickhouseViaIngest(url)).toEqual({
      status: "ok",
      latencyMs: 3,
      via: `${url}/healthz`,
    });
  });

  it("passes on ingest's error for clickhouse", async () => {
    const url = await ingest(503, {
      checks: { clickhouse: { status: "error", latencyMs: 2, error: "engine not started" } },
    });
    expect(await checkClickhouseViaIngest(url)).toMatchObject({
      status: "error",
      error: "engine not started",
    });
  });

  it("is an error when ingest does not report clickhouse", async () => {
    const url = await ingest(200, { status: "ok", checks: {} });
    expect(await checkClickhouseViaIngest(url)).toMatchObject({
      status: "error",
      error: "ingest /healthz did not report a clickhouse check",
    });
  });

  it("is an error when ingest answers something other than JSON", async () => {
    const url = await ingest(502, "<html>bad gateway</html>");
    const result = await checkClickhouseViaIngest(url);
    expect(result.status).toBe("error");
    expect(result.error).toContain("ingest is unreachable");
  });

  it("is an error naming the address when nothing listens there", async () => {
    const url = await ingest(200, {});
    const address = server?.address() as AddressInfo;
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const result = await checkClickhouseViaIngest(`http://127.0.0.1:${address.port}`);
    expect(result.status).toBe("error");
    expect(result.error).toContain(`ingest is unreachable at ${url}/healthz`);
  });

  it("gives up after the health deadline when ingest hangs", async () => {
    const url = await ingest(200, { checks: { clickhouse: { status: "ok" } } }, 5_000);
    const result = await runCheck((signal) => checkClickhouseViaIngest(url, signal), 100);
    expect(result).toMatchObject({ status: "error" });
    expect(result.latencyMs).toBeLessThan(1_000);
  });
});

describe("checkRedis", () => {
  it("is an error, quickly, when nothing listens", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const result = await checkRedis(`redis://127.0.0.1:${port}`, 500);
    expect(result.status).toBe("error");
    expect(result.error).toContain("ECONNREFUSED");
    expect(result.latencyMs).toBeLessThan(1_500);
  });
});
