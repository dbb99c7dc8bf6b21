// The telemetry benchmark's load, shared by bench/ingest/queries.ts and bench/web/run.ts: builds,
// BuildKit steps, lint findings, runner jobs and cache snapshots generated inside the embedded
// store with ClickHouse's own generators (INSERT ... SELECT ... FROM numbers(n): no rows cross JS).
//
// Build `b` (0 = newest) is `build-<b>`, number b + 1, of org `org-<b % orgs>` and project
// `proj-<(b / orgs) % projects>`, started `b / builds` of `days` days ago.

import type { TelemetryStore } from "@slipway/telemetry";

export interface TelemetryLoad {
  builds: number;
  stepsPerBuild: number;
  orgs: number;
  /** Per org. */
  projects: number;
  days: number;
}

export const DEFAULT_LOAD: TelemetryLoad = {
  builds: 1_000_000,
  stepsPerBuild: 20,
  orgs: 1,
  projects: 20,
  days: 90,
};

const CHUNK = 2_000_000; // rows per INSERT ... SELECT

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Shared SQL expressions over a build number expression `b`. */
export function loadExpressions({ builds, orgs, projects, days }: TelemetryLoad) {
  return {
    org: (b: string) => `concat('org-', toString(${b} % ${orgs}))`,
    project: (b: string) => `concat('proj-', toString(intDiv(${b}, ${orgs}) % ${projects}))`,
    started: (b: string) =>
      `toDateTime64(now64(3, 'UTC') - toIntervalMillisecond(intDiv(${b} * ${days * 86_400_000}, ${builds})), 3, 'UTC')`,
  };
}

/** Runs `sql(from, n)` over `total` generated rows in chunks; logs and returns the time taken. */
export async function loadRows(
  store: TelemetryStore,
  label: string,
  total: number,
  sql: (from: number, n: number) => string,
  log: (line: string) => void = console.log,
): Promise<number> {
  const t = performance.now();
  for (let from = 0; from < total; from += CHUNK) {
    await store.exec(sql(from, Math.min(CHUNK, total - from)));
  }
  const ms = performance.now() - t;
  log(`  ${label}: ${fmt(total)} rows in ${secs(ms)}`);
  return ms;
}

