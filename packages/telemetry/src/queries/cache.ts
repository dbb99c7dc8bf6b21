/** Insights over `cache_snapshots_v1`. */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { TABLES } from "../write.ts";
import {
  type Bucket,
  bucketStartExpr,
  formatBucket,
  num,
  type OrgScope,
  type Period,
  projectFilter,
  requireOrg,
  run,
  untilFilter,
} from "./common.ts";

export const cacheSizeRow = z.object({
  /** Start of the bucket, ISO 8601 UTC. */
  bucket: z.string(),
  /** Sum over projects of each project's last snapshot in the bucket. */
  sizeBytes: num,
  reclaimableBytes: num,
  projects: num,
});
export type CacheSizeRow = z.output<typeof cacheSizeRow>;

/** Build cache size per time bucket (each project's latest snapshot in the bucket, summed). */
export async function cacheSizeTrend(
  store: TelemetryStore,
  q: OrgScope & Period & { projectId?: string; bucket?: Bucket },
): Promise<CacheSizeRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    cacheSizeRow,
    `SELECT ${formatBucket("start")} AS bucket, sum(size) AS sizeBytes,
            sum(reclaimable) AS reclaimableBytes, count() AS projects
     FROM (
       SELECT ${bucketStartExpr(q.bucket, "time")} AS start, project_id,
              argMax(size_bytes, time) AS size,
              argMax(reclaimable_bytes, time) AS reclaimable
       FROM ${TABLES.cacheSnapshots} FINAL
       WHERE org_id = {orgId:String} ${projectFilter(q.projectId)}
         AND time >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "time")}
       GROUP BY start, project_id
     )
     GROUP BY start
     ORDER BY start`,
    { orgId, projectId: q.projectId, since: q.since, until: q.until },
  );
}
