// Usage per org, UTC day, meter, key and project, computed from the raw telemetry tables (read
// with FINAL, so a re-sent event counts once). Exact units: milliseconds and byte-seconds. Every
// query is deterministic for a closed range, so running it again gives the same rows.

import type { TelemetryStore } from "@slipway/telemetry";
import { z } from "zod";
import { METERS, type MeterName } from "../money.ts";

export interface UsageRow {
  orgId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  meter: MeterName;
  key: string;
  /** "" when the usage belongs to no project. */
  projectId: string;
  quantity: bigint;
}

export interface RollupRange {
  /** First UTC day (midnight) included. */
  from: Date;
  /** First UTC day (midnight) NOT included. */
  to: Date;
  /**
   * Cache storage is integrated up to here (default `to`): for the current day pass "now", so
   * a snapshot's size is not counted for hours that have not happened yet.
   */
  until?: Date;
  /** Only these orgs (default: every org in the store). */
  orgIds?: readonly string[];
}

export const DAY_MS = 86_400_000;
/** How far back to look for the cache snapshot in force when the range starts. */
const CACHE_LOOKBACK_MS = 35 * DAY_MS;
/** Builds started this long before the range can still finish in it (their platforms are on the start event). */
const BUILD_LOOKBACK_MS = 2 * DAY_MS;

const row = z.object({
  org_id: z.string(),
  project_id: z.string(),
  dn: z.coerce.number().int(),
  key: z.string(),
  quantity: z.string().regex(/^[0-9]+$/),
});
type RawRow = z.output<typeof row>;
const DIGITS = /^[0-9]+$/;

/** The rows' shape, checked without zod's per-row cost on the common path (zod explains a miss). */
function parseRow(raw: unknown): RawRow {
  const r = raw as Partial<Record<keyof RawRow, unknown>> | null;
  if (
    r !== null &&
    typeof r === "object" &&
    typeof r.org_id === "string" &&
    typeof r.project_id === "string" &&
    typeof r.key === "string" &&
    typeof r.dn === "number" &&
    Number.isInteger(r.dn) &&
    typeof r.quantity === "string" &&
    DIGITS.test(r.quantity)
  ) {
    return r as RawRow;
  }
  return row.parse(raw);
}

const days = new Map<number, string>();
function dayOf(dn: number): string {
  let day = days.get(dn);
  if (day === undefined) {
    day = new Date(dn * DAY_MS).toISOString().slice(0, 10);
    if (days.size < 10_000) days.set(dn, day);
  }
  return day;
}

export function checkRange(range: RollupRange): void {
  for (const [name, d] of [
    ["from", range.from],
    ["to", range.to],
  ] as const) {
    if (Number.isNaN(d.getTime()) || d.getTime() % DAY_MS !== 0) {
      throw new RangeError(`${name} must be a UTC midnight`);
    }
  }
  if (range.to <= range.from) throw new RangeError("to must be after from");
}

const orgFilter = (range: RollupRange) =>
  range.orgIds === undefined ? "" : "AND org_id IN {orgIds:Array(String)}";

/**
 * Build time: each finished build's duration once per platform it built (the events carry one
 * wall time per build, not per platform, so a multi-platform build bills duration x platforms),
 * on the UTC day of its build.finished event. Platforms come from build.started; a build whose
 * start event is missing counts once, as platform "unknown".
 *
 * The start event's platforms travel through the per-build aggregation as one space-joined
 * string, split again after it: the same rows as carrying the array (ingest validates each
 * platform as `os/arch[/variant]`, no spaces, at least one), measured at 1,000,000 builds at
 * ~40 % less CPU for this query, which is most of the rollup's ClickHouse time.
 */
export const BUILD_SQL = (range: RollupRange) => `
SELECT org_id, project_id, dn, platform AS key, toString(sum(ms)) AS quantity
FROM (
  SELECT org_id, project_id, build_id,
         toInt64(intDiv(toUnixTimestamp64Milli(maxIf(time, event_type = 'finished')), ${DAY_MS})) AS dn,
         maxIf(ifNull(duration_ms, 0), event_type = 'finished') AS ms,
         argMaxIf(arrayStringConcat(platforms, ' '), time, event_type = 'started') AS plats
  FROM builds_v1 FINAL
  WHERE time >= {lookback:DateTime64(3, 'UTC')} AND time < {to:DateTime64(3, 'UTC')} ${orgFilter(range)}
  GROUP BY org_id, project_id, build_id
  HAVING countIf(event_type = 'finished') > 0
     AND maxIf(time, event_type = 'finished') >= {from:DateTime64(3, 'UTC')}
)
ARRAY JOIN if(plats = '', ['unknown'], arrayDistinct(splitByChar(' ', plats))) AS platform
WHERE ms > 0
GROUP BY org_id, project_id, dn, platform`;

/**
 * Runner time: each completed job's run time (started → completed, from its latest report), on
 * the UTC day it was queued, as its runner type: the largest \`slipway-<n>cpu\` label (ties: the
 * first by name), the rule of runnerTypeOf() in money.ts. Jobs without one are not metered.
 */
