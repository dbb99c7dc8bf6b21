/** Shared pieces of the insight queries (one module per table beside this one). */
import { z } from "zod";
import type { QueryParams, TelemetryStore } from "../clickhouse/store.ts";

export const num = z.coerce.number();
export const numOrNull = z.union([z.null(), z.coerce.number()]);
export const bool = z.union([z.boolean(), z.coerce.number().transform((n) => n !== 0)]);

export interface OrgScope {
  orgId: string;
}

export function requireOrg(scope: OrgScope): string {
  if (typeof scope.orgId !== "string" || scope.orgId.length === 0) {
    throw new TypeError("orgId is required for every telemetry query");
  }
  return scope.orgId;
}

export async function run<S extends z.ZodType>(
  store: TelemetryStore,
  schema: S,
  sql: string,
  params: Readonly<Record<string, QueryParams[string] | undefined>>,
): Promise<z.output<S>[]> {
  // Only the filters a caller gave are bound (the SQL names exactly those).
  const bound: Record<string, QueryParams[string]> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) bound[k] = v;
  const rows = await store.query<unknown>(sql, bound);
  return rows.map((r) => schema.parse(r));
}

/** An optional project filter, as SQL (bound as {projectId:String}). */
export const projectFilter = (projectId: string | undefined, column = "project_id") =>
  projectId === undefined ? "" : `AND ${column} = {projectId:String}`;

/** A period: `since` (required) and `until` (default: no upper bound). */
export interface Period {
  since: Date;
  until?: Date;
}

export const untilFilter = (until: Date | undefined, column: string) =>
  until === undefined ? "" : `AND ${column} < {until:DateTime64(3, 'UTC')}`;

export const BUCKETS = ["hour", "day", "week"] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The start of the bucket a timestamp column falls in (a whitelisted SQL expression, a DateTime64). */
export function bucketStartExpr(bucket: Bucket | undefined, column: string): string {
  const unit = { hour: "HOUR", day: "DAY", week: "WEEK" }[bucket ?? "day"];
  if (!unit) throw new TypeError(`unknown bucket ${String(bucket)}`);
  return `toStartOfInterval(${column}, INTERVAL 1 ${unit})`;
}

/** A bucket start (from `bucketStartExpr`) as an ISO string. */
export const formatBucket = (start: string) =>
  `formatDateTime(${start}, '%Y-%m-%dT%H:%i:%SZ', 'UTC')`;

/**
 * The start of the bucket a timestamp column falls in, as an ISO string (a whitelisted SQL
 * expression). To group by it, group by `bucketStartExpr` and format after the aggregation:
 * formatting every row first was a third of the cache hit ratio's time (measured at 2M steps).
 */
export function bucketExpr(bucket: Bucket | undefined, column: string): string {
  return formatBucket(bucketStartExpr(bucket, column));
}
