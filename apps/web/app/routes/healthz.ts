import { healthResponse } from "../../src/health/healthz.server";

/** GET /healthz: JSON health of database, redis, clickhouse (via ingest) and builders. */
export function loader() {
  return healthResponse();
}
