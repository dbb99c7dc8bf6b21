import { join } from "node:path";
import { findRepoRoot } from "@slipway/telemetry/paths";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.ts";

function problems(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
}

describe("ingest env", () => {
  it("works with no variables at all", () => {
    expect(loadEnv({})).toEqual({
      INGEST_HOST: "127.0.0.1",
      INGEST_PORT: 3100,
      DATABASE_URL: "postgresql://slipway:slipway@127.0.0.1:15432/slipway",
      REDIS_URL: "redis://127.0.0.1:16379",
      SLIPWAY_STATE_DIR: join(findRepoRoot(), ".slipway"),
      CLICKHOUSE_URL: undefined,
      LOG_LEVEL: "info",
      INGEST_HEALTH_TIMEOUT_MS: 2000,
      INGEST_WORKER: "on",
      INGEST_QUEUE_PREFIX: "slipway",
      INGEST_MAX_BODY_BYTES: 5 * 1024 * 1024,
      INGEST_MAX_EVENTS: 10_000,
      INGEST_MAX_BACKLOG: 2_000,
      INGEST_JOB_ATTEMPTS: 8,
      INGEST_RETRY_DELAY_MS: 1_000,
      INGEST_FLUSH_ROWS: 20_000,
      INGEST_FLUSH_MS: 200,
      INGEST_WORKER_CONCURRENCY: 16,
      INGEST_REDIS_FSYNC: "always",
      INGEST_SERVICE_TOKEN: undefined,
    });
  });

  it("reads INGEST_REDIS_FSYNC and names a bad value", () => {
    expect(loadEnv({ INGEST_REDIS_FSYNC: "EverySec" })).toMatchObject({
      INGEST_REDIS_FSYNC: "everysec",
    });
    expect(problems({ INGEST_REDIS_FSYNC: "never" })).toEqual([
      'INGEST_REDIS_FSYNC: expected always or everysec, got "never"',
    ]);
  });

  it("reads the pipeline settings and names bad ones", () => {
    expect(
      loadEnv({ INGEST_WORKER: "OFF", INGEST_MAX_EVENTS: "500", INGEST_FLUSH_MS: "0" }),
    ).toMatchObject({ INGEST_WORKER: "off", INGEST_MAX_EVENTS: 500, INGEST_FLUSH_MS: 0 });
    expect(problems({ INGEST_WORKER: "maybe", INGEST_SERVICE_TOKEN: "short" })).toEqual([
      'INGEST_WORKER: expected on or off, got "maybe"',
      'INGEST_SERVICE_TOKEN: expected a token of at least 32 characters, got "short"',
    ]);
  });

  it("treats empty variables as unset", () => {
    expect(loadEnv({ INGEST_PORT: "", CLICKHOUSE_URL: " ", LOG_LEVEL: "" })).toMatchObject({
      INGEST_PORT: 3100,
      CLICKHOUSE_URL: undefined,
      LOG_LEVEL: "info",
    });
  });

  it("takes the given values", () => {
    expect(
      loadEnv({
        INGEST_HOST: "0.0.0.0",
        INGEST_PORT: "8080",
        DATABASE_URL: "postgres://u:p@db:5432/x",
        REDIS_URL: "rediss://cache:6380/1",
        SLIPWAY_STATE_DIR: "/srv/slipway",
        CLICKHOUSE_URL: "http://default:pw@ch:8123/slipway",
        LOG_LEVEL: "DEBUG",
        INGEST_HEALTH_TIMEOUT_MS: "500",
      }),
    ).toMatchObject({
      INGEST_HOST: "0.0.0.0",
      INGEST_PORT: 8080,
      DATABASE_URL: "postgres://u:p@db:5432/x",
      REDIS_URL: "rediss://cache:6380/1",
      SLIPWAY_STATE_DIR: "/srv/slipway",
      CLICKHOUSE_URL: "http://default:pw@ch:8123/slipway",
      LOG_LEVEL: "debug",
      INGEST_HEALTH_TIMEOUT_MS: 500,
    });
  });

  it("names every bad variable with what it expected and what it got", () => {
    expect(
      problems({
        INGEST_PORT: "abc",
        DATABASE_URL: "mysql://x",
        REDIS_URL: "localhost:6379",
        CLICKHOUSE_URL: "clickhouse://x",
        LOG_LEVEL: "loud",
        INGEST_HOST: "my host",
      }),
    ).toEqual([
      'INGEST_HOST: expected a host name or IP address, got "my host"',
      'INGEST_PORT: expected a port number 1-65535, got "abc"',
      'DATABASE_URL: expected a postgresql:// URL, got "mysql://x"',
      'REDIS_URL: expected a redis:// or rediss:// URL, got "localhost:6379"',
      'CLICKHOUSE_URL: expected an http:// or https:// URL of a ClickHouse server, got "clickhouse://x"',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it("rejects ports out of range", () => {
    for (const port of ["0", "65536", "-1", "80.5"]) {
      expect(problems({ INGEST_PORT: port })).toEqual([
        `INGEST_PORT: expected a port number 1-65535, got "${port}"`,
      ]);
    }
  });

  it("has a message listing the problems", () => {
    expect(() => loadEnv({ INGEST_PORT: "abc" })).toThrow(
      'invalid environment:\n  INGEST_PORT: expected a port number 1-65535, got "abc"',
    );
  });
});
