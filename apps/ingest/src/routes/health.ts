import type { FastifyInstance } from "fastify";
import { type HealthChecks, runHealthChecks } from "../health.ts";

/**
 * GET /healthz: 200 when the required dependencies (database, redis, clickhouse) answer
 * ("degraded" when only the builders are unhealthy; "idle" builders are fine), else 503.
 */
export async function healthRoutes(
  app: FastifyInstance,
  opts: { checks: HealthChecks; timeoutMs: number },
) {
  // Polled often (start-up scripts, monitors): log its requests only when something is wrong.
  app.get("/healthz", { logLevel: "warn" }, async (_req, reply) => {
    const report = await runHealthChecks(opts.checks, opts.timeoutMs);
    if (report.status === "error") {
      const failing = Object.entries(report.checks)
        .filter(([name, c]) => name !== "builders" && c.status !== "ok")
        .map(([name]) => name);
      app.log.warn({ failing }, "health check failed");
    }
    return reply.code(report.status === "error" ? 503 : 200).send(report);
  });
}
