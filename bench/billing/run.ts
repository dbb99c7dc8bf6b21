// Billing rollup at scale: one month of telemetry for many orgs in a temp embedded store (loaded
// with ClickHouse's generators: INSERT ... SELECT ... FROM numbers(n), no rows cross JS), then
//   rollup   = rollupUsage, what ingest's worker runs: the three exact per-day queries (FINAL,
//              runner-type rule, cache integration), each meter's rows streamed into PostgreSQL
//              as they come (usage_daily, one transaction), twice:
//              first     = into an empty usage_daily (every row inserted)
//              recompute = the same month again, nothing changed (what the 5-minute job, a period
//                          close and a recompute by hand mostly find)
//   baseline = a plain SELECT ... GROUP BY org, day of the same meters on the same store (no
//              FINAL, no per-build platform join, no runner-type rule, cache as a plain average)
// Time (median of --runs) and peak RSS of this process while each runs (the embedded engine runs
// in-process, so its memory is included), and the ratio rollup / baseline; also the CPU time of
// this process and of the PostgreSQL backends (Linux, local PostgreSQL), steadier than wall time
// on a busy machine.
//
//   npx tsx bench/billing/run.ts [--scale=1] [--runs=3] [--keep]
//
// Scale 1: 1,000 orgs, 10,000,000 steps (1,000,000 builds x 10 steps), 1,000,000 runner jobs
// (2 reports each), daily cache snapshots for 3 projects per org. --scale=0.1 divides builds,
// steps and jobs by 10 (orgs stay 1,000). Needs PostgreSQL (a throw-away database is cloned
// from the test template and dropped at the end).

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RollupResult, rollupUsage, usageBatches } from "@slipway/billing/rollup";
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

/**
 * CPU time so far of the PostgreSQL backends serving the bench database (from /proc: only when
 * PostgreSQL runs on this machine under a readable /proc; else NaN). With the CPU of this
 * process (which includes the embedded engine's threads) it gives a measure of the work done
 * that, unlike wall time, does not grow when other processes compete for the cores.
 */
async function pgCpuMs(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  try {
    const pids = await pg.db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
    for (const { pid } of pids) {
      const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ");
      // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
      out.set(pid, (Number(fields?.[11]) + Number(fields?.[12])) * 10);
    }
  } catch {
    out.set(-1, Number.NaN);
  }
  return out;
}

/** Runs fn while sampling RSS every 20 ms; returns its time, CPU time and the peak RSS seen. */
async function measure<T>(fn: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const pgBefore = await pgCpuMs();
  const cpuBefore = process.cpuUsage();
  const t = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t;
    const own = process.cpuUsage(cpuBefore);
    let pgMs = 0;
    for (const [pid, v] of await pgCpuMs()) pgMs += v - (pgBefore.get(pid) ?? 0);
    const cpu = (own.user + own.system) / 1000 + pgMs;
    return { ms, cpu, peak: Math.max(peak, process.memoryUsage().rss), result };
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

  // Warm-up of both (rows discarded), then interleaved runs (same machine noise for both sides).
  await baseline();
  for await (const _ of usageBatches(store, range));
  const first: RollupResult[] = [];
  const again: RollupResult[] = [];
  const b: number[] = [];
  const cpuFirst: number[] = [];
  const cpuAgain: number[] = [];
  const cpuBase: number[] = [];
  let peakFirst = 0;
  let peakAgain = 0;
  let peakBaseline = 0;
  let baselineRows = 0;
  const counts = new Set<number>();
  for (let i = 0; i < RUNS; i++) {
    await pg.db.$executeRaw`TRUNCATE usage_daily`;
    const m1 = await measure(() => rollupUsage(store, pg.db, range));
    first.push(m1.result);
    cpuFirst.push(m1.cpu);
    peakFirst = Math.max(peakFirst, m1.peak);
    const m2 = await measure(() => rollupUsage(store, pg.db, range));
    again.push(m2.result);
    cpuAgain.push(m2.cpu);
    peakAgain = Math.max(peakAgain, m2.peak);
    counts.add(await pg.db.usageDaily.count());
    const m3 = await measure(baseline);
    b.push(m3.ms);
    cpuBase.push(m3.cpu);
    baselineRows = m3.result;
    peakBaseline = Math.max(peakBaseline, m3.peak);
  }
  const [stored] = await pg.db.$queryRaw<{ rows: bigint; build: bigint }[]>`
    SELECT count(*) AS rows, coalesce(sum(quantity) FILTER (WHERE meter = 'build_ms'), 0)::bigint AS build
    FROM usage_daily`;
  const [plain] = await store.query<{ ms: string }>(
    "SELECT toString(sum(duration_ms)) AS ms FROM builds_v1 WHERE event_type = 'finished'",
  );
  const bm = median(b);
  const pick = (rs: RollupResult[], k: "queryMs" | "writeMs") => median(rs.map((r) => r[k]));
  const total = (rs: RollupResult[]) => median(rs.map((r) => r.queryMs + r.writeMs));
  const x = (ms: number) => `${(ms / bm).toFixed(2)}x`;
  console.log(
    `\nOne month, ${fmt(ORGS)} orgs, median of ${RUNS} runs (peak RSS of this process)\n`,
  );
  const bc = median(cpuBase);
  const cx = (ms: number) => (Number.isNaN(ms) ? "n/a" : `${(ms / bc).toFixed(2)}x`);
  const cpuOf = (ms: number) => (Number.isNaN(ms) ? "n/a" : fmt(ms));
  console.log(
    "| step | median ms | vs baseline | CPU ms (this process + PostgreSQL) | CPU vs baseline | peak RSS | rows |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  console.log(
    `| baseline: plain SELECT ... GROUP BY org, day (3 queries) | ${fmt(bm)} | 1.00x | ${cpuOf(bc)} | 1.00x | ${mb(peakBaseline)} | ${fmt(baselineRows)} |`,
  );
  for (const [label, rs, peak, cpus] of [
    ["first rollup (empty usage_daily)", first, peakFirst, cpuFirst],
    ["recompute (nothing changed)", again, peakAgain, cpuAgain],
  ] as const) {
    const last = rs.at(-1);
    console.log(
      `| ${label}: queries (FINAL, per build x platform, runner rule, cache integral) | ${fmt(pick(rs, "queryMs"))} | ${x(pick(rs, "queryMs"))} | | | | ${fmt(last?.rows ?? 0)} |`,
    );
    console.log(
      `| ${label}: PostgreSQL write (${fmt(last?.inserted ?? 0)} inserted, ${fmt(last?.deleted ?? 0)} deleted) | ${fmt(pick(rs, "writeMs"))} | | | | | |`,
    );
    console.log(
      `| ${label}: total | ${fmt(total(rs))} | ${x(total(rs))} | ${cpuOf(median(cpus))} | ${cx(median(cpus))} | ${mb(peak)} | |`,
    );
  }
  console.log(
    `\ncheck: build ms ${stored?.build.toLocaleString("en-US")} (usage_daily, x platforms) vs ${BigInt(plain?.ms ?? "0").toLocaleString("en-US")} (plain sum, 1 per build); ${fmt(Number(stored?.rows ?? 0))} rows stored, runs gave ${counts.size === 1 ? "the same" : "different"} row counts`,
  );
} finally {
  await store.close();
  await pg.drop();
  if (!keep) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