export const RUNNER_SQL = (range: RollupRange) => `
SELECT org_id, project_id, dn, key, toString(sum(ms)) AS quantity
FROM (
  SELECT org_id, ifNull(project_id, '') AS project_id,
         toInt64(intDiv(toUnixTimestamp64Milli(queued_at), ${DAY_MS})) AS dn,
         ifNull(duration_ms, 0) AS ms,
         arrayFilter(l -> match(l, '^slipway-[0-9]{1,6}cpu$'), arrayMap(l -> lower(l), labels)) AS sizes,
         if(empty(sizes), '', arraySort(l -> (-toInt64(extract(l, '[0-9]+')), l), sizes)[1]) AS key
  FROM runner_jobs_latest_v1 FINAL
  WHERE queued_at >= {from:DateTime64(3, 'UTC')} AND queued_at < {to:DateTime64(3, 'UTC')}
    AND status = 'completed' ${orgFilter(range)}
)
WHERE key != '' AND ms > 0
GROUP BY org_id, project_id, dn, key`;

/**
 * Cache storage: each builder cache (project, builder) holds the size of its latest snapshot
 * until the next one (or \`until\`). The step function is integrated per UTC day in byte-ms,
 * then floored to byte-seconds per row (under one byte-second per day: nothing next to a
 * GB-month). Before its first snapshot a cache counts as empty.
 */
export const CACHE_SQL = (range: RollupRange) => `
SELECT org_id, project_id, dn, '' AS key, toString(intDiv(sum(byte_ms), 1000)) AS quantity
FROM (
  SELECT org_id, project_id, a, b, size,
         arrayJoin(range(toInt64(intDiv(a, ${DAY_MS})), toInt64(intDiv(b - 1, ${DAY_MS})) + 1)) AS dn,
         toUInt128(size) * toUInt128(least(b, (dn + 1) * ${DAY_MS}) - greatest(a, dn * ${DAY_MS})) AS byte_ms
  FROM (
    SELECT org_id, project_id, size,
           greatest(s, {fromMs:Int64}) AS a,
           least(e, {untilMs:Int64}) AS b
    FROM (
      SELECT org_id, project_id, size_bytes AS size,
             toInt64(toUnixTimestamp64Milli(time)) AS s,
             leadInFrame(toInt64(toUnixTimestamp64Milli(time)), 1, {untilMs:Int64})
               OVER (PARTITION BY org_id, project_id, ifNull(builder_id, '') ORDER BY time, event_id
                     ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS e
      FROM cache_snapshots_v1 FINAL
      WHERE time >= {cacheLookback:DateTime64(3, 'UTC')} AND time < {until:DateTime64(3, 'UTC')}
        ${orgFilter(range)}
    )
  )
  WHERE b > a AND size > 0
)
GROUP BY org_id, project_id, dn`;

/**
 * The usage rows of the range from the raw events, one batch per meter (so a caller that writes
 * them as they come holds one meter's rows at a time, not the whole range).
 */
export async function* usageBatches(
  store: TelemetryStore,
  range: RollupRange,
): AsyncGenerator<UsageRow[]> {
  checkRange(range);
  const until = new Date(
    Math.min(range.until?.getTime() ?? range.to.getTime(), range.to.getTime()),
  );
  // Nothing has happened in the range yet: no usage.
  if (until.getTime() <= range.from.getTime()) return;
  const params = {
    from: range.from,
    to: range.to,
    until,
    fromMs: range.from.getTime(),
    untilMs: until.getTime(),
    lookback: new Date(range.from.getTime() - BUILD_LOOKBACK_MS),
    cacheLookback: new Date(range.from.getTime() - CACHE_LOOKBACK_MS),
    ...(range.orgIds !== undefined && { orgIds: [...range.orgIds] }),
  };
  const meters: [MeterName, string][] = [
    [METERS.build, BUILD_SQL(range)],
    [METERS.runner, RUNNER_SQL(range)],
    [METERS.cache, CACHE_SQL(range)],
  ];
  for (const [meter, sql] of meters) {
    // Each statement binds only the parameters it names.
    const bound = Object.fromEntries(
      Object.entries(params).filter(([k]) => sql.includes(`{${k}:`)),
    );
    const raw = await store.query<unknown>(sql, bound);
    const out = new Array<UsageRow>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const r = parseRow(raw[i]);
      out[i] = {
        orgId: r.org_id,
        day: dayOf(r.dn),
        meter,
        key: r.key,
        projectId: r.project_id,
        quantity: BigInt(r.quantity),
      };
    }
    raw.length = 0;
    yield out;
  }
}

/** Every usage row of the range, from the raw events. */
export async function computeUsageRows(
  store: TelemetryStore,
  range: RollupRange,
): Promise<UsageRow[]> {
  const out: UsageRow[] = [];
  for await (const batch of usageBatches(store, range)) {
    for (const r of batch) out.push(r);
  }
  return out;
}