/** Loads every telemetry table of the benchmark into a migrated, empty store. */
export async function loadTelemetry(
  store: TelemetryStore,
  load: TelemetryLoad,
  log: (line: string) => void = console.log,
): Promise<void> {
  const { builds: BUILDS, stepsPerBuild: STEPS_PER_BUILD, orgs: ORGS, projects: PROJECTS } = load;
  const DAYS = load.days;
  const { org, project, started } = loadExpressions(load);
  await loadRows(
    store,
    "builds_v1 (started + finished)",
    BUILDS * 2,
    (from, n) => {
      const b = `intDiv(number, 2)`;
      return `INSERT INTO builds_v1 (org_id, project_id, build_id, event_id, event_type, time, number,
              platforms, status, queued_at, started_at, finished_at, duration_ms, step_count,
              cached_step_count, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              if(number % 2 = 0, 'started', 'finished'),
              ${started(b)} + toIntervalMillisecond(if(number % 2 = 0, 0, 30000 + ${b} % 600000)),
              toUInt32(${b} + 1), ['linux/amd64'],
              if(number % 2 = 0, 'running', if(${b} % 17 = 0, 'failed', 'succeeded')),
              if(number % 2 = 0, ${started(b)} - toIntervalMillisecond(${b} % 5000), NULL),
              ${started(b)},
              if(number % 2 = 0, NULL, ${started(b)} + toIntervalMillisecond(30000 + ${b} % 600000)),
              if(number % 2 = 0, NULL, 30000 + ${b} % 600000),
              if(number % 2 = 0, NULL, ${STEPS_PER_BUILD}), if(number % 2 = 0, NULL, ${b} % ${STEPS_PER_BUILD}),
              'seed'
            FROM numbers(${from}, ${n})`;
    },
    log,
  );
  await loadRows(
    store,
    "build_steps_v1",
    BUILDS * STEPS_PER_BUILD,
    (from, n) => {
      const b = `intDiv(number, ${STEPS_PER_BUILD})`;
      const s = `number % ${STEPS_PER_BUILD}`;
      return `INSERT INTO build_steps_v1 (org_id, project_id, build_id, event_id, time, digest, name,
              stage, platform, dockerfile_line, started_at, completed_at, duration_ms, cached, error,
              inputs, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              ${started(b)} + toIntervalSecond(${s} * 5),
              concat('sha256:', lower(hex(SHA256(toString(number))))),
              concat('[build ', toString(${s} % 5 + 1), '/5] RUN step ', toString(${s})),
              'build', NULL, toUInt32(${s} + 1),
              ${started(b)} + toIntervalSecond(${s} * 5),
              ${started(b)} + toIntervalSecond(${s} * 5) + toIntervalMillisecond(100 + (number * 7919) % 20000),
              100 + (number * 7919) % 20000, (number * 31) % 3 = 0, NULL, [], 'seed'
            FROM numbers(${from}, ${n})`;
    },
    log,
  );
  await loadRows(
    store,
    "lint_findings_v1 (2 per build)",
    BUILDS * 2,
    (from, n) => {
      const b = `intDiv(number, 2)`;
      return `INSERT INTO lint_findings_v1 (org_id, project_id, build_id, event_id, time, code, level,
              line, message, file, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              ${started(b)}, concat('DL', toString(3000 + (number * 13) % 40)), 'warning',
              toUInt32(1 + number % 30), 'finding', if(number % 3 = 0, 'Dockerfile', 'api/Dockerfile'),
              'seed'
            FROM numbers(${from}, ${n})`;
    },
    log,
  );
  const JOBS = Math.round(BUILDS / 2);
  await loadRows(
    store,
    "runner_jobs_v1 (2 reports per job)",
    JOBS * 2,
    (from, n) => {
      const j = `intDiv(number, 2)`;
      return `INSERT INTO runner_jobs_v1 (org_id, project_id, event_id, time, repository, workflow,
              run_id, run_attempt, job_id, job_name, labels, runner_name, runner_group, status,
              conclusion, queued_at, started_at, completed_at, queue_ms, duration_ms, source)
            SELECT ${org(j)}, ${project(j)}, generateUUIDv4(number),
              ${started(j)} + toIntervalSecond(number % 2 * 60),
              concat('acme/repo-', toString(${j} % 10)), 'ci', toUInt64(${j}), 1, toUInt64(${j}),
              'build', [if(${j} % 3 = 0, 'ubuntu-latest', 'self-hosted'), 'x64'], 'runner-1', NULL,
              if(number % 2 = 0, 'in_progress', 'completed'), if(number % 2 = 0, NULL, 'success'),
              ${started(j)}, ${started(j)} + toIntervalMillisecond(${j} % 90000),
              if(number % 2 = 0, NULL, ${started(j)} + toIntervalSecond(60 + ${j} % 900)),
              ${j} % 90000, if(number % 2 = 0, NULL, (60 + ${j} % 900) * 1000), 'seed'
            FROM numbers(${from}, ${n})`;
    },
    log,
  );
  const SNAPSHOTS = ORGS * PROJECTS * DAYS * 24; // hourly per project
  await loadRows(
    store,
    "cache_snapshots_v1 (hourly per project)",
    SNAPSHOTS,
    (from, n) => {
      return `INSERT INTO cache_snapshots_v1 (org_id, project_id, event_id, time, size_bytes,
              reclaimable_bytes, entry_count, hit_count, miss_count, source)
            SELECT concat('org-', toString(number % ${ORGS})),
              concat('proj-', toString(intDiv(number, ${ORGS}) % ${PROJECTS})), generateUUIDv4(number),
              toDateTime64(now64(3, 'UTC') - toIntervalHour(intDiv(number, ${ORGS * PROJECTS})), 3, 'UTC'),
              1000000000 + number % 7919 * 100000, 100000 * (number % 97), 1000, 50, 10, 'seed'
            FROM numbers(${from}, ${n})`;
    },
    log,
  );
}

/**
 * A migration may have started a background mutation (e.g. building a skip index over the rows
 * already stored): waits (up to 10 minutes) until it is done, so timings do not include it.
 */
export async function waitForMutations(
  store: TelemetryStore,
  log: (line: string) => void = console.log,
): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const [m] = await store.query<{ n: number }>(
      "SELECT count() AS n FROM system.mutations WHERE NOT is_done",
    );
    if (Number(m?.n ?? 0) === 0) return;
    if (i === 0) log("waiting for background mutations...");
    await new Promise((r) => setTimeout(r, 1000));
  }
}
