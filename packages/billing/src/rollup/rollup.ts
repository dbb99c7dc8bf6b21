import type { Db } from "@slipway/db";
import type { TelemetryStore } from "@slipway/telemetry";
import { checkRange, type RollupRange, type UsageRow, usageBatches } from "./queries.ts";
import { replaceUsageRows, type WriteResult } from "./write.ts";

export interface RollupResult extends WriteResult {
  from: string;
  to: string;
  /** Time in the telemetry store's queries. */
  queryMs: number;
  /** Time in PostgreSQL (the rest of the run). */
  writeMs: number;
}

/**
 * Recomputes the usage rows of [from, to) from the raw events and replaces them in PostgreSQL.
 * Each meter's rows are sent as soon as its query answers, so one meter's rows are held at a time.
 */
export async function rollupUsage(
  store: TelemetryStore,
  db: Db,
  range: RollupRange,
): Promise<RollupResult> {
  checkRange(range);
  const t0 = performance.now();
  let queryMs = 0;
  async function* timed(): AsyncGenerator<UsageRow[]> {
    const batches = usageBatches(store, range);
    for (;;) {
      const t = performance.now();
      const next = await batches.next();
      queryMs += performance.now() - t;
      if (next.done) return;
      yield next.value;
    }
  }
  const written = await replaceUsageRows(db, range, timed());
  const total = performance.now() - t0;
  return {
    ...written,
    from: range.from.toISOString().slice(0, 10),
    to: range.to.toISOString().slice(0, 10),
    queryMs: Math.round(queryMs),
    writeMs: Math.round(total - queryMs),
  };
}
