/** Insights over `builds_v1`. */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { TABLES } from "../write.ts";
import {
  type Bucket,
  bucketExpr,
  num,
  numOrNull,
  type OrgScope,
  type Period,
  projectFilter,
  requireOrg,
  run,
  untilFilter,
} from "./common.ts";

export const buildDurationRow = z.object({
  /** Start of the bucket, ISO 8601 UTC. */
  bucket: z.string(),
  builds: num,
  failed: num,
  p50DurationMs: numOrNull,
  p95DurationMs: numOrNull,
});
export type BuildDurationRow = z.output<typeof buildDurationRow>;

/** Finished builds per time bucket with duration p50/p95. */
export async function buildDurations(
  store: TelemetryStore,
  q: OrgScope & Period & { projectId?: string; bucket?: Bucket },
): Promise<BuildDurationRow[]> {
  const orgId = requireOrg(q);
  // `time` (the finished event's, about finished_at) also bounds the scan, with a day of slack,
  // so monthly partitions wholly before the period are skipped.
  return run(
    store,
    buildDurationRow,
    `SELECT ${bucketExpr(q.bucket, "finished_at")} AS bucket, count() AS builds,
            countIf(status = 'failed') AS failed,
            round(quantile(0.5)(duration_ms)) AS p50DurationMs,
            round(quantile(0.95)(duration_ms)) AS p95DurationMs
     FROM ${TABLES.builds} FINAL
     WHERE org_id = {orgId:String} AND event_type = 'finished' ${projectFilter(q.projectId)}
       AND finished_at >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "finished_at")}
       AND time >= {since:DateTime64(3, 'UTC')} - INTERVAL 1 DAY
     GROUP BY bucket
     ORDER BY bucket`,
    { orgId, projectId: q.projectId, since: q.since, until: q.until },
  );
}
