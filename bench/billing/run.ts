// Billing rollup at scale: one month of telemetry for many orgs in a temp embedded store (loaded
// with ClickHouse's generators: INSERT ... SELECT ... FROM numbers(n), no rows cross JS), then
//   rollup   = computeUsageRows (the three exact per-day queries, FINAL, runner-type rule, cache
//              integration) + replaceUsageRows (PostgreSQL usage_daily, one transaction)
//   baseline = a plain SELECT ... GROUP BY org, day of the same meters on the same store (no
//              FINAL, no per-build platform join, no runner-type rule, cache as a plain average)
// Time (median of --runs) and peak RSS of this process while each runs (the embedded engine runs
// in-process, so its memory is included), and the ratio rollup / baseline.
//
//   npx tsx bench/billing/run.ts [--scale=1] [--runs=3] [--keep]
//
// Scale 1: 1,000 orgs, 10,000,000 steps (1,000,000 builds x 10 steps), 1,000,000 runner jobs
// (2 reports each), daily cache snapshots for 3 projects per org. --scale=0.1 divides builds,
// steps and jobs by 10 (orgs stay 1,000). Needs PostgreSQL (a throw-away database is cloned
// from the test template and dropped at the end).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeUsageRows, replaceUsageRows } from "@slipway/billing/rollup";
import { createTestDatabase } from "@slipway/db/testing";
import { EmbeddedStore, migrateClickHouse } from "@slipway/telemetry";

const flag = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const SCALE = Math.min(1, Math.max(0.001, flag("scale", 1)));
const RUNS = Math.max(1, flag("runs", 3));
const keep = process.argv.includes("--keep");
const ORGS = 1_000;
const STEPS_PER_BUILD = 10;
const BUILDS = Math.round(1_000_000 * SCALE);
const JOBS = Math.round(1_000_000 * SCALE);
const PROJECTS = 3;
const FROM = new Date("2026-02-01T00:00:00Z");
const TO = new Date("2026-03-01T00:00:00Z");
const MONTH_MS = TO.getTime() - FROM.getTime();
const CHUNK = 2_000_000;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (bytes: number) => `${fmt(bytes / 1_048_576)} MB`;

const dir = await mkdtemp(join(tmpdir(), "slipway-billing-bench-"));
const store = EmbeddedStore.open(join(dir, "clickhouse"));
const pg = await createTestDatabase();

const org = (x: string) => `concat('org-', toString(${x} % ${ORGS}))`;
const project = (x: string) => `concat('proj-', toString(intDiv(${x}, ${ORGS}) % ${PROJECTS}))`;
// Spread over the month (x = 0 .. n-1), away from the month's edges.
const at = (x: string, n: number) =>
  `toDateTime64(${FROM.getTime() / 1000} + 60 + intDiv(${x} * ${Math.floor(MONTH_MS / 1000) - 7200}, ${n}), 3, 'UTC')`;

