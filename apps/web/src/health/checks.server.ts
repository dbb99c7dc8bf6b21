import { Redis } from "ioredis";

/** One dependency's health, as reported under `checks` by GET /healthz. */
export interface CheckResult {
  /** idle: nothing to check right now (e.g. no builder running), which is healthy. */
  status: "ok" | "error" | "idle";
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

export type CheckName = "database" | "redis" | "clickhouse" | "builders";

export interface HealthReport {
  /** ok: everything healthy; degraded: database and redis ok, something else not; error: not serving. */
  status: "ok" | "degraded" | "error";
  checks: Record<CheckName, CheckResult>;
}

export type HealthChecks = Record<CheckName, (signal: AbortSignal) => Promise<CheckResult>>;

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

const since = (started: number) => Math.round(performance.now() - started);

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() reports "fetch failed" and keeps the reason (e.g. ECONNREFUSED) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/**
 * Runs one check with a deadline. The check gets an AbortSignal to stop its own work; whatever it
 * does, the result arrives by the deadline, and a throw becomes `status: "error"`.
 */
export async function runCheck(
  check: (signal: AbortSignal) => Promise<CheckResult>,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        status: "error",
        latencyMs: since(started),
        error: `timed out after ${timeoutMs} ms`,
      });
    }, timeoutMs);
  });
  const attempt = check(controller.signal).catch(
    (error: unknown): CheckResult => ({
      status: "error",
      latencyMs: since(started),
      error: messageOf(error),
    }),
  );
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check in parallel, each with its own deadline. 503 unless database and redis are ok. */
export async function runHealthChecks(
  checks: HealthChecks,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const [database, redis, clickhouse, builders] = await Promise.all([
    runCheck(checks.database, timeoutMs),
    runCheck(checks.redis, timeoutMs),
    runCheck(checks.clickhouse, timeoutMs),
    runCheck(checks.builders, timeoutMs),
  ]);
  const serving = database.status === "ok" && redis.status === "ok";
  const allHealthy = [clickhouse, builders].every((check) => check.status !== "error");
  const status = !serving ? "error" : allHealthy ? "ok" : "degraded";
  return {
    httpStatus: serving ? 200 : 503,
    report: { status, checks: { database, redis, clickhouse, builders } },
  };
}

/** PING over a fresh connection that gives up quickly instead of retrying. */
export async function checkRedis(url: string, timeoutMs = 1_000): Promise<CheckResult> {
  const started = performance.now();
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed."; the socket's own error (e.g.
  // ECONNREFUSED) arrives as an event, which also keeps ioredis from logging it.
  let socketError: unknown;
  redis.on("error", (error: unknown) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    const reply = await redis.ping();
    if (reply !== "PONG") throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
    return { status: "ok", latencyMs: since(started) };
  } catch (error) {
    return { status: "error", latencyMs: since(started), error: messageOf(socketError ?? error) };
  } finally {
    redis.disconnect();
  }
}

/**
 * The ClickHouse engine is embedded in the ingest process, so its health is the `clickhouse`
 * check of ingest's own /healthz (whose HTTP status may be 503 for other reasons).
 */
export async function checkClickhouseViaIngest(
  ingestUrl: string,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<CheckResult> {
  const started = performance.now();
  const url = new URL("/healthz", ingestUrl).toString();
  let body: unknown;
  try {
    const response = await fetchImpl(url, {
      signal: signal ?? null,
      headers: { accept: "application/json" },
    });
    body = await response.json();
  } catch (error) {
    const reason = signal?.aborted ? "timed out" : messageOf(error);
    return {
      status: "error",
      latencyMs: since(started),
      via: url,
      error: `ingest is unreachable at ${url}: ${reason}`,
    };
  }
  const clickhouse = (body as { checks?: { clickhouse?: unknown } } | null)?.checks?.clickhouse;
  if (typeof clickhouse !== "object" || clickhouse === null) {
    return {
      status: "error",
      latencyMs: since(started),
      via: url,
      error: "ingest /healthz did not report a clickhouse check",
    };
  }
  const reported = clickhouse as { status?: unknown; latencyMs?: unknown; error?: unknown };
  const result: CheckResult = {
    status: reported.status === "ok" ? "ok" : "error",
    latencyMs: typeof reported.latencyMs === "number" ? reported.latencyMs : since(started),
    via: url,
  };
  if (result.status === "error") {
    result.error =
      typeof reported.error === "string"
        ? reported.error
        : `ingest reported clickhouse status ${JSON.stringify(reported.status)}`;
  }
  return result;
}
