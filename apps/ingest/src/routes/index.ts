import type { FastifyInstance } from "fastify";
import type { HealthChecks } from "../health.ts";
import { healthRoutes } from "./health.ts";

export interface RouteOptions {
  checks: HealthChecks;
  healthTimeoutMs: number;
}

/**
 * Every route of ingest. Insight reads for the dashboard (steps of a build, trends, runner
 * queue times) will go here as `/v1/internal/...` plugins: ingest owns the embedded ClickHouse
 * data path, so other processes read telemetry through it.
 */
export async function registerRoutes(app: FastifyInstance, opts: RouteOptions) {
  await app.register(healthRoutes, { checks: opts.checks, timeoutMs: opts.healthTimeoutMs });
}
