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
import { computeUsageRows } from "@slipway/billing/rollup";
import {
  buildDurations,
  cacheHitRatio,
  cacheSizeTrend,
  EmbeddedStore,
  lintRuleFrequencies,
  listBuildSteps,
  listLintFindings,
  listRunnerJobs,
  migrateClickHouse,
  runnerQueueStats,
  runnerUsageByLabel,
  slowestSteps,
  stepHistory,
} from "@slipway/telemetry";
import { loadTelemetry, waitForMutations } from "./load.ts";

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

const dir = reuse ?? (await mkdtemp(join(tmpdir(), "slipway-query-bench-")));
const store = EmbeddedStore.open(join(dir, "clickhouse"));

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

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
  await loadTelemetry(store, {
    builds: BUILDS,
    stepsPerBuild: STEPS_PER_BUILD,
    orgs: ORGS,
    projects: PROJECTS,
    days: DAYS,
  });
}

async function runQueries() {
  await waitForMutations(store);
  const orgId = "org-0";
  const since = new Date(Date.now() - 30 * 86_400_000);
  const [recent] = await store.query<{ build_id: string; project_id: string }>(
    "SELECT build_id, project_id FROM builds_v1 WHERE org_id = {orgId:String} ORDER BY time DESC LIMIT 1",
    { orgId },
  );
  const buildId = recent?.build_id ?? "build-0";
  const buildProject = recent?.project_id ?? "proj-0";
  // The billing rollup's day: yesterday (UTC), all meters, from the raw events.
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const billingDay = { from: new Date(today - 86_400_000), to: new Date(today) };
  const queries: [string, () => Promise<unknown[]>][] = [
    ["build trace (listBuildSteps)", () => listBuildSteps(store, { orgId, buildId })],
    // As the build page asks: with the build's project.
    [
      "build lint findings (listLintFindings)",
      () => listLintFindings(store, { orgId, projectId: buildProject, buildId }),
    ],
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
    [
      "step history (one step, one project)",
      () => stepHistory(store, { orgId, projectId: "proj-0", step: "RUN step 3", since }),
    ],
    ["runner jobs per day and label", () => runnerQueueStats(store, { orgId, since })],
    ["runner jobs list (newest 100)", () => listRunnerJobs(store, { orgId, since })],
    ["billing usage, one day (all meters)", () => computeUsageRows(store, billingDay)],
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
