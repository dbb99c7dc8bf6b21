import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkClickhouseViaIngest, checkRedis } from "./checks.server";
import { checkBuilders, checkPostgres, healthResponse } from "./healthz.server";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:16379";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

describe("GET /healthz against the real services", () => {
  it("is 200 when database and redis answer, whatever ingest and builders say", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "slipway-web-health-"));
    const response = await healthResponse({
      database: () => checkPostgres(testDb.db),
      redis: () => checkRedis(REDIS_URL),
      // Nothing listens on port 9 of loopback: ingest is unreachable.
      clickhouse: (signal) => checkClickhouseViaIngest("http://127.0.0.1:9", signal),
      builders: () => checkBuilders(stateDir),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as {
      status: string;
      checks: Record<string, { status: string; latencyMs: number; error?: string }>;
    };
    expect(body.checks.database?.status).toBe("ok");
    expect(body.checks.redis?.status).toBe("ok");
    expect(body.checks.clickhouse?.status).toBe("error");
    expect(body.checks.clickhouse?.error).toContain("ingest is unreachable");
    expect(["ok", "idle", "error"]).toContain(body.checks.builders?.status);
    expect(body.status).toBe("degraded");
    for (const check of Object.values(body.checks)) {
      expect(typeof check.latencyMs).toBe("number");
    }
  });

  it("is 503 when redis is down", async () => {
    const response = await healthResponse({
      database: () => checkPostgres(testDb.db),
      redis: () => checkRedis("redis://127.0.0.1:9", 500),
      clickhouse: async () => ({ status: "ok", latencyMs: 0 }),
      builders: async () => ({ status: "idle", latencyMs: 0 }),
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { status: string }).status).toBe("error");
  });
});
