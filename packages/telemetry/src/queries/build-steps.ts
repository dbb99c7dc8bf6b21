/** Insights over `build_steps_v1` (BuildKit steps). */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { TABLES } from "../write.ts";
import {
  type Bucket,
  bucketStartExpr,
  formatBucket,
  num,
  numOrNull,
  type OrgScope,
  type Period,
  projectFilter,
  requireOrg,
  run,
  untilFilter,
} from "./common.ts";

/**
 * A step name without what changes from build to build: the `[stage 3/5]` / `[linux/amd64 2/4]`
 * prefix BuildKit prints, and runs of whitespace. `[build 3/5] RUN  npm ci` → `RUN npm ci`.
 */
export const NORMALIZED_STEP_NAME_SQL =
  "trim(replaceRegexpAll(replaceRegexpOne(name, '^\\\\[[^\\\\]]*\\\\]\\\\s*', ''), '\\\\s+', ' '))";

export const slowStepRow = z.object({
  step: z.string(),
  stage: z.string().nullable(),
  runs: num,
  cachedRuns: num,
  p50DurationMs: numOrNull,
  p95DurationMs: numOrNull,
  totalDurationMs: num,
});
export type SlowStepRow = z.output<typeof slowStepRow>;

/**
 * A project's slowest steps over a period, by normalised name: duration percentiles of the runs
 * that executed (cached runs are counted apart), slowest p95 first.
 */
export async function slowestSteps(
  store: TelemetryStore,
  q: OrgScope & Period & { projectId: string; limit?: number },
): Promise<SlowStepRow[]> {
  const orgId = requireOrg(q);
  // The name normalisation (two regexps) runs once per distinct raw name, not once per row:
  // rows are first grouped by raw name with mergeable quantile states (measured at 20M steps).
  return run(
    store,
    slowStepRow,
    `SELECT ${NORMALIZED_STEP_NAME_SQL} AS step, any(stage) AS stage, sum(n) AS runs,
            sum(cachedN) AS cachedRuns,
            round(quantilesIfMerge(0.5, 0.95)(q)[1]) AS p50DurationMs,
            round(quantilesIfMerge(0.5, 0.95)(q)[2]) AS p95DurationMs,
            sum(total) AS totalDurationMs
     FROM (
       SELECT name, any(stage) AS stage, count() AS n, countIf(cached) AS cachedN,
              quantilesIfState(0.5, 0.95)(duration_ms, NOT cached AND duration_ms IS NOT NULL) AS q,
              sum(ifNull(duration_ms, 0)) AS total
       FROM ${TABLES.buildSteps} FINAL
       WHERE org_id = {orgId:String} AND project_id = {projectId:String}
         AND time >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "time")}
       GROUP BY name
     )
     GROUP BY step
     ORDER BY p95DurationMs DESC NULLS LAST, totalDurationMs DESC, step
     LIMIT {limit:UInt32}`,
    { orgId, projectId: q.projectId, since: q.since, until: q.until, limit: q.limit ?? 20 },
  );
}

export const cacheHitRow = z.object({
  /** Start of the bucket, ISO 8601 UTC. */
  bucket: z.string(),
  steps: num,
  cachedSteps: num,
  /** cachedSteps / steps, 0-1. */
  hitRatio: num,
});
export type CacheHitRow = z.output<typeof cacheHitRow>;

/** Share of BuildKit steps served from cache, per time bucket. */
export async function cacheHitRatio(
  store: TelemetryStore,
  q: OrgScope & Period & { projectId?: string; bucket?: Bucket },
): Promise<CacheHitRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    cacheHitRow,
    // Grouped by the bucket's start, formatted after the aggregation (once per bucket, not per row).
    `SELECT ${formatBucket("start")} AS bucket, count() AS steps, countIf(cached) AS cachedSteps,
            round(countIf(cached) / count(), 4) AS hitRatio
     FROM ${TABLES.buildSteps} FINAL
     WHERE org_id = {orgId:String} ${projectFilter(q.projectId)}
       AND time >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "time")}
     GROUP BY ${bucketStartExpr(q.bucket, "time")} AS start
     ORDER BY start`,
    { orgId, projectId: q.projectId, since: q.since, until: q.until },
  );
}
