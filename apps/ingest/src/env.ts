import { resolveStateDir } from "@slipway/telemetry/paths";
import { z } from "zod";

/** Local development services started by scripts/start; production sets the URLs. */
export const DEFAULTS = {
  INGEST_HOST: "127.0.0.1",
  INGEST_PORT: 3100,
  DATABASE_URL: "postgresql://slipway:slipway@127.0.0.1:15432/slipway",
  REDIS_URL: "redis://127.0.0.1:16379",
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
} as const;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An optional variable: unset and empty both mean "use the default". */
function variable<T>(parse: (value: string, fail: (expected: string) => never) => T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const value = raw?.trim();
      if (value === undefined || value === "") return undefined;
      class Invalid extends Error {}
      try {
        return parse(value, (expected) => {
          throw new Invalid(`expected ${expected}, got ${JSON.stringify(raw)}`);
        });
      } catch (err) {
        if (!(err instanceof Invalid)) throw err;
        ctx.addIssue({ code: "custom", message: err.message, input: raw });
        return z.NEVER;
      }
    });
}

const integer = (min: number, max: number, expected: string) =>
  variable((v, fail) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) fail(expected);
    return n;
  });

const url = (schemes: string[], expected: string) =>
  variable((v, fail) => {
    if (!URL.canParse(v) || !schemes.includes(new URL(v).protocol)) fail(expected);
    return v;
  });

export const envSchema = z.object({
  INGEST_HOST: variable((v, fail) =>
    /^[A-Za-z0-9.:[\]-]+$/.test(v) ? v : fail("a host name or IP address"),
  ),
  INGEST_PORT: integer(1, 65_535, "a port number 1-65535"),
  DATABASE_URL: url(["postgres:", "postgresql:"], "a postgresql:// URL"),
  REDIS_URL: url(["redis:", "rediss:"], "a redis:// or rediss:// URL"),
  SLIPWAY_STATE_DIR: variable((v) => v),
  CLICKHOUSE_URL: url(["http:", "https:"], "an http:// or https:// URL of a ClickHouse server"),
  LOG_LEVEL: variable((v, fail) => {
    const level = v.toLowerCase();
    return (LOG_LEVELS as readonly string[]).includes(level)
      ? (level as (typeof LOG_LEVELS)[number])
      : fail(`one of ${LOG_LEVELS.join(", ")}`);
  }),
  INGEST_HEALTH_TIMEOUT_MS: integer(50, 60_000, "a timeout in milliseconds, 50-60000"),
  INGEST_WORKER: variable((v, fail) => {
    const value = v.toLowerCase();
    return value === "on" || value === "off" ? value : fail("on or off");
  }),
  INGEST_QUEUE_PREFIX: variable((v, fail) =>
    /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : fail("a Redis key prefix of [A-Za-z0-9_-], 1-64"),
  ),
  INGEST_MAX_BODY_BYTES: integer(1024, 256 * 1024 * 1024, "a size in bytes, 1024-268435456"),
  INGEST_MAX_EVENTS: integer(1, 1_000_000, "an event count, 1-1000000"),
  INGEST_MAX_BACKLOG: integer(1, 10_000_000, "a number of queued batches, 1-10000000"),
  INGEST_JOB_ATTEMPTS: integer(1, 100, "a number of attempts, 1-100"),
  INGEST_RETRY_DELAY_MS: integer(1, 3_600_000, "a delay in milliseconds, 1-3600000"),
  INGEST_FLUSH_ROWS: integer(1, 1_000_000, "a row count, 1-1000000"),
  INGEST_FLUSH_MS: integer(0, 60_000, "a delay in milliseconds, 0-60000"),
  INGEST_WORKER_CONCURRENCY: integer(1, 256, "a number of batches, 1-256"),
  INGEST_REDIS_FSYNC: variable((v, fail) => {
    const value = v.toLowerCase();
    return value === "always" || value === "everysec" ? value : fail("always or everysec");
  }),
  INGEST_SERVICE_TOKEN: variable((v, fail) =>
    v.length >= 32 ? v : fail("a token of at least 32 characters"),
  ),
});

