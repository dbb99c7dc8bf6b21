import { probeBuilderEngines } from "@slipway/builder-core";
import { checkDatabase } from "@slipway/db";
import { type Db, getDb } from "../db.server";
import { getEnv } from "../env.server";
import {
  type CheckResult,
  checkClickhouseViaIngest,
  checkRedis,
  type HealthChecks,
  runHealthChecks,
} from "./checks.server";

export async function checkPostgres(db: Db): Promise<CheckResult> {
  return { ...(await checkDatabase(db)) };
}

export async function checkBuilders(stateDir: string): Promise<CheckResult> {
  const { status, latencyMs, engines, detail } = await probeBuilderEngines({ stateDir });
  return {
    status,
    latencyMs,
    engines,
    ...(detail !== undefined && (status === "error" ? { error: detail } : { detail })),
  };
}

/** The checks GET /healthz runs against this process's configured services. */
export function productionChecks(): HealthChecks {
  const env = getEnv();
  return {
    database: () => checkPostgres(getDb()),
    redis: () => checkRedis(env.REDIS_URL),
    clickhouse: (signal) => checkClickhouseViaIngest(env.INGEST_URL, signal),
    builders: () => checkBuilders(env.SLIPWAY_STATE_DIR),
  };
}

export async function healthResponse(checks: HealthChecks = productionChecks()): Promise<Response> {
  const { httpStatus, report } = await runHealthChecks(checks);
  return Response.json(report, {
    status: httpStatus,
    headers: { "cache-control": "no-store" },
  });
}