async function load(label: string, total: number, sql: (from: number, n: number) => string) {
  const t = performance.now();
  for (let from = 0; from < total; from += CHUNK) {
    await store.exec(sql(from, Math.min(CHUNK, total - from)));
  }
  console.log(`  ${label}: ${fmt(total)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** Runs fn while sampling RSS every 20 ms; returns its time and the peak RSS seen. */
async function measure<T>(fn: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - t, peak: Math.max(peak, process.memoryUsage().rss), result };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  await migrateClickHouse(store);
  console.log(
    `scale ${SCALE}: ${fmt(ORGS)} orgs, ${fmt(BUILDS)} builds x ${STEPS_PER_BUILD} steps = ${fmt(BUILDS * STEPS_PER_BUILD)} steps, ${fmt(JOBS)} runner jobs, February 2026`,
  );
  const loadStart = performance.now();
  // Builds: a started row (platforms: 1 or 2) and a finished row each.
  await load("builds_v1 (started + finished)", BUILDS * 2, (from, n) => {
    const b = "intDiv(number, 2)";
    return `INSERT INTO builds_v1 (org_id, project_id, build_id, event_id, event_type, time, number,
              platforms, status, queued_at, started_at, finished_at, duration_ms, step_count,
              cached_step_count, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              if(number % 2 = 0, 'started', 'finished'),
              ${at(b, BUILDS)} + toIntervalMillisecond(if(number % 2 = 0, 0, 30000 + ${b} % 600000)),
              toUInt32(${b} + 1),
              if(number % 2 = 0, if(${b} % 4 = 0, ['linux/amd64', 'linux/arm64'], ['linux/amd64']), []),
              if(number % 2 = 0, 'running', 'succeeded'), ${at(b, BUILDS)}, ${at(b, BUILDS)},
              if(number % 2 = 0, NULL, ${at(b, BUILDS)} + toIntervalMillisecond(30000 + ${b} % 600000)),
              if(number % 2 = 0, NULL, 30000 + ${b} % 600000),
              ${STEPS_PER_BUILD}, 3, 'seed'
            FROM numbers(${from}, ${n})`;
  });
  await load("build_steps_v1", BUILDS * STEPS_PER_BUILD, (from, n) => {
    const b = `intDiv(number, ${STEPS_PER_BUILD})`;
    const s = `number % ${STEPS_PER_BUILD}`;
    return `INSERT INTO build_steps_v1 (org_id, project_id, build_id, event_id, time, digest, name,
              stage, platform, dockerfile_line, started_at, completed_at, duration_ms, cached, error,
              inputs, source)
            SELECT ${org(b)}, ${project(b)}, concat('build-', toString(${b})), generateUUIDv4(number),
              ${at(b, BUILDS)} + toIntervalSecond(${s} * 3),
              concat('sha256:', lower(hex(SHA256(toString(number))))),
              concat('[build ', toString(${s} + 1), '/${STEPS_PER_BUILD}] RUN step'), 'build', NULL,
              toUInt32(${s} + 1), ${at(b, BUILDS)}, ${at(b, BUILDS)} + toIntervalMillisecond(2000),
              2000, ${s} % 3 = 0, NULL, [], 'seed'
            FROM numbers(${from}, ${n})`;
  });
  // Runner jobs: an in-progress and a completed report each (the materialized view keeps the latest).
  await load("runner_jobs_v1 (2 reports per job)", JOBS * 2, (from, n) => {
    const j = "intDiv(number, 2)";
    return `INSERT INTO runner_jobs_v1 (org_id, project_id, event_id, time, repository, workflow,
              run_id, run_attempt, job_id, job_name, labels, runner_name, runner_group, status,
              conclusion, queued_at, started_at, completed_at, queue_ms, duration_ms, source)
            SELECT ${org(j)}, ${project(j)}, generateUUIDv4(number),
              ${at(j, JOBS)} + toIntervalSecond(number % 2 * 60),
              concat('acme/repo-', toString(${j} % 10)), 'ci', toUInt64(${j}), 1, toUInt64(${j}), 'test',
              multiIf(${j} % 5 = 0, ['ubuntu-latest'], ${j} % 5 = 1, ['self-hosted', 'slipway-4cpu'],
                      ${j} % 5 = 2, ['slipway-2cpu', 'slipway-8cpu'], ['slipway-2cpu']),
              'r', 'slipway', if(number % 2 = 0, 'in_progress', 'completed'),
              if(number % 2 = 0, NULL, 'success'), ${at(j, JOBS)}, ${at(j, JOBS)} + toIntervalSecond(5),
              if(number % 2 = 0, NULL, ${at(j, JOBS)} + toIntervalSecond(65 + ${j} % 900)), 5000,
              if(number % 2 = 0, NULL, (60 + ${j} % 900) * 1000), 'seed'
            FROM numbers(${from}, ${n})`;
  });
  const SNAPSHOTS = ORGS * PROJECTS * 29; // daily, from Jan 31 (carried into February)
  await load("cache_snapshots_v1 (daily per project)", SNAPSHOTS, (from, n) => {
    return `INSERT INTO cache_snapshots_v1 (org_id, project_id, event_id, time, size_bytes,
              reclaimable_bytes, entry_count, hit_count, miss_count, source)
            SELECT ${org("number")}, ${project("number")}, generateUUIDv4(number),
              toDateTime64(${FROM.getTime() / 1000 - 86_400} + intDiv(number, ${ORGS * PROJECTS}) * 86400 + number % 3600, 3, 'UTC'),
              1000000000 + (number * 7919) % 9000000000, 0, 1000, 50, 10, 'seed'
            FROM numbers(${from}, ${n})`;
  });
  console.log(`loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  await store.exec("OPTIMIZE TABLE runner_jobs_latest_v1 FINAL");

  // The orgs exist in PostgreSQL (usage of unknown orgs is skipped).
  await pg.db.org.createMany({
    data: Array.from({ length: ORGS }, (_, i) => ({
      id: `org-${i}`,
      slug: `bench-${i}`,
      name: `Bench ${i}`,
    })),
  });

  const range = { from: FROM, to: TO };
  const baselineSql = [
    `SELECT org_id, toDate(time) AS d, sum(duration_ms) AS ms FROM builds_v1
       WHERE event_type = 'finished' AND time >= {from:DateTime64(3, 'UTC')} AND time < {to:DateTime64(3, 'UTC')}
       GROUP BY org_id, d`,
    `SELECT org_id, toDate(queued_at) AS d, labels, sum(duration_ms) AS ms FROM runner_jobs_v1
       WHERE status = 'completed' AND queued_at >= {from:DateTime64(3, 'UTC')} AND queued_at < {to:DateTime64(3, 'UTC')}
       GROUP BY org_id, d, labels`,
    `SELECT org_id, toDate(time) AS d, avg(size_bytes) AS size FROM cache_snapshots_v1
       WHERE time >= {from:DateTime64(3, 'UTC')} AND time < {to:DateTime64(3, 'UTC')}
       GROUP BY org_id, d`,
  ];
  const baseline = async () => {
    let rows = 0;
    for (const sql of baselineSql) rows += (await store.query(sql, { from: FROM, to: TO })).length;
    return rows;
  };

  // Warm-up of both, then interleaved runs (same machine noise for both sides).
  await baseline();
  let rows = await computeUsageRows(store, range);
  const q: number[] = [];
  const w: number[] = [];
  const b: number[] = [];
  let peakRollup = 0;
  let peakBaseline = 0;
  let baselineRows = 0;
  for (let i = 0; i < RUNS; i++) {
    const m1 = await measure(() => computeUsageRows(store, range));
    rows = m1.result;
    q.push(m1.ms);
    const m2 = await measure(() => replaceUsageRows(pg.db, range, rows));
    w.push(m2.ms);
    peakRollup = Math.max(peakRollup, m1.peak, m2.peak);
    const m3 = await measure(baseline);
    b.push(m3.ms);
    baselineRows = m3.result;
    peakBaseline = Math.max(peakBaseline, m3.peak);
  }
  const stored = await pg.db.usageDaily.count();
  const buildMs = rows.filter((r) => r.meter === "build_ms").reduce((s, r) => s + r.quantity, 0n);
  const [plain] = await store.query<{ ms: string }>(
    "SELECT toString(sum(duration_ms)) AS ms FROM builds_v1 WHERE event_type = 'finished'",
  );
  const qm = median(q);
  const wm = median(w);
  const bm = median(b);
  console.log(
    `\nOne month, ${fmt(ORGS)} orgs, median of ${RUNS} runs (peak RSS of this process)\n`,
  );
  console.log("| step | median ms | peak RSS | rows | vs baseline |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  console.log(
    `| baseline: plain SELECT ... GROUP BY org, day (3 queries) | ${fmt(bm)} | ${mb(peakBaseline)} | ${fmt(baselineRows)} | 1.00x |`,
  );
  console.log(
    `| rollup queries (FINAL, per build x platform, runner rule, cache integral) | ${fmt(qm)} | ${mb(peakRollup)} | ${fmt(rows.length)} | ${(qm / bm).toFixed(2)}x |`,
  );
  console.log(
    `| rollup write (PostgreSQL usage_daily, replace in one transaction) | ${fmt(wm)} | | ${fmt(stored)} | |`,
  );
  console.log(
    `| rollup total | ${fmt(qm + wm)} | ${mb(peakRollup)} | | ${((qm + wm) / bm).toFixed(2)}x |`,
  );
  console.log(
    `\ncheck: build ms ${buildMs.toLocaleString("en-US")} (rollup, x platforms) vs ${BigInt(plain?.ms ?? "0").toLocaleString("en-US")} (plain sum, 1 per build); runs gave ${new Set(q.map(() => stored)).size === 1 ? "the same" : "different"} row counts`,
  );
} finally {
  await store.close();
  await pg.drop();
  if (!keep) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
