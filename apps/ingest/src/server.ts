import { probeBuilderEngines } from "@slipway/builder-core";
import { checkDatabase, type Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { QueueDurability, type RedisFsyncPolicy } from "./durability.ts";
import { checkRedis, type HealthChecks } from "./health.ts";
import { type IngestQueues, queueStats } from "./queues.ts";
import type { IngestLimits } from "./routes/events.ts";
import { registerRoutes } from "./routes/index.ts";

export interface ServerDeps {
  db: Pick<Db, "$queryRaw" | "apiToken" | "project" | "org">;
  redis: Redis;
  store: TelemetryStore;
  /** Where the builder engines record themselves (probed for /healthz). */
  stateDir: string;
  /** The ingest queues: without them the write endpoints (/v1/events, webhooks) are off. */
  queues?: IngestQueues;
  /** Redis key prefix (the queues' prefix; also used for webhook bookkeeping). */
  queuePrefix?: string;
  limits?: Partial<IngestLimits>;
  /** Bearer token of the query API for apps/web. */
  serviceToken?: string;
  /** A pino logger; leave out for a silent server (tests). */
  logger?: FastifyBaseLogger;
  /**
   * What Redis must guarantee before a batch is acknowledged (see durability.ts); default
   * `everysec` (checked, never changed). main.ts passes INGEST_REDIS_FSYNC.
   */
  redisFsync?: RedisFsyncPolicy;
  /** Per-dependency limit for /healthz; default 2000 ms. */
  healthTimeoutMs?: number;
  /** Replace single checks (tests). */
  checks?: Partial<HealthChecks>;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxEvents: 10_000,
  maxBacklog: 2_000,
  retryAfterS: 5,
  queueTimeoutMs: 5_000,
};

/** The ingest HTTP server, not yet listening. Closing it does not close the deps. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = deps.logger
    ? Fastify({ loggerInstance: deps.logger })
    : Fastify({ logger: false });
  const queues = deps.queues;
  const durability = queues
    ? new QueueDurability(deps.redis, deps.redisFsync ?? "everysec", deps.logger)
    : undefined;
  if (durability) {
    // Bounded: with Redis down at start, ingest starts anyway and refuses batches (503) until
    // the connection is up and checked.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      durability.check(),
      new Promise((r) => {
        timer = setTimeout(r, deps.healthTimeoutMs ?? 2000);
      }),
    ]);
    clearTimeout(timer);
    app.addHook("onClose", async () => durability.dispose());
  }
  const checks: HealthChecks = {
    database: (timeoutMs) => checkDatabase(deps.db, { timeoutMs }),
    redis: () => checkRedis(deps.redis),
    clickhouse: (timeoutMs) => deps.store.ping({ timeoutMs }),
    builders: () => probeBuilderEngines({ stateDir: deps.stateDir }),
    ...(queues
      ? {
          queue: async () => {
            const start = performance.now();
            const stats = await queueStats(queues);
            const persistence = durability?.state;
            return {
              // Batches are refused (503) while Redis does not persist as required.
              status: persistence && !persistence.ok ? ("error" as const) : ("ok" as const),
              latencyMs: Math.round(performance.now() - start),
              ...stats,
              ...(persistence ? { persistence } : {}),
              ...(persistence?.error ? { error: persistence.error } : {}),
            };
          },
        }
      : {}),
    ...deps.checks,
  };
  await registerRoutes(app, {
    checks,
    healthTimeoutMs: deps.healthTimeoutMs ?? 2000,
    db: deps.db,
    redis: deps.redis,
    store: deps.store,
    queues,
    durability,
    queuePrefix: deps.queuePrefix ?? "slipway",
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    serviceToken: deps.serviceToken,
  });
  return app;
}
