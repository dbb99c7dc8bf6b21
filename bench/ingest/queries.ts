// Dashboard queries at scale: loads builds, BuildKit steps, lint findings, runner jobs and cache
// snapshots into a temp embedded store with ClickHouse's own generators (INSERT ... SELECT ...
// FROM numbers(n): no rows cross JS), then times each insight query apps/web calls (p50/p95 of
// `--runs` runs, after one warm-up) against the dashboard's 200 ms target.
//
//   npx tsx bench/ingest/queries.ts [builds=1000000] [stepsPerBuild=20] [orgs=1]
//
// One org by default: a self-hosted install is often one org, and it is the worst case (every
// query of the org scans all its rows). Builds are spread over the last 90 days and over 20
// projects; the queries ask for the default 30 days. Bounded: at most 2,000,000 builds and 40
// steps per build; the temp directory is removed at the end (`--keep` keeps it).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildDurations,
  cacheHitRatio,
  cacheSizeTrend,
  EmbeddedStore,
  lintRuleFrequencies,
  listBuildSteps,
  migrateClickHouse,
  runnerUsageByLabel,
  slowestSteps,
} from "@slipway/telemetry";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const keep = process.argv.includes("--keep");
/** `--dir=<path>`: use (and keep) that data directory; loading is skipped if it has steps. */
const reuse = process.argv.find((a) => a.startsWith("--dir="))?.slice(6);
const BUILDS = Math.min(Number(args[0] ?? 1_000_000), 2_000_000);
const STEPS_PER_BUILD = Math.min(Number(args[1] ?? 20), 40);
const ORGS = Math.max(1, Number(args[2] ?? 1));
/** `--runs=<n>`: timed runs per query (default 20; p50 and p95 are over these). */
const RUNS = Math.max(1, Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 20));
const PROJECTS = 20; // per org
const DAYS = 90;
const CHUNK = 2_000_000; // rows per INSERT ... SELECT

const dir = reuse ?? (await mkdtemp(join(tmpdir(), "slipway-query-bench-")));
const store = EmbeddedStore.open(join(dir, "clickhouse"));

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Shared expressions over `b` (the build number): its org, project, and start time, spread
// evenly over the last DAYS days (build 0 newest).
const org = (b: string) => `concat('org-', toString(${b} % ${ORGS}))`;
const project = (b: string) => `concat('proj-', toString(intDiv(${b}, ${ORGS}) % ${PROJECTS}))`;
const started = (b: string) =>
  `toDateTime64(now64(3, 'UTC') - toIntervalMillisecond(intDiv(${b} * ${DAYS * 86_400_000}, ${BUILDS})), 3, 'UTC')`;

async function load(label: string, total: number, sql: (from: number, n: number) => string) {
  const t = performance.now();
  for (let from = 0; from < total; from += CHUNK) {
    await store.exec(sql(from, Math.min(CHUNK, total - from)));
  }
  const ms = performance.now() - t;
  console.log(`  ${label}: ${fmt(total)} rows in ${secs(ms)}`);
  return ms;
}