export interface IngestEnv {
  INGEST_HOST: string;
  INGEST_PORT: number;
  DATABASE_URL: string;
  REDIS_URL: string;
  /** Absolute. */
  SLIPWAY_STATE_DIR: string;
  CLICKHOUSE_URL: string | undefined;
  LOG_LEVEL: (typeof LOG_LEVELS)[number];
  /** How long /healthz waits for each dependency. */
  INGEST_HEALTH_TIMEOUT_MS: number;
  /** Run the queue worker in this process ("off": run it elsewhere, e.g. `src/worker-main.ts`). */
  INGEST_WORKER: "on" | "off";
  /** BullMQ key prefix in Redis. */
  INGEST_QUEUE_PREFIX: string;
  /** Largest accepted request body, after gzip decompression. */
  INGEST_MAX_BODY_BYTES: number;
  /** Most events in one batch. */
  INGEST_MAX_EVENTS: number;
  /** Queued (waiting + delayed) batches above which POST /v1/events answers 429. */
  INGEST_MAX_BACKLOG: number;
  /** Tries per batch before it goes to the dead-letter queue. */
  INGEST_JOB_ATTEMPTS: number;
  /** First retry delay; doubles on each attempt. */
  INGEST_RETRY_DELAY_MS: number;
  /** The worker inserts when this many rows are pending... */
  INGEST_FLUSH_ROWS: number;
  /** ...or this long after the first pending row. */
  INGEST_FLUSH_MS: number;
  /** Batches the worker holds at once (they share inserts). */
  INGEST_WORKER_CONCURRENCY: number;
  /**
   * `always`: acknowledge a batch only once Redis has fsynced it (ingest sets Redis's
   * appendfsync to always); `everysec`: Redis's own setting is checked, not changed.
   */
  INGEST_REDIS_FSYNC: "always" | "everysec";
  /** Bearer token of the query API; unset: generated into `$SLIPWAY_STATE_DIR/ingest-service-token`. */
  INGEST_SERVICE_TOKEN: string | undefined;
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Validates ingest's settings; throws {@link EnvError} naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): IngestEnv {
  const input = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, source[k]]));
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    INGEST_HOST: e.INGEST_HOST ?? DEFAULTS.INGEST_HOST,
    INGEST_PORT: e.INGEST_PORT ?? DEFAULTS.INGEST_PORT,
    DATABASE_URL: e.DATABASE_URL ?? DEFAULTS.DATABASE_URL,
    REDIS_URL: e.REDIS_URL ?? DEFAULTS.REDIS_URL,
    SLIPWAY_STATE_DIR: resolveStateDir({ SLIPWAY_STATE_DIR: e.SLIPWAY_STATE_DIR }),
    CLICKHOUSE_URL: e.CLICKHOUSE_URL,
    LOG_LEVEL: e.LOG_LEVEL ?? DEFAULTS.LOG_LEVEL,
    INGEST_HEALTH_TIMEOUT_MS: e.INGEST_HEALTH_TIMEOUT_MS ?? DEFAULTS.INGEST_HEALTH_TIMEOUT_MS,
    INGEST_WORKER: e.INGEST_WORKER ?? DEFAULTS.INGEST_WORKER,
    INGEST_QUEUE_PREFIX: e.INGEST_QUEUE_PREFIX ?? DEFAULTS.INGEST_QUEUE_PREFIX,
    INGEST_MAX_BODY_BYTES: e.INGEST_MAX_BODY_BYTES ?? DEFAULTS.INGEST_MAX_BODY_BYTES,
    INGEST_MAX_EVENTS: e.INGEST_MAX_EVENTS ?? DEFAULTS.INGEST_MAX_EVENTS,
    INGEST_MAX_BACKLOG: e.INGEST_MAX_BACKLOG ?? DEFAULTS.INGEST_MAX_BACKLOG,
    INGEST_JOB_ATTEMPTS: e.INGEST_JOB_ATTEMPTS ?? DEFAULTS.INGEST_JOB_ATTEMPTS,
    INGEST_RETRY_DELAY_MS: e.INGEST_RETRY_DELAY_MS ?? DEFAULTS.INGEST_RETRY_DELAY_MS,
    INGEST_FLUSH_ROWS: e.INGEST_FLUSH_ROWS ?? DEFAULTS.INGEST_FLUSH_ROWS,
    INGEST_FLUSH_MS: e.INGEST_FLUSH_MS ?? DEFAULTS.INGEST_FLUSH_MS,
    INGEST_WORKER_CONCURRENCY: e.INGEST_WORKER_CONCURRENCY ?? DEFAULTS.INGEST_WORKER_CONCURRENCY,
    INGEST_REDIS_FSYNC: e.INGEST_REDIS_FSYNC ?? DEFAULTS.INGEST_REDIS_FSYNC,
    INGEST_SERVICE_TOKEN: e.INGEST_SERVICE_TOKEN,
  };
}
