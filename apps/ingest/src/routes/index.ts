import type { Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { QueueDurability } from "../durability.ts";
import type { HealthChecks } from "../health.ts";
import type { IngestQueues } from "../queues.ts";
import { eventsRoutes, type IngestLimits } from "./events.ts";
import { githubRoutes } from "./github.ts";
import { healthRoutes } from "./health.ts";
import { queryRoutes } from "./query.ts";

export interface RouteOptions {
  checks: HealthChecks;
  healthTimeoutMs: number;
  db: Pick<Db, "apiToken" | "project" | "org">;
  redis: Redis;
  store: TelemetryStore;
  queues: IngestQueues | undefined;
  /** Set whenever `queues` is. */
  durability: QueueDurability | undefined;
  queuePrefix: string;
  limits: IngestLimits;
  serviceToken: string | undefined;
}

/**
 * Every route of ingest, one plugin per area: /healthz, POST /v1/events, the GitHub webhook,
 * and the GET /v1/query/... insights for apps/web (ingest owns the embedded ClickHouse data
 * path, so other processes read telemetry through it).
 */
export async function registerRoutes(app: FastifyInstance, opts: RouteOptions) {
  await app.register(healthRoutes, { checks: opts.checks, timeoutMs: opts.healthTimeoutMs });
  await app.register(queryRoutes, {
    db: opts.db,
    store: opts.store,
    serviceToken: opts.serviceToken,
  });
  if (opts.queues && opts.durability) {
    await app.register(eventsRoutes, {
      db: opts.db,
      queues: opts.queues,
      limits: opts.limits,
      durability: opts.durability,
    });
    await app.register(githubRoutes, {
      db: opts.db,
      redis: opts.redis,
      queues: opts.queues,
      keyPrefix: opts.queuePrefix,
      maxBodyBytes: 25 * 1024 * 1024,
      retryAfterS: opts.limits.retryAfterS,
      queueTimeoutMs: opts.limits.queueTimeoutMs,
      durability: opts.durability,
    });
  }
}
