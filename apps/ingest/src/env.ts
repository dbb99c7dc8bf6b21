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
  };
}
