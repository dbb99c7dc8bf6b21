import { probeBuilderEngines } from "@slipway/builder-core";
import { checkDatabase, type Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
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
};

/** The ingest HTTP server, not yet listening. Closing it does not close the deps. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = deps.logger
    ? Fastify({ loggerInstance: deps.logger })
    : Fastify({ logger: false });
  const queues = deps.queues;
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
            return {
              status: "ok" as const,
              latencyMs: Math.round(performance.now() - start),
              ...stats,
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
    queuePrefix: deps.queuePrefix ?? "slipway",
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    serviceToken: deps.serviceToken,
  });
  return app;
}
