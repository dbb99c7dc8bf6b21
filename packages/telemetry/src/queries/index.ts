/**
 * Insight queries. Each takes the org id as a required argument and filters on it first (every
 * table's key starts with org_id), so one org can never read another's rows. Results are
 * validated with zod; timestamps are ISO 8601 UTC strings.
 */
import { z } from "zod";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { type StepLogEntry, stepLog } from "../events/build.ts";
import { ROLLUPS, TABLES } from "../write.ts";
import { bool, num, numOrNull, type OrgScope, requireOrg, run } from "./common.ts";

export * from "./build-steps.ts";
export * from "./builds.ts";
export * from "./cache.ts";
export { BUCKETS, type Bucket, type OrgScope, type Period } from "./common.ts";
export * from "./lint.ts";
export * from "./runners.ts";
export * from "./step-history.ts";

export const buildSummaryRow = z.object({
  projectId: z.string(),
  buildId: z.string(),
  number: num,
  platforms: z.array(z.string()),
  status: z.string(),
  queuedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: numOrNull,
  stepCount: numOrNull,
  cachedStepCount: numOrNull,
  error: z.string().nullable(),
});
export type BuildSummaryRow = z.output<typeof buildSummaryRow>;

/** Latest builds (newest first), folded from their started/finished events. */
export async function listBuilds(
  store: TelemetryStore,
  q: OrgScope & { projectId?: string; limit?: number },
): Promise<BuildSummaryRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    buildSummaryRow,
    `SELECT project_id AS projectId, build_id AS buildId, max(number) AS number,
            argMaxIf(platforms, time, event_type = 'started') AS platforms,
            argMax(status, time) AS status,
            any(queued_at) AS queuedAt, any(started_at) AS startedAt, any(finished_at) AS finishedAt,
            any(duration_ms) AS durationMs, any(step_count) AS stepCount,
            any(cached_step_count) AS cachedStepCount, any(error) AS error
     FROM ${TABLES.builds} FINAL
     WHERE org_id = {orgId:String}
       ${q.projectId === undefined ? "" : "AND project_id = {projectId:String}"}
     GROUP BY project_id, build_id
     ORDER BY max(time) DESC, buildId
     LIMIT {limit:UInt32}`,
    { orgId, projectId: q.projectId, limit: q.limit ?? 50 },
  );
}

export const buildStepRow = z.object({
  eventId: z.string(),
  digest: z.string(),
  name: z.string(),
  stage: z.string().nullable(),
  platform: z.string().nullable(),
  dockerfileLine: numOrNull,
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  durationMs: numOrNull,
  cached: bool,
  error: z.string().nullable(),
  inputs: z.array(z.string()),
});
export type BuildStepRow = z.output<typeof buildStepRow>;

/**
 * The BuildKit steps of one build, in the order they started. Give `projectId` when known: it is
 * the key prefix before build_id (without it, the build_id bloom filter index finds the rows).
 */
export async function listBuildSteps(
  store: TelemetryStore,
  q: OrgScope & { buildId: string; projectId?: string },
): Promise<BuildStepRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    buildStepRow,
    `SELECT toString(event_id) AS eventId, digest, name, stage, platform,
            dockerfile_line AS dockerfileLine, started_at AS startedAt,
            completed_at AS completedAt, duration_ms AS durationMs, cached, error, inputs
     FROM ${TABLES.buildSteps} FINAL
     WHERE org_id = {orgId:String} AND build_id = {buildId:String}
       ${q.projectId === undefined ? "" : "AND project_id = {projectId:String}"}
     ORDER BY started_at ASC NULLS LAST, name`,
    { orgId, buildId: q.buildId, projectId: q.projectId },
  );
}

const stepLogsRow = z.object({ logs: z.string(), logsTruncated: bool });
const storedStepLogs = z.array(stepLog);

export interface StepLogs {
  logs: StepLogEntry[];
  /** The builder printed more than `logs` holds (they are its head). */
  logsTruncated: boolean;
}

/**
 * What one step of a build printed (the dashboard's step detail), or null when the org, project
 * and build have no step with that digest. Kept apart from {@link listBuildSteps}, which never
 * reads the logs: a build page lists up to thousands of steps. If several rows match (the same
 * vertex in two platforms' builds), the one with logs wins, then the latest. The stored JSON
 * text is parsed and validated; a row that does not hold valid logs throws (as `run` does).
 */
export async function getStepLogs(
  store: TelemetryStore,
  q: OrgScope & { projectId: string; buildId: string; digest: string },
): Promise<StepLogs | null> {
  const orgId = requireOrg(q);
  const [row] = await run(
    store,
    stepLogsRow,
    `SELECT logs, logs_truncated AS logsTruncated
     FROM ${TABLES.buildSteps} FINAL
     WHERE org_id = {orgId:String} AND project_id = {projectId:String}
       AND build_id = {buildId:String} AND digest = {digest:String}
     ORDER BY logs NOT IN ('', '[]') DESC, time DESC
     LIMIT 1`,
    { orgId, projectId: q.projectId, buildId: q.buildId, digest: q.digest },
  );
  if (!row) return null;
  return { logs: parseStoredLogs(row.logs, q), logsTruncated: row.logsTruncated };
}

