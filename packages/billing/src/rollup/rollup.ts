import type { Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import { computeUsageRows, type RollupRange } from "./queries.ts";
import { replaceUsageRows, type WriteResult } from "./write.ts";

export interface RollupResult extends WriteResult {
  from: string;
  to: string;
  queryMs: number;
  writeMs: number;
}

/** Recomputes the usage rows of [from, to) from the raw events and replaces them in PostgreSQL. */
export async function rollupUsage(
  store: TelemetryStore,
  db: Db,
  range: RollupRange,
): Promise<RollupResult> {
  const t0 = performance.now();
  const rows = await computeUsageRows(store, range);
  const t1 = performance.now();
  const written = await replaceUsageRows(db, range, rows);
  return {
    ...written,
    from: range.from.toISOString().slice(0, 10),
    to: range.to.toISOString().slice(0, 10),
    queryMs: Math.round(t1 - t0),
    writeMs: Math.round(performance.now() - t1),
  };
}
