import { probeBuilderEngines } from "@slipway/builder-core";
import { checkDatabase, type Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { checkRedis, type HealthChecks } from "./health.ts";
import { registerRoutes } from "./routes/index.ts";

export interface ServerDeps {
  db: Pick<Db, "$queryRaw">;
  redis: Redis;
  store: TelemetryStore;
  /** Where the builder engines record themselves (probed for /healthz). */
  stateDir: string;
  /** A pino logger; leave out for a silent server (tests). */
  logger?: FastifyBaseLogger;
  /** Per-dependency limit for /healthz; default 2000 ms. */
  healthTimeoutMs?: number;
  /** Replace single checks (tests). */
  checks?: Partial<HealthChecks>;
}

/** The ingest HTTP server, not yet listening. Closing it does not close the deps. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = deps.logger
    ? Fastify({ loggerInstance: deps.logger })
    : Fastify({ logger: false });
  const checks: HealthChecks = {
    database: (timeoutMs) => checkDatabase(deps.db, { timeoutMs }),
    redis: () => checkRedis(deps.redis),
    clickhouse: (timeoutMs) => deps.store.ping({ timeoutMs }),
    builders: () => probeBuilderEngines({ stateDir: deps.stateDir }),
    ...deps.checks,
  };
  await registerRoutes(app, { checks, healthTimeoutMs: deps.healthTimeoutMs ?? 2000 });
  return app;
}
