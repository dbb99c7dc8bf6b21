import type { BuilderEnginesHealth } from "@slipway/builder-core";
import { describe, expect, it } from "vitest";
import { type HealthChecks, runHealthChecks } from "./health.ts";

const ok = async () => ({ status: "ok" as const, latencyMs: 1 });
const idle = async (): Promise<BuilderEnginesHealth> => ({
  status: "idle",
  latencyMs: 1,
  engines: [],
  detail: "no builder running",
});
const healthy: HealthChecks = {
  database: ok,
  redis: ok,
  clickhouse: async () => ({ status: "ok", latencyMs: 1, version: "26.7.2.1" }),
  builders: idle,
};

describe("runHealthChecks", () => {
  it("is ok when the required checks pass and builders are idle", async () => {
    const r = await runHealthChecks(healthy, 500);
    expect(r.status).toBe("ok");
    expect(r.checks.clickhouse.version).toBe("26.7.2.1");
  });

  it("is degraded (not failed) when only the builders are unhealthy", async () => {
    const r = await runHealthChecks(
      {
        ...healthy,
        builders: async () => ({ status: "error", latencyMs: 2, engines: [], detail: "x" }),
      },
      500,
    );
    expect(r.status).toBe("degraded");
  });

  it("fails when a required dependency fails, naming it", async () => {
    const r = await runHealthChecks(
      { ...healthy, database: async () => ({ status: "error", latencyMs: 3, error: "refused" }) },
      500,
    );
    expect(r.status).toBe("error");
    expect(r.checks.database).toEqual({ status: "error", latencyMs: 3, error: "refused" });
  });

  it("turns a hung dependency into an error after the timeout instead of hanging", async () => {
    const never = () => new Promise<never>(() => {});
    const started = Date.now();
    const r = await runHealthChecks(
      { ...healthy, clickhouse: never, redis: never, builders: never },
      150,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.status).toBe("error");
    expect(r.checks.clickhouse).toMatchObject({
      status: "error",
      error: "no answer within 150 ms",
    });
    expect(r.checks.redis.status).toBe("error");
    expect(r.checks.builders).toMatchObject({ status: "error", detail: "no answer within 150 ms" });
    expect(r.checks.database.status).toBe("ok");
  });

  it("turns a throwing check into an error result", async () => {
    const r = await runHealthChecks(
      {
        ...healthy,
        redis: async () => {
          throw new Error("boom");
        },
      },
      500,
    );
    expect(r.checks.redis).toMatchObject({ status: "error", error: "boom" });
  });
});
