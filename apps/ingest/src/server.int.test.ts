import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@slipway/db/testing";
import { EmbeddedStore, migrateClickHouse, type TelemetryStore } from "@slipway/telemetry";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "./env.ts";
import type { HealthReport } from "./health.ts";
import { createRedis, lastRedisError } from "./redis.ts";
import { buildServer } from "./server.ts";

const REDIS_URL = process.env.REDIS_URL || DEFAULTS.REDIS_URL;
const quiet = { warn: () => {}, info: () => {} };

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const address = srv.address();
  await new Promise((r) => srv.close(r));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function ready(redis: Redis) {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`redis at ${REDIS_URL} not ready`)), 10_000);
    redis.once("ready", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function getHealth(app: FastifyInstance) {
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  const started = Date.now();
  const res = await fetch(`${address}/healthz`);
  return {
    code: res.status,
    body: (await res.json()) as HealthReport,
    ms: Date.now() - started,
  };
}

describe("ingest server with real PostgreSQL, Redis and an embedded ClickHouse", () => {
  let stateDir: string;
  let store: TelemetryStore;
  let database: TestDatabase;
  let redis: Redis;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-ingest-"));
    store = EmbeddedStore.open(join(stateDir, "clickhouse"));
    await migrateClickHouse(store);
    database = await createTestDatabase();
    redis = createRedis(REDIS_URL, quiet);
    await ready(redis);
  });

  afterAll(async () => {
    redis?.disconnect();
    await database?.drop();
    await store?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("GET /healthz answers 200 with every check ok", async () => {
    const app = await buildServer({ db: database.db, redis, store, stateDir });
    try {
      const { code, body } = await getHealth(app);
      expect(code).toBe(200);
      expect(body.status).toBe("ok");
      expect(body.checks.database).toMatchObject({ status: "ok" });
      expect(body.checks.redis).toMatchObject({ status: "ok" });
      expect(body.checks.clickhouse).toMatchObject({
        status: "ok",
        version: expect.stringMatching(/^\d+\./),
      });
      // No builder runs in this fresh state directory.
      expect(body.checks.builders).toMatchObject({ status: "idle", engines: [] });
      for (const check of Object.values(body.checks)) {
        expect(check.latencyMs).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
    }
  });

  it("answers 503 naming redis when Redis cannot be reached, quickly", async () => {
    const closedPort = await freePort();
    const badRedis = createRedis(`redis://127.0.0.1:${closedPort}`, quiet);
    const app = await buildServer({
      db: database.db,
      redis: badRedis,
      store,
      stateDir,
      healthTimeoutMs: 500,
    });
    try {
      // Let the first connection attempt fail, so the check can say why.
      for (let i = 0; i < 50 && !lastRedisError(badRedis); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const { code, body, ms } = await getHealth(app);
      expect(code).toBe(503);
      expect(body.status).toBe("error");
      expect(body.checks.redis.status).toBe("error");
      expect(body.checks.redis.error).toMatch(/not connected.*ECONNREFUSED/);
      expect(body.checks.database.status).toBe("ok");
      expect(body.checks.clickhouse.status).toBe("ok");
      expect(ms).toBeLessThan(2000);
    } finally {
      await app.close();
      badRedis.disconnect();
    }
  });
});

describe("ingest main (npm start)", () => {
  const main = fileURLToPath(new URL("./main.ts", import.meta.url));

  it("exits 1 naming the bad variable, without a stack trace", async () => {
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", main], {
      env: { ...process.env, INGEST_PORT: "abc", LOG_LEVEL: "loud" },
      timeout: 30_000,
    });
    const err = await run.then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toBe(
      "ingest: invalid environment:\n" +
        '  INGEST_PORT: expected a port number 1-65535, got "abc"\n' +
        '  LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n',
    );
  });

  it("starts, migrates, serves /healthz, and stops cleanly on SIGTERM", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "slipway-ingest-main-"));
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      env: {
        ...process.env,
        SLIPWAY_STATE_DIR: stateDir,
        INGEST_PORT: String(port),
        CLICKHOUSE_URL: "",
        LOG_LEVEL: "warn",
        // Checks the shared Redis's persistence without changing it (`always` would set it).
        INGEST_REDIS_FSYNC: "everysec",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 200));
      }
      expect(res?.status, output).toBe(200);
      const body = (await res?.json()) as HealthReport;
      expect(body.checks.clickhouse.status).toBe("ok");
      child.kill("SIGTERM");
      expect(await exited, output).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
