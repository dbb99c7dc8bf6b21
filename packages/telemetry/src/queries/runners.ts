/** Insights over `runner_jobs_v1` (GitHub Actions jobs). */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { ROLLUPS } from "../write.ts";
import {
  num,
  numOrNull,
  type OrgScope,
  type Period,
  requireOrg,
  run,
  untilFilter,
} from "./common.ts";

export const runnerLabelRow = z.object({
  label: z.string(),
  jobs: num,
  runMinutes: num,
  p50QueueMs: numOrNull,
  p95QueueMs: numOrNull,
  maxQueueMs: numOrNull,
});
export type RunnerLabelRow = z.output<typeof runnerLabelRow>;

/**
 * Per runner label over a period: jobs, minutes run and queue time (started - created)
 * percentiles. Each job counts once, as its latest report (queued → in progress → completed).
 */
export async function runnerUsageByLabel(
  store: TelemetryStore,
  q: OrgScope & Period & { repository?: string },
): Promise<RunnerLabelRow[]> {
  const orgId = requireOrg(q);
  // From the per-job rollup (migration 0007: the latest report of each job, maintained by
  // runner_jobs_latest_mv_v1), not by deduplicating every report here.
  return run(
    store,
    runnerLabelRow,
    `SELECT arrayJoin(labels) AS label, count() AS jobs,
            round(sum(ifNull(duration_ms, 0)) / 60000, 1) AS runMinutes,
            round(quantile(0.5)(queue_ms)) AS p50QueueMs,
            round(quantile(0.95)(queue_ms)) AS p95QueueMs,
            max(queue_ms) AS maxQueueMs
     FROM ${ROLLUPS.runnerJobsLatest} FINAL
     WHERE org_id = {orgId:String}
       ${q.repository === undefined ? "" : "AND repository = {repository:String}"}
       AND queued_at >= {since:DateTime64(3, 'UTC')} ${untilFilter(q.until, "queued_at")}
     GROUP BY label
     ORDER BY runMinutes DESC, label`,
    { orgId, repository: q.repository, since: q.since, until: q.until },
  );
}