try {
  await migrateClickHouse(store);
  const [existing] = await store.query<{ n: number }>("SELECT count() AS n FROM build_steps_v1");
  const loaded = Number(existing?.n ?? 0) > 0;
  if (loaded) console.log(`reusing ${dir} (${fmt(Number(existing?.n))} steps)`);
  else
    console.log(
      `loading ${fmt(BUILDS)} builds × ${STEPS_PER_BUILD} steps, ${ORGS} org(s) × ${PROJECTS} projects, ${DAYS} days`,
    );
  const loadStart = performance.now();
  if (!loaded) await loadAll();
  const loadMs = performance.now() - loadStart;
  if (!loaded) console.log(`loaded in ${secs(loadMs)}`);

  await runQueries();
} finally {
  await store.close();
  if (!keep && !reuse) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

async function loadAll() {
  await load("builds_v1 (started + finished)", BUILDS * 2, (from, n) => {
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
  });
  await load("build_steps_v1", BUILDS * STEPS_PER_BUILD, (from, n) => {
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
  });
  await load("lint_findings_v1 (2 per build)", BUILDS * 2, (from, n) => {
    const b = `intDiv(number, 2)`;
    return `INSERT INTO lint_findings_v1 (org_id, project_id, build_id, event_id, time, code, level,
              line, message, file, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              ${started(b)}, concat('DL', toString(3000 + (number * 13) % 40)), 'warning',
              toUInt32(1 + number % 30), 'finding', if(number % 3 = 0, 'Dockerfile', 'api/Dockerfile'),
              'seed'
            FROM numbers(${from}, ${n})`;
  });
  const JOBS = Math.round(BUILDS / 2);
  await load("runner_jobs_v1 (2 reports per job)", JOBS * 2, (from, n) => {
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
  });
  const SNAPSHOTS = ORGS * PROJECTS * DAYS * 24; // hourly per project
  await load("cache_snapshots_v1 (hourly per project)", SNAPSHOTS, (from, n) => {
    return `INSERT INTO cache_snapshots_v1 (org_id, project_id, event_id, time, size_bytes,
              reclaimable_bytes, entry_count, hit_count, miss_count, source)
            SELECT concat('org-', toString(number % ${ORGS})),
              concat('proj-', toString(intDiv(number, ${ORGS}) % ${PROJECTS})), generateUUIDv4(number),
              toDateTime64(now64(3, 'UTC') - toIntervalHour(intDiv(number, ${ORGS * PROJECTS})), 3, 'UTC'),
              1000000000 + number % 7919 * 100000, 100000 * (number % 97), 1000, 50, 10, 'seed'
            FROM numbers(${from}, ${n})`;
  });
}

async function runQueries() {
  // A migration may have started a background mutation (e.g. building a skip index over the
  // rows already stored): time the queries once it is done.
  for (let i = 0; i < 600; i++) {
    const [m] = await store.query<{ n: number }>(
      "SELECT count() AS n FROM system.mutations WHERE NOT is_done",
    );
    if (Number(m?.n ?? 0) === 0) break;
    if (i === 0) console.log("waiting for background mutations...");
    await new Promise((r) => setTimeout(r, 1000));
  }
  const orgId = "org-0";
  const since = new Date(Date.now() - 30 * 86_400_000);
  const [recent] = await store.query<{ build_id: string }>(
    "SELECT build_id FROM builds_v1 WHERE org_id = {orgId:String} ORDER BY time DESC LIMIT 1",
    { orgId },
  );
  const buildId = recent?.build_id ?? "build-0";
  const queries: [string, () => Promise<unknown[]>][] = [
    ["build trace (listBuildSteps)", () => listBuildSteps(store, { orgId, buildId })],
    [
      "slowest steps p50/p95 (one project)",
      () => slowestSteps(store, { orgId, projectId: "proj-0", since }),
    ],
    ["cache hit ratio per day", () => cacheHitRatio(store, { orgId, since, bucket: "day" })],
    [
      "build duration p50/p95 per day",
      () => buildDurations(store, { orgId, since, bucket: "day" }),
    ],
    ["lint rule frequencies", () => lintRuleFrequencies(store, { orgId, since })],
    ["runner minutes / queue time by label", () => runnerUsageByLabel(store, { orgId, since })],
    ["cache size per day", () => cacheSizeTrend(store, { orgId, since, bucket: "day" })],
  ];
  const results: Record<
    string,
    { "p50 ms": number; "p95 ms": number; "min ms": number; rows: number; "< 200 ms (p95)": string }
  > = {};
  for (const [name, run] of queries) {
    const times: number[] = [];
    let rows = 0;
    await run(); // warm-up (marks and caches loaded)
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      rows = (await run()).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) =>
      times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? 0;
    results[name] = {
      "p50 ms": Math.round(at(0.5)),
      "p95 ms": Math.round(at(0.95)),
      "min ms": Math.round(times[0] ?? 0),
      rows,
      "< 200 ms (p95)": at(0.95) < 200 ? "yes" : "NO",
    };
  }
  const [size] = await store.query<{ steps: number; bytes: string }>(
    "SELECT sum(rows) AS steps, formatReadableSize(sum(bytes_on_disk)) AS bytes FROM system.parts WHERE active AND table = 'build_steps_v1'",
  );
  console.log(
    `\nquery bench: ${fmt(BUILDS)} builds, ${fmt(Number(size?.steps ?? 0))} steps (${size?.bytes} on disk), ${ORGS} org(s), embedded ClickHouse, 30-day window, ${RUNS} runs per query after a warm-up\n`,
  );
  console.table(results);
}
