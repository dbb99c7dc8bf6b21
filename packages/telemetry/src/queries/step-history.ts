/** One step's recent runs in a project, for the dashboard's step history chart. */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { TABLES } from "../write.ts";
import { NORMALIZED_STEP_NAME_SQL } from "./build-steps.ts";
import { bool, num, numOrNull, type OrgScope, requireOrg, run } from "./common.ts";

export const stepHistoryRow = z.object({
  buildId: z.string(),
  /** When the step first started in that build (ISO 8601 UTC). */
  startedAt: z.string(),
  /** The slowest vertex of that name in the build (one per platform in multi-platform builds). */
  durationMs: numOrNull,
  /** Every vertex of that name in the build came from cache. */
  cached: bool,
  vertices: num,
  failed: bool,
});
export type StepHistoryRow = z.output<typeof stepHistoryRow>;

/**
 * The last `limit` builds (newest first) of a project that ran a step, by normalised name
 * (`RUN npm ci`, without BuildKit's `[stage n/m]` prefix), within `since`.
 */
export async function stepHistory(
  store: TelemetryStore,
  q: OrgScope & { projectId: string; step: string; since: Date; limit?: number },
): Promise<StepHistoryRow[]> {
  const orgId = requireOrg(q);
  // The normalisation runs once per distinct raw name (the subquery), not per row; the outer
  // filter then matches raw names, which the key and partition pruning serve well.
  return run(
    store,
    stepHistoryRow,
    `SELECT build_id AS buildId,
            formatDateTime(min(ifNull(started_at, time)), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS startedAt,
            max(duration_ms) AS durationMs, min(cached) AS cached, count() AS vertices,
            countIf(error IS NOT NULL) > 0 AS failed
     FROM ${TABLES.buildSteps} FINAL
     WHERE org_id = {orgId:String} AND project_id = {projectId:String}
       AND time >= {since:DateTime64(3, 'UTC')}
       AND name IN (
         SELECT DISTINCT name FROM ${TABLES.buildSteps}
         WHERE org_id = {orgId:String} AND project_id = {projectId:String}
           AND time >= {since:DateTime64(3, 'UTC')}
           AND ${NORMALIZED_STEP_NAME_SQL} = {step:String}
       )
     GROUP BY build_id
     ORDER BY startedAt DESC, buildId
     LIMIT {limit:UInt32}`,
    { orgId, projectId: q.projectId, step: q.step, since: q.since, limit: q.limit ?? 50 },
  );
}
