import type { EncodedRows, Row, TelemetryStore } from "./clickhouse/store.ts";
import { toClickHouseDateTime, tsvString, tsvValue } from "./clickhouse/store.ts";
import type { EventOf, StepLogEntry, TelemetryEvent } from "./events/index.ts";

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

/** Rollups kept by materialized views (`*_mv_v1`); never written directly. */
export const ROLLUPS = {
  /** The latest report of each runner job (migration 0007). */
  runnerJobsLatest: "runner_jobs_latest_v1",
} as const;

/**
 * The columns each table's rows are encoded with (the keys {@link eventToRow} sets, in this
 * order; `ingested_at` is left to its DEFAULT). `write.test.ts` checks they match the rows.
 */
export const COLUMNS: Record<TableName, readonly string[]> = {
  builds_v1: [
    "org_id",
    "project_id",
    "build_id",
    "event_id",
    "event_type",
    "time",
    "number",
    "platforms",
    "status",
    "queued_at",
    "started_at",
    "finished_at",
    "duration_ms",
    "step_count",
    "cached_step_count",
    "git_ref",
    "git_sha",
    "error",
    "image_digest",
    "source",
  ],
  build_steps_v1: [
    "org_id",
    "project_id",
    "build_id",
    "event_id",
    "time",
    "digest",
    "name",
    "stage",
    "platform",
    "dockerfile_line",
    "started_at",
    "completed_at",
    "duration_ms",
    "cached",
    "error",
    "logs",
    "logs_truncated",
    "inputs",
    "source",
  ],
  lint_findings_v1: [
    "org_id",
    "project_id",
    "build_id",
    "event_id",
    "time",
    "code",
    "level",
    "line",
    "message",
    "file",
    "source",
  ],
  runner_jobs_v1: [
    "org_id",
    "project_id",
    "event_id",
    "time",
    "repository",
    "workflow",
    "run_id",
    "run_attempt",
    "job_id",
    "job_name",
    "labels",
    "runner_name",
    "runner_group",
    "status",
    "conclusion",
    "queued_at",
    "started_at",
    "completed_at",
    "queue_ms",
    "duration_ms",
    "head_branch",
    "head_sha",
    "source",
  ],
  runner_steps_v1: [
    "org_id",
    "project_id",
    "event_id",
    "time",
    "repository",
    "run_id",
    "run_attempt",
    "job_id",
    "number",
    "name",
    "status",
    "conclusion",
    "started_at",
    "completed_at",
    "duration_ms",
    "source",
  ],
  cache_snapshots_v1: [
    "org_id",
    "project_id",
    "event_id",
    "time",
    "builder_id",
    "size_bytes",
    "reclaimable_bytes",
    "entry_count",
    "hit_count",
    "miss_count",
    "source",
  ],
};

const dt = (v: string) => toClickHouseDateTime(v);
const dtOrNull = (v: string | null) => (v === null ? null : toClickHouseDateTime(v));
const span = (from: string | null, to: string | null) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null;

/**
 * A step's logs as stored in `build_steps_v1.logs`: the compact JSON text of the array, or ''
 * when there are none (`getStepLogs` reads '' and '[]' alike as no logs). `== null`: a queued
 * webhook event of an older job may lack the field.
 */
function stepLogsJson(logs: readonly StepLogEntry[] | null | undefined): string {
  return logs == null || logs.length === 0 ? "" : JSON.stringify(logs);
}

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
    logs: stepLogsJson(d.logs),
    logs_truncated: d.logsTruncated ?? false,
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
  // The builders return fresh objects: setting `source` on them avoids a copy per event.
  const withSource = (table: TableName, row: Row) => {
    (row as Record<string, unknown>).source = source;
    return { table, row };
  };
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

/** A row (keys = columns) as one TabSeparated line over `columns`. */
export function rowTsv(columns: readonly string[], row: Row): string {
  let line = tsvValue(row[columns[0] as string]);
  for (let i = 1; i < columns.length; i++) line += `\t${tsvValue(row[columns[i] as string])}`;
  return `${line}\n`;
}

const NULL_TSV = "\\N";
// `== null`: queued webhook events of older jobs were not run through the schema, so a field
// with a default may be missing; the generic path writes those as null too.
const tsvOrNull = (v: string | null | undefined) => (v == null ? NULL_TSV : tsvString(v));
const dtTsv = (v: string | null | undefined) => (v == null ? NULL_TSV : toClickHouseDateTime(v));
const orNull = (v: number | boolean | string | null | undefined) =>
  v == null ? NULL_TSV : String(v);

/**
 * A step event as its `build_steps_v1` line: the same values as {@link eventToRow} + rowTsv in
 * the order of COLUMNS.build_steps_v1 (write.test.ts checks both agree), without building a row
 * object per event. Digests, UUIDs and platforms cannot hold characters TSV escapes; the logs'
 * JSON text can hold backslashes (JSON escapes newlines and tabs itself), so it is escaped.
 */
export function stepTsv(e: EventOf<"step">, source: EventSource): string {
  const d = e.data;
  const ms = span(d.startedAt ?? null, d.completedAt ?? null);
  const inputs = d.inputs == null || d.inputs.length === 0 ? "[]" : tsvValue(d.inputs);
  const logs = tsvString(stepLogsJson(d.logs));
  return `${tsvString(e.orgId)}\t${tsvOrNull(e.projectId)}\t${tsvOrNull(d.buildId)}\t${e.id}\t${dt(e.time)}\t${tsvOrNull(d.digest)}\t${tsvOrNull(d.name)}\t${tsvOrNull(d.stage)}\t${tsvOrNull(d.platform)}\t${orNull(d.dockerfileLine)}\t${dtTsv(d.startedAt)}\t${dtTsv(d.completedAt)}\t${orNull(ms)}\t${orNull(d.cached)}\t${tsvOrNull(d.error)}\t${logs}\t${d.logsTruncated ?? false}\t${inputs}\t${source}\n`;
}

/**
 * Validated events as encoded rows per table (`TabSeparated` over {@link COLUMNS}): what the
 * ingest route queues and the worker inserts. Profiled on the ingest hot path: TabSeparated
 * costs about half of `JSON.stringify` per row, needs no escaping when the batch is queued as
 * JSON (JSONCompactEachRow lines are full of quotes), and is the engine's cheapest text input.
 */
export function encodeEvents(
  events: readonly TelemetryEvent[],
  source: EventSource,
): Map<TableName, EncodedRows> {
  const parts = new Map<TableName, { columns: readonly string[]; data: string; rows: number }>();
  for (const event of events) {
    // Steps are nearly all of the volume: written straight from the event, no row object.
    if (event.type === "step") {
      let part = parts.get(TABLES.buildSteps);
      if (!part) {
        part = { columns: COLUMNS[TABLES.buildSteps], data: "", rows: 0 };
        parts.set(TABLES.buildSteps, part);
      }
      part.data += stepTsv(event, source);
      part.rows++;
      continue;
    }
    const { table, row } = eventToRow(event, source);
    let part = parts.get(table);
    if (!part) {
      part = { columns: COLUMNS[table], data: "", rows: 0 };
      parts.set(table, part);
    }
    part.data += rowTsv(part.columns, row);
    part.rows++;
  }
  const out = new Map<TableName, EncodedRows>();
  for (const [table, p] of parts) {
    out.set(table, { columns: p.columns, data: p.data, rows: p.rows, format: "TabSeparated" });
  }
  return out;
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