/** `build_steps_v1.logs` ('' or '[]' when none, else a JSON array of entries) as entries. */
function parseStoredLogs(text: string, q: { buildId: string; digest: string }): StepLogEntry[] {
  if (text === "" || text === "[]") return [];
  const invalid = (why: string) =>
    new Error(`stored logs of step ${q.digest} in build ${q.buildId} are not valid: ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  const r = storedStepLogs.safeParse(json);
  if (!r.success) throw invalid(z.prettifyError(r.error));
  return r.data;
}

export const lintFindingRow = z.object({
  buildId: z.string(),
  projectId: z.string(),
  code: z.string(),
  level: z.string(),
  line: num,
  message: z.string(),
  file: z.string(),
  time: z.string(),
});
export type LintFindingRow = z.output<typeof lintFindingRow>;

/** Lint findings of one build, or of a project's recent builds. */
export async function listLintFindings(
  store: TelemetryStore,
  q: OrgScope & { buildId?: string; projectId?: string; limit?: number },
): Promise<LintFindingRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    lintFindingRow,
    `SELECT build_id AS buildId, project_id AS projectId, code, level, line, message, file, time
     FROM ${TABLES.lintFindings} FINAL
     WHERE org_id = {orgId:String}
       ${q.projectId === undefined ? "" : "AND project_id = {projectId:String}"}
       ${q.buildId === undefined ? "" : "AND build_id = {buildId:String}"}
     ORDER BY time DESC, file, line, code
     LIMIT {limit:UInt32}`,
    { orgId, projectId: q.projectId, buildId: q.buildId, limit: q.limit ?? 500 },
  );
}

export const buildTrendRow = z.object({
  day: z.string(),
  builds: num,
  succeeded: num,
  failed: num,
  p50DurationMs: numOrNull,
  p95DurationMs: numOrNull,
  stepCount: num,
  cachedStepCount: num,
});
export type BuildTrendRow = z.output<typeof buildTrendRow>;

/** Finished builds per day: outcome counts, duration percentiles, cached steps. */
export async function buildTrend(
  store: TelemetryStore,
  q: OrgScope & { since: Date; projectId?: string },
): Promise<BuildTrendRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    buildTrendRow,
    `SELECT toString(toDate(finished_at)) AS day, count() AS builds,
            countIf(status = 'succeeded') AS succeeded, countIf(status = 'failed') AS failed,
            round(quantile(0.5)(duration_ms)) AS p50DurationMs,
            round(quantile(0.95)(duration_ms)) AS p95DurationMs,
            sum(ifNull(step_count, 0)) AS stepCount,
            sum(ifNull(cached_step_count, 0)) AS cachedStepCount
     FROM ${TABLES.builds} FINAL
     WHERE org_id = {orgId:String} AND event_type = 'finished'
       AND finished_at >= {since:DateTime64(3, 'UTC')}
       ${q.projectId === undefined ? "" : "AND project_id = {projectId:String}"}
     GROUP BY day
     ORDER BY day`,
    { orgId, since: q.since, projectId: q.projectId },
  );
}

export const runnerJobRow = z.object({
  projectId: z.string().nullable(),
  repository: z.string(),
  workflow: z.string(),
  runId: num,
  runAttempt: num,
  jobId: num,
  jobName: z.string(),
  labels: z.array(z.string()),
  runnerName: z.string().nullable(),
  runnerGroup: z.string().nullable(),
  status: z.string(),
  conclusion: z.string().nullable(),
  queuedAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  queueMs: numOrNull,
  durationMs: numOrNull,
});
export type RunnerJobRow = z.output<typeof runnerJobRow>;

/** GitHub Actions jobs (latest report of each), newest first. */
export async function listRunnerJobs(
  store: TelemetryStore,
  q: OrgScope & { since?: Date; repository?: string; limit?: number },
): Promise<RunnerJobRow[]> {
  const orgId = requireOrg(q);
  const filters = `${q.repository === undefined ? "" : "AND repository = {repository:String}"}
       ${q.since === undefined ? "" : "AND queued_at >= {since:DateTime64(3, 'UTC')}"}`;
  // The page's jobs are picked from the per-job rollup (migration 0007, narrow columns), then only
  // their reports are read in full: (repository, run_id, job_id) prefixes the key, so the set
  // prunes granules (measured: ~4x faster at 100k reports). Of a job's reports the latest wins,
  // ordered as the rollup orders them (later time, then completed); all of them share queued_at.
  const pageJobs = `SELECT repository, run_id, job_id, run_attempt FROM ${ROLLUPS.runnerJobsLatest}
         WHERE org_id = {orgId:String} ${filters}
         ORDER BY queued_at DESC, job_id DESC
         LIMIT 1 BY job_id, run_attempt
         LIMIT {limit:UInt32}`;
  return run(
    store,
    runnerJobRow,
    `WITH page AS (${pageJobs})
     SELECT project_id AS projectId, repository, workflow, run_id AS runId,
            run_attempt AS runAttempt, job_id AS jobId, job_name AS jobName, labels,
            runner_name AS runnerName, runner_group AS runnerGroup, status, conclusion,
            queued_at AS queuedAt, started_at AS startedAt, completed_at AS completedAt,
            queue_ms AS queueMs, duration_ms AS durationMs
     FROM ${TABLES.runnerJobs} FINAL
     WHERE org_id = {orgId:String} ${filters}
       AND (repository, run_id, job_id) IN (SELECT repository, run_id, job_id FROM page)
       AND (job_id, run_attempt) IN (SELECT job_id, run_attempt FROM page)
     ORDER BY queued_at DESC, job_id DESC, time DESC, status = 'completed' DESC
     LIMIT 1 BY job_id, run_attempt
     LIMIT {limit:UInt32}`,
    {
      orgId,
      repository: q.repository,
      since: q.since,
      limit: q.limit ?? 100,
    },
  );
}

export const runnerQueueRow = z.object({
  day: z.string(),
  label: z.string(),
  jobs: num,
  p50QueueMs: numOrNull,
  p95QueueMs: numOrNull,
  runMinutes: num,
});
export type RunnerQueueRow = z.output<typeof runnerQueueRow>;

/**
 * Per day (of queued_at) and runner label: job count, queue-time percentiles, minutes run. Each
 * job counts once, as its latest report, from the per-job rollup (as runnerUsageByLabel): read
 * from the raw reports, a job reported in progress and then completed counted twice.
 */
export async function runnerQueueStats(
  store: TelemetryStore,
  q: OrgScope & { since: Date },
): Promise<RunnerQueueRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    runnerQueueRow,
    `SELECT toString(toDate(queued_at)) AS day, arrayJoin(labels) AS label, count() AS jobs,
            round(quantile(0.5)(queue_ms)) AS p50QueueMs,
            round(quantile(0.95)(queue_ms)) AS p95QueueMs,
            round(sum(ifNull(duration_ms, 0)) / 60000, 1) AS runMinutes
     FROM ${ROLLUPS.runnerJobsLatest} FINAL
     WHERE org_id = {orgId:String} AND queued_at >= {since:DateTime64(3, 'UTC')}
     GROUP BY day, label
     ORDER BY day, label`,
    { orgId, since: q.since },
  );
}

export const cacheSnapshotRow = z.object({
  projectId: z.string(),
  time: z.string(),
  sizeBytes: num,
  reclaimableBytes: num,
  entryCount: num,
  hitCount: num,
  missCount: num,
});
export type CacheSnapshotRow = z.output<typeof cacheSnapshotRow>;

/** Cache snapshots in time order. */
export async function listCacheSnapshots(
  store: TelemetryStore,
  q: OrgScope & { since?: Date; projectId?: string },
): Promise<CacheSnapshotRow[]> {
  const orgId = requireOrg(q);
  return run(
    store,
    cacheSnapshotRow,
    `SELECT project_id AS projectId, time, size_bytes AS sizeBytes,
            reclaimable_bytes AS reclaimableBytes, entry_count AS entryCount,
            hit_count AS hitCount, miss_count AS missCount
     FROM ${TABLES.cacheSnapshots} FINAL
     WHERE org_id = {orgId:String}
       ${q.projectId === undefined ? "" : "AND project_id = {projectId:String}"}
       ${q.since === undefined ? "" : "AND time >= {since:DateTime64(3, 'UTC')}"}
     ORDER BY time, projectId`,
    { orgId, projectId: q.projectId, since: q.since },
  );
}

export type TelemetryCounts = Record<
  "builds" | "buildSteps" | "lintFindings" | "runnerJobs" | "runnerSteps" | "cacheSnapshots",
  number
>;

/** Rows per table for an org (after collapsing re-sent events); `source` narrows to one writer. */
export async function countTelemetry(
  store: TelemetryStore,
  q: OrgScope & { source?: string },
): Promise<TelemetryCounts> {
  const orgId = requireOrg(q);
  const keys = Object.keys(TABLES) as (keyof typeof TABLES)[];
  const parts = keys.map(
    (k) =>
      `SELECT '${k}' AS k, count() AS n FROM ${TABLES[k]} FINAL WHERE org_id = {orgId:String}` +
      (q.source === undefined ? "" : " AND source = {source:String}"),
  );
  const rows = await run(store, z.object({ k: z.enum(keys), n: num }), parts.join(" UNION ALL "), {
    orgId,
    source: q.source,
  });
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as TelemetryCounts;
  for (const r of rows) counts[r.k] = r.n;
  return counts;
}
