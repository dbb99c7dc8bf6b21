import type { BuilderEnginesHealth } from "@slipway/builder-core";
import type { DatabaseHealth } from "@slipway/db";
import type { PingResult } from "@slipway/telemetry";
import type { Redis } from "ioredis";
import type { DurabilityState } from "./durability.ts";
import { lastRedisError } from "./redis.ts";

export interface CheckResult {
  status: "ok" | "error";
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: "ok" | "degraded" | "error";
  checks: {
    database: CheckResult;
    redis: CheckResult;
    clickhouse: CheckResult & { version?: string };
    builders: BuilderEnginesHealth;
    /** The ingest queue, when this process has one. */
    queue?: QueueCheck;
  };
}

export interface QueueCheck extends CheckResult {
  waiting?: number;
  delayed?: number;
  active?: number;
  failed?: number;
  deadLetter?: number;
  /** Redis persistence as checked for acknowledging batches (see durability.ts). */
  persistence?: DurabilityState;
}

/** What /healthz asks; each returns a result and never throws (timeouts included). */
export interface HealthChecks {
  database: (timeoutMs: number) => Promise<DatabaseHealth>;
  redis: (timeoutMs: number) => Promise<CheckResult>;
  clickhouse: (timeoutMs: number) => Promise<PingResult>;
  builders: (timeoutMs: number) => Promise<BuilderEnginesHealth>;
  /** Queue depths (optional: only where ingest has its queues). */
  queue?: (timeoutMs: number) => Promise<QueueCheck>;
}

const since = (start: number) => Math.round(performance.now() - start);

/** Resolves with `work`, or with `onTimeout(ms)` when it takes longer; never rejects. */
export async function withTimeout<T>(
  work: () => Promise<T>,
  timeoutMs: number,
  onTimeout: (elapsedMs: number) => T,
  onError: (err: unknown, elapsedMs: number) => T,
): Promise<T> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout(since(start))), timeoutMs);
  });
  const run = (async () => {
    try {
      return await work();
    } catch (err) {
      return onError(err, since(start));
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** PING, unless the connection is down (then say why at once rather than queue the command). */
export async function checkRedis(redis: Redis): Promise<CheckResult> {
  const start = performance.now();
  if (redis.status !== "ready") {
    const why = lastRedisError(redis);
    return {
      status: "error",
      latencyMs: since(start),
      error: `not connected (${redis.status})${why ? `: ${why}` : ""}`,
    };
  }
  const reply = await redis.ping();
  return reply === "PONG"
    ? { status: "ok", latencyMs: since(start) }
    : { status: "error", latencyMs: since(start), error: `unexpected PING reply ${reply}` };
}

function timedOut(ms: number) {
  return `no answer within ${ms} ms`;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runHealthChecks(
  checks: HealthChecks,
  timeoutMs: number,
): Promise<HealthReport> {
  const failed = (err: unknown, latencyMs: number): CheckResult => ({
    status: "error",
    latencyMs,
    error: message(err),
  });
  const late = (latencyMs: number): CheckResult => ({
    status: "error",
    latencyMs,
    error: timedOut(timeoutMs),
  });
  const queueCheck = checks.queue;
  const [database, redis, clickhouse, builders, queue] = await Promise.all([
    withTimeout(() => checks.database(timeoutMs), timeoutMs, late, failed),
    withTimeout(() => checks.redis(timeoutMs), timeoutMs, late, failed),
    withTimeout(() => checks.clickhouse(timeoutMs), timeoutMs, late, failed),
    withTimeout<BuilderEnginesHealth>(
      () => checks.builders(timeoutMs),
      timeoutMs,
      (latencyMs) => ({ status: "error", latencyMs, engines: [], detail: timedOut(timeoutMs) }),
      (err, latencyMs) => ({ status: "error", latencyMs, engines: [], detail: message(err) }),
    ),
    queueCheck
      ? withTimeout<QueueCheck>(() => queueCheck(timeoutMs), timeoutMs, late, failed)
      : Promise.resolve(undefined),
  ]);
  const required = [database, redis, clickhouse];
  const status = required.some((c) => c.status !== "ok")
    ? "error"
    : builders.status === "error" || queue?.status === "error"
      ? "degraded"
      : "ok";
  return {
    status,
    checks: { database, redis, clickhouse, builders, ...(queue ? { queue } : {}) },
  };
}
