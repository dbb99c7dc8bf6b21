import type { Row, TelemetryStore } from "./clickhouse/store.ts";
import { toClickHouseDateTime } from "./clickhouse/store.ts";
import type { EventOf, TelemetryEvent } from "./events/index.ts";

/** Who wrote a row: the pipeline sets it from the endpoint an event came through. */
export type EventSource = "builder" | "cli" | "github" | "seed";

export const TABLES = {
  builds: "builds_v1",
  buildSteps: "build_steps_v1",
  lintFindings: "lint_findings_v1",
  runnerJobs: "runner_jobs_v1",
  runnerSteps: "runner_steps_v1",
  cacheSnapshots: "cache_snapshots_v1",
} as const;
export type TableName = (typeof TABLES)[keyof typeof TABLES];

const dt = (v: string) => toClickHouseDateTime(v);
const dtOrNull = (v: string | null) => (v === null ? null : toClickHouseDateTime(v));
const span = (from: string | null, to: string | null) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null;

function buildStarted(e: EventOf<"build.started">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    build_id: d.buildId,
    event_id: e.id,
    event_type: "started",
    time: dt(e.time),
    number: d.number,
    platforms: d.platforms,
    status: "running",
    queued_at: dt(d.queuedAt),
    started_at: dt(d.startedAt),
    finished_at: null,
    duration_ms: null,
    step_count: null,
    cached_step_count: null,
    git_ref: d.gitRef,
    git_sha: d.gitSha,
    error: null,
    image_digest: null,
  };
}

function buildFinished(e: EventOf<"build.finished">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    build_id: d.buildId,
    event_id: e.id,
    event_type: "finished",
    time: dt(e.time),
    number: d.number,
    platforms: [],
    status: d.status,
    queued_at: null,
    started_at: dtOrNull(d.startedAt),
    finished_at: dt(d.finishedAt),
    duration_ms: d.durationMs,
    step_count: d.stepCount,
    cached_step_count: d.cachedStepCount,
    git_ref: null,
    git_sha: null,
    error: d.error,
    image_digest: d.imageDigest,
  };
}

function step(e: EventOf<"step">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    build_id: d.buildId,
    event_id: e.id,
    time: dt(e.time),
    digest: d.digest,
    name: d.name,
    stage: d.stage,
    platform: d.platform,
    dockerfile_line: d.dockerfileLine,
    started_at: dtOrNull(d.startedAt),
    completed_at: dtOrNull(d.completedAt),
    duration_ms: span(d.startedAt, d.completedAt),
    cached: d.cached,
    error: d.error,
    inputs: d.inputs,
  };
}

function lintFinding(e: EventOf<"lint.finding">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    build_id: d.buildId ?? "",
    event_id: e.id,
    time: dt(e.time),
    code: d.code,
    level: d.level,
    line: d.line,
    message: d.message,
    file: d.file,
  };
}

function cacheSnapshot(e: EventOf<"cache.snapshot">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    event_id: e.id,
    time: dt(e.time),
    builder_id: d.builderId,
    size_bytes: d.sizeBytes,
    reclaimable_bytes: d.reclaimableBytes,
    entry_count: d.entryCount,
    hit_count: d.hitCount,
    miss_count: d.missCount,
  };
}

function runnerJob(e: EventOf<"runner.job">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    event_id: e.id,
    time: dt(e.time),
    repository: d.repository,
    workflow: d.workflow,
    run_id: d.runId,
    run_attempt: d.runAttempt,
    job_id: d.jobId,
    job_name: d.jobName,
    labels: d.labels,
    runner_name: d.runnerName,
    runner_group: d.runnerGroup,
    status: d.status,
    conclusion: d.conclusion,
    queued_at: dt(d.queuedAt),
    started_at: dtOrNull(d.startedAt),
    completed_at: dtOrNull(d.completedAt),
    queue_ms: span(d.queuedAt, d.startedAt),
    duration_ms: span(d.startedAt, d.completedAt),
    head_branch: d.headBranch,
    head_sha: d.headSha,
  };
}

function runnerStep(e: EventOf<"runner.step">): Row {
  const d = e.data;
  return {
    org_id: e.orgId,
    project_id: e.projectId,
    event_id: e.id,
    time: dt(e.time),
    repository: d.repository,
    run_id: d.runId,
    run_attempt: d.runAttempt,
    job_id: d.jobId,
    number: d.number,
    name: d.name,
    status: d.status,
    conclusion: d.conclusion,
    started_at: dtOrNull(d.startedAt),
    completed_at: dtOrNull(d.completedAt),
    duration_ms: span(d.startedAt, d.completedAt),
  };
}

/** The table and row a validated event is stored as. */
export function eventToRow(
  event: TelemetryEvent,
  source: EventSource,
): { table: TableName; row: Row } {
  const withSource = (table: TableName, row: Row) => ({ table, row: { ...row, source } });
  switch (event.type) {
    case "build.started":
      return withSource(TABLES.builds, buildStarted(event));
    case "build.finished":
      return withSource(TABLES.builds, buildFinished(event));
    case "step":
      return withSource(TABLES.buildSteps, step(event));
    case "lint.finding":
      return withSource(TABLES.lintFindings, lintFinding(event));
    case "cache.snapshot":
      return withSource(TABLES.cacheSnapshots, cacheSnapshot(event));
    case "runner.job":
      return withSource(TABLES.runnerJobs, runnerJob(event));
    case "runner.step":
      return withSource(TABLES.runnerSteps, runnerStep(event));
  }
}

/**
 * Stores validated events, one INSERT per table per batch of up to `batchSize` rows. Re-sending
 * an event (same id) is harmless: its rows collapse in the ReplacingMergeTree tables.
 */
export async function writeEvents(
  store: TelemetryStore,
  events: readonly TelemetryEvent[],
  opts: { source: EventSource; batchSize?: number },
): Promise<Record<TableName, number>> {
  const byTable = new Map<TableName, Row[]>();
  for (const event of events) {
    const { table, row } = eventToRow(event, opts.source);
    const rows = byTable.get(table) ?? [];
    rows.push(row);
    byTable.set(table, rows);
  }
  const counts = Object.fromEntries(Object.values(TABLES).map((t) => [t, 0])) as Record<
    TableName,
    number
  >;
  const batchSize = opts.batchSize ?? 10_000;
  for (const [table, rows] of byTable) {
    for (let i = 0; i < rows.length; i += batchSize) {
      await store.insert(table, rows.slice(i, i + batchSize));
    }
    counts[table] = rows.length;
  }
  return counts;
}
