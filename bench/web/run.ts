// Dashboard pages at scale (issue 6, "Performance (bench/web)").
//
// Loads the telemetry benchmark's data (bench/ingest/load.ts: 1,000,000 builds of one org, 20
// steps each, plus lint, runner and cache rows) into a temp embedded ClickHouse, the matching
// PostgreSQL Build rows of one project (INSERT ... SELECT generate_series) into a temp database
// cloned from the test template, plus one build whose trace has 2,000 steps (8 stages, two at a
// time, inputs recorded); starts ingest and the built dashboard on free ports against them (temp
// SLIPWAY_STATE_DIR, DATABASE_URL, INGEST_URL, a random service token), signs in through the
// sign-in form (a real session), and measures:
//
//   1. server time (request to last byte over loopback) of the builds list, the 2,000-step build
//      page and the project insights page: p50/p95 of 50 sequential requests after 5 warm-up
//      requests, with the same server's cheapest document (the signed-out sign-in page) as the
//      baseline and page/baseline ratios; target p95 < 300 ms;
//   2. the 2,000-step build page loading and hydrating in Chromium (Debian's /usr/bin/chromium, or
//      E2E_CHROMIUM): the longest main-thread task by the page's PerformanceObserver ('longtask')
//      and by a Chromium trace (which also says what filled it), and total blocking time, with a
//      build page of 20 steps as the baseline; target: no task > 200 ms.
//
//   npm run build -w @slipway/web            # the bench serves apps/web/build (or pass --build)
//   npx tsx bench/web/run.ts                 # the issue's scale; about 10 minutes
//   npx tsx bench/web/run.ts --builds=100000 --requests=20 --loads=3   # a quick iteration
//
// Flags: --builds=N (1,000,000; at most 2,000,000), --steps=N (steps of the big build, 2,000),
// --requests=N (50), --warmup=N (5), --loads=N (browser loads per page, 7), --no-http,
// --no-browser, --build (build apps/web first), --web-dir=<dir> (serve <dir>/build instead, e.g. a
// copy of apps/web built from the code before a change), --keep (keep the temp dir and database
// of a successful run) and --reuse=<dir> (measure again without loading; removed at the end
// unless --keep), --save (write each page's document to <dir>/pages), --cpu-prof (V8 CPU profiles
// of the web server in <dir>/profiles).
//
// Needs PostgreSQL and Redis (scripts/start). Memory is bounded by the generators: no rows cross
// JS. Child processes, the browser, the temp dir and the database are removed at the end, also
// on error and Ctrl-C. Typechecked with the other benchmarks by `npx tsc -p bench/tsconfig.json`
// (part of scripts/test).

import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createDb, loadDbEnv } from "@slipway/db";
import { withDatabase } from "@slipway/db/migrate";
import {
  addMember,
  createOrg,
  createProject,
  createTestDatabase,
  createUser,
  prepareTestTemplate,
  TEST_PASSWORD,
} from "@slipway/db/testing";
import { EmbeddedStore, migrateClickHouse, type TelemetryStore } from "@slipway/telemetry";
import { Redis } from "ioredis";
import pg from "pg";
import { chromium } from "playwright-core";
import {
  DEFAULT_LOAD,
  loadTelemetry,
  type TelemetryLoad,
  waitForMutations,
} from "../ingest/load.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const flag = (name: string) => process.argv.includes(`--${name}`);
const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const intOption = (name: string, fallback: number, min: number, max: number) => {
  const raw = option(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got ${raw}`);
  return Math.min(max, Math.max(min, n));
};

const BUILDS = intOption("builds", DEFAULT_LOAD.builds, 1_000, 2_000_000);
const BIG_STEPS = intOption("steps", 2_000, 20, 10_000);
const REQUESTS = intOption("requests", 50, 5, 1_000);
const WARMUP = intOption("warmup", 5, 1, 100);
const LOADS = intOption("loads", 7, 1, 50);
const KEEP = flag("keep");
const REUSE = option("reuse");
const CPU_PROF = flag("cpu-prof");
/** `--web-dir=<dir>`: serve the build in <dir>/build (a copy of apps/web built elsewhere, e.g.
 * the code before a change) instead of apps/web's. */
const WEB_DIR = resolve(option("web-dir") ?? join(ROOT, "apps/web"));
/** `--save`: each page's document is written to <dir>/pages (kept with --keep). */
let SAVE_DIR: string | null = null;
// The bench runs outside Turborepo, so its variables need no entry in turbo.json.
const env = process.env;
const CHROMIUM = env.E2E_CHROMIUM ?? "/usr/bin/chromium";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:16379"; // scripts/start's
const HTTP_TARGET_MS = 300;
const EXIT_ON_SIGTERM =
  "data:text/javascript,process.once('SIGTERM',()=>setTimeout(()=>process.exit(0),100))";
const BLOCK_TARGET_MS = 200;

const LOAD: TelemetryLoad = { ...DEFAULT_LOAD, builds: BUILDS };
const ORG = { id: "org-0", slug: "bench", name: "Bench org" };
const PROJECT = { id: "proj-0", slug: "api", name: "api" };
/** PostgreSQL numbers 1..BUILDS are `build-<BUILDS - number>` (newest: build-0, 20 steps). */
const SMALL_NUMBER = BUILDS;
const BIG_NUMBER = BUILDS + 1;
const BIG_ID = "build-big";
const EMAIL = "bench-owner@example.test";

const fmt = (n: number) => n.toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(line);

interface State {
  dir: string;
  dbName: string;
  builds: number;
  steps: number;
}

// ── clean-up, also on error and Ctrl-C ──
const children: { name: string; proc: ChildProcess }[] = [];
const cleanups: (() => Promise<void>)[] = [];
/** The temp dir and database: removed unless --keep and the run succeeded. */
const removals: (() => Promise<void>)[] = [];
let succeeded = false;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { proc } of children.splice(0)) await stopChild(proc);
    const steps = [...cleanups.splice(0).reverse(), ...(KEEP && succeeded ? [] : removals)];
    for (const run of steps) {
      try {
        await run();
      } catch (err) {
        console.error(`clean-up step failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  // Its own process group (detached): npm, the shell and node beneath it all get the signal.
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(proc.pid as number), signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  signalGroup("SIGKILL"); // anything left in the group
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? ok(address.port) : fail(new Error("no port")),
      );
    });
  });
}

function startChild(
  name: string,
  logFile: string,
  [command, ...args]: [string, ...string[]],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
) {
  const out = createWriteStream(logFile);
  const proc = spawn(command, args, { cwd, env, detached: true, stdio: "pipe" });
  proc.stdout?.pipe(out);
  proc.stderr?.pipe(out);
  children.push({ name, proc });
  return proc;
}

async function waitHttp(url: string, proc: ChildProcess, name: string, logFile: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-20);
      throw new Error(`${name} exited during start-up:\n${tail.join("\n")}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not answer 200 on ${url} within 120 s; see ${logFile}`);
}

// ── data ──

/** The 2,000-step build: 8 stages of equal length, run two at a time; each step waits for the
 * one before it in its stage (recorded as its input, as BuildKit reports it); the first 40% of
 * each stage cached; plus three internal vertices. Also a few lint findings. */
/**
 * The big build's step that printed a lot (the last of stage 0: it ran, not cached): its detail
 * is the "step open" page. 8 stages and 3 internal steps, as loadBigBuild lays them out.
 */
const LOUD_STEP = Math.ceil((BIG_STEPS - 3) / 8) - 1;
const loudStepDigest = () =>
  `sha256:${createHash("sha256").update(`big-${LOUD_STEP}`).digest("hex")}`;

/** 64 KiB of compiler output as stored for one step (the most a step event keeps). */
function loudStepLogs(): string {
  const logs: { at: string; stream: "stdout" | "stderr"; text: string }[] = [];
  let chars = 0;
  for (let n = 0; ; n++) {
    const text = `[${String(n).padStart(4, "0")}] cc -O2 -c src/module-${n % 97}/unit-${n}.c -o build/unit-${n}.o\n`;
    if (chars + text.length > 65_536) break;
    chars += text.length;
    logs.push({
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 60)).toISOString(),
      stream: n % 50 === 49 ? "stderr" : "stdout",
      text,
    });
  }
  return JSON.stringify(logs);
}

async function loadBigBuild(store: TelemetryStore) {
  const stages = 8;
  const internal = 3;
  const total = BIG_STEPS - internal;
  const per = Math.ceil(total / stages);
  const digest = (n: string) =>
    `concat('sha256:', lower(hex(SHA256(concat('big-', toString(${n}))))))`;
  const t0 = `toDateTime64(now64(3, 'UTC') - toIntervalSecond(${Math.ceil((stages / 2) * per) + 60}), 3, 'UTC')`;
  const st = `intDiv(number, ${per})`;
  const i = `(number % ${per})`;
  const cached = `${i} < ${Math.floor(per * 0.4)}`;
  // Stage pairs run side by side; every step gets a 1 s slot, a cached one takes 0.
  const start = `${t0} + toIntervalSecond(intDiv(${st}, 2) * ${per} + ${i})`;
  const duration = `if(${cached}, 0, 200 + (number * 7919) % 800)`;
  await store.exec(
    `INSERT INTO build_steps_v1 (org_id, project_id, build_id, event_id, time, digest,
      name, stage, platform, dockerfile_line, started_at, completed_at, duration_ms, cached, error,
      logs, inputs, source)
    SELECT '${ORG.id}', '${PROJECT.id}', '${BIG_ID}', generateUUIDv4(number), ${start}, ${digest("number")},
      concat('[stage-', toString(${st}), ' ', toString(${i} + 1), '/${per}] ',
        multiIf(${i} = 0, concat('FROM debian:12-slim AS stage-', toString(${st})),
                ${i} % 10 = 1, concat('COPY src/module-', toString(${i}), ' /src/module-', toString(${i})),
                concat('RUN make -C /src target-', toString(${i}), ' JOBS=2'))),
      concat('stage-', toString(${st})), NULL, toUInt32(number + 1),
      ${start}, ${start} + toIntervalMillisecond(${duration}), ${duration}, ${cached}, NULL,
      if(number = ${LOUD_STEP}, {logs:String}, ''),
      if(${i} = 0, [], [${digest("number - 1")}]), 'seed'
    FROM numbers(${total})`,
    { logs: loudStepLogs() },
  );
  await store.exec(`INSERT INTO build_steps_v1 (org_id, project_id, build_id, event_id, time, digest,
      name, stage, platform, dockerfile_line, started_at, completed_at, duration_ms, cached, error,
      inputs, source)
    SELECT '${ORG.id}', '${PROJECT.id}', '${BIG_ID}', generateUUIDv4(number), ${t0} - toIntervalSecond(3 - number),
      ${digest("number + 1000000")}, concat('[internal] load ', ['build definition from Dockerfile', '.dockerignore', 'build context'][number + 1]),
      NULL, NULL, NULL, ${t0} - toIntervalSecond(3 - number), ${t0} - toIntervalSecond(2 - number), 1000, false, NULL, [], 'seed'
    FROM numbers(${internal})`);
  await store.exec(`INSERT INTO lint_findings_v1 (org_id, project_id, build_id, event_id, time, code,
      level, line, message, file, source)
    SELECT '${ORG.id}', '${PROJECT.id}', '${BIG_ID}', generateUUIDv4(number), now64(3, 'UTC'),
      concat('DL', toString(3000 + number)), 'warning', toUInt32(1 + number * 37), 'finding', 'Dockerfile', 'seed'
    FROM numbers(12)`);
  return total + internal;
}

async function loadClickHouse(dir: string): Promise<number> {
  const store = EmbeddedStore.open(join(dir, "clickhouse"));
  try {
    await migrateClickHouse(store);
    log(`loading ClickHouse: ${fmt(BUILDS)} builds × ${LOAD.stepsPerBuild} steps`);
    const t = performance.now();
    await loadTelemetry(store, LOAD, log);
    const steps = await loadBigBuild(store);
    log(`  ${BIG_ID}: ${fmt(steps)} steps`);
    await waitForMutations(store, log);
    log(`ClickHouse loaded in ${secs(performance.now() - t)}`);
    return steps;
  } finally {
    await store.close();
  }
}

async function loadPostgres(url: string, steps: number): Promise<void> {
  const db = createDb(url, { max: 2 });
  try {
    await createOrg(db, ORG);
    const user = await createUser(db, { email: EMAIL, name: "Bench owner" });
    await addMember(db, ORG.id, user.id, "OWNER");
    await createProject(db, { ...PROJECT, orgId: ORG.id, lastBuildNumber: BIG_NUMBER });
  } finally {
    await db.$disconnect();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    log(`loading PostgreSQL: ${fmt(BUILDS)} Build rows of one project`);
    const t = performance.now();
    const chunk = 250_000;
    for (let from = 1; from <= BUILDS; from += chunk) {
      const to = Math.min(BUILDS, from + chunk - 1);
      // Build number g is build-(N - g): started (N - g) / N of 90 days ago, like telemetry.
      await client.query(
        `INSERT INTO builds (id, org_id, project_id, number, status, platforms, tags, triggered_by,
           git_commit, git_branch, created_at, queued_at, started_at, finished_at, duration_ms,
           step_count, cached_step_count, cache_hit_ratio, context_bytes, context_file_count, seeded)
         SELECT 'build-' || ($1 - g), $2, $3, g,
           (CASE WHEN ($1 - g) % 17 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"BuildStatus",
           ARRAY['linux/amd64'], ARRAY['api:' || g::text], 'ci', md5(g::text),
           CASE WHEN g % 5 = 0 THEN 'feature/' || (g % 97)::text ELSE 'main' END,
           t - interval '1 second', t - interval '1 second', t,
           t + (30000 + ($1 - g) % 600000) * interval '1 millisecond', 30000 + ($1 - g) % 600000,
           ${LOAD.stepsPerBuild}, ($1 - g) % ${LOAD.stepsPerBuild},
           (($1 - g) % ${LOAD.stepsPerBuild})::float8 / ${LOAD.stepsPerBuild}, 50000000, 1200, true
         FROM generate_series($4::int, $5::int) AS g,
           LATERAL (SELECT now() - (($1 - g)::float8 / $1 * 90) * interval '1 day' AS t) AS x`,
        [BUILDS, ORG.id, PROJECT.id, from, to],
      );
    }
    await client.query(
      `INSERT INTO builds (id, org_id, project_id, number, status, platforms, tags, triggered_by,
         git_commit, git_branch, created_at, queued_at, started_at, finished_at, duration_ms,
         step_count, cached_step_count, cache_hit_ratio, seeded)
       VALUES ($1, $2, $3, $4, 'SUCCEEDED', ARRAY['linux/amd64'], ARRAY['api:big'], 'ci', md5('big'),
         'main', now() - interval '20 minutes', now() - interval '20 minutes',
         now() - interval '19 minutes', now(), 1140000, $5, $6, $7, true)`,
      [BIG_ID, ORG.id, PROJECT.id, BIG_NUMBER, steps, Math.floor(steps * 0.4), 0.4],
    );
    log(`  builds: ${fmt(BUILDS + 1)} rows in ${secs(performance.now() - t)}`);
    // The steady state of a table autovacuum has seen (visibility map set, statistics fresh).
    const v = performance.now();
    await client.query("VACUUM ANALYZE builds");
    log(`  VACUUM ANALYZE builds: ${secs(performance.now() - v)}`);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

// ── HTTP timings ──

interface Timing {
  page: string;
  ms: number[];
  bytes: number;
}

const at = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;

async function getDocument(url: string, cookie: string | null) {
  const res = await fetch(url, {
    headers: cookie ? { cookie } : {},
    redirect: "manual",
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.text();
  return { status: res.status, body };
}

async function timePage(
  page: string,
  url: string,
  cookie: string | null,
  check: (html: string) => string | null,
): Promise<Timing> {
  const first = await getDocument(url, cookie);
  if (first.status !== 200) throw new Error(`${page}: ${url} answered ${first.status}`);
  if (SAVE_DIR) {
    await mkdir(SAVE_DIR, { recursive: true });
    await writeFile(join(SAVE_DIR, `${page.replace(/[^a-z0-9]+/gi, "-")}.html`), first.body);
  }
  const problem = check(first.body);
  if (problem) throw new Error(`${page}: ${url}: ${problem}`);
  for (let i = 1; i < WARMUP; i++) await getDocument(url, cookie);
  const ms: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const { status } = await getDocument(url, cookie);
    ms.push(performance.now() - t);
    if (status !== 200) throw new Error(`${page}: ${url} answered ${status} on request ${i + 1}`);
  }
  return { page, ms, bytes: Buffer.byteLength(first.body) };
}

const notUnavailable = (html: string) =>
  html.includes('data-testid="insights-unavailable"')
    ? "telemetry unavailable (ingest did not answer): the timing would be meaningless"
    : null;

async function signIn(base: string): Promise<{ cookie: string }> {
  const res = await fetch(`${base}/signin`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: EMAIL, password: TEST_PASSWORD, next: "/" }).toString(),
  });
  await res.arrayBuffer();
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-slipway_session="));
  if (res.status !== 302 || !setCookie) {
    throw new Error(`signing in failed: ${res.status} without a session cookie`);
  }
  return { cookie: setCookie.split(";")[0] as string };
}

/** Ingest's time per query route while the pages were timed (from its request log). */
async function summariseIngest(logFile: string) {
  const urls = new Map<string, string>();
  const times = new Map<string, number[]>();
  for (const line of (await readFile(logFile, "utf8")).split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as {
      reqId?: string;
      req?: { url?: string };
      responseTime?: number;
    };
    if (!entry.reqId) continue;
    if (entry.req?.url) {
      const path = entry.req.url.split("?")[0] ?? "";
      urls.set(entry.reqId, path);
    } else if (entry.responseTime !== undefined) {
      const route = urls.get(entry.reqId);
      if (!route?.startsWith("/v1/query/")) continue;
      times.set(route, [...(times.get(route) ?? []), entry.responseTime]);
    }
  }
  const table = [...times].map(([route, ms]) => {
    const sorted = ms.sort((a, b) => a - b);
    return {
      "ingest route": route,
      calls: sorted.length,
      "p50 ms": Math.round(at(sorted, 0.5)),
      "p95 ms": Math.round(at(sorted, 0.95)),
    };
  });
  log("\ningest's side of those pages (its request log: handler time per query route)\n");
  console.table(table);
}

// ── browser ──

interface BrowserLoad {
  /** From the page's PerformanceObserver (untraced loads). */
  longestMs: number;
  tbtMs: number;
  tasks: number;
  hydratedMs: number;
  /** Every waterfall row in the DOM (the waterfall renders long builds in chunks). */
  allRowsMs: number;
  rows: number;
}

interface TracedLoad {
  /** The longest task of the page's renderer main thread, from a Chromium trace. */
  longestMs: number;
  /** What that task spent its time on (its largest top-level activities). */
  inside: string;
}

const OBSERVE_LONG_TASKS = `
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {
    window.__longtaskError = String(e);
  }
`;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { beginData?: { url?: string }; data?: { functionName?: string; url?: string } };
}

/** The longest main-thread task of the renderer that parsed `url`, and what filled it. */
function longestTask(events: TraceEvent[], url: string): TracedLoad {
  const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url === url);
  if (!parse) throw new Error(`the trace has no ParseHTML of ${url}`);
  const thread = events.filter(
    (e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === "X" && e.ts >= parse.ts - 1e6,
  );
  const tasks = thread.filter((e) => e.name === "ThreadControllerImpl::RunTask");
  const longest = tasks.reduce<TraceEvent | undefined>(
    (a, b) => ((b.dur ?? 0) > (a?.dur ?? 0) ? b : a),
    undefined,
  );
  if (!longest) return { longestMs: 0, inside: "" };
  const end = longest.ts + (longest.dur ?? 0);
  const activities = new Set([
    "ParseHTML",
    "EvaluateScript",
    "v8.evaluateModule",
    "v8.compileModule",
    "v8.compile",
    "FunctionCall",
    "TimerFire",
    "FireIdleCallback",
    "FireAnimationFrame",
    "EventDispatch",
    "RunMicrotasks",
    "V8.Execute",
    "v8.run",
    "v8.callFunction",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "MajorGC",
    "MinorGC",
  ]);
  // Top-level activities inside the task (nested ones are counted in their parent).
  const inside = thread
    .filter((e) => activities.has(e.name) && e.ts >= longest.ts && e.ts < end)
    .sort((a, b) => a.ts - b.ts);
  const totals = new Map<string, number>();
  let coveredUntil = 0;
  for (const e of inside) {
    if (e.ts < coveredUntil) continue;
    coveredUntil = e.ts + (e.dur ?? 0);
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return {
    longestMs: (longest.dur ?? 0) / 1000,
    inside: [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, ms]) => `${name} ${Math.round(ms)}`)
      .join(", "),
  };
}

async function measureBrowser(base: string, pages: { name: string; url: string }[]) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // A real session, through the sign-in form (a Secure cookie cannot be set for http:// here).
  const signin = await context.newPage();
  await signin.goto(`${base}/signin`);
  await signin.getByLabel("Email").fill(EMAIL);
  await signin.getByLabel("Password").fill(TEST_PASSWORD);
  await signin.getByRole("button", { name: "Sign in" }).click();
  await signin.waitForURL((u) => u.pathname !== "/signin");
  await signin.close();
  await context.addInitScript(OBSERVE_LONG_TASKS);
  const results = new Map(
    pages.map((p) => [p.name, { loads: [] as BrowserLoad[], traced: [] as TracedLoad[] }]),
  );
  // One warm-up load each (caches the assets), then LOADS loads measured by the page's own
  // observer, then LOADS under Chromium's tracer (which slows the page down a little); fresh tabs,
  // the pages interleaved.
  for (let round = 0; round <= 2 * LOADS; round++) {
    const traced = round > LOADS;
    for (const p of pages) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      if (traced) {
        await browser.startTracing(page, {
          // Not disabled-by-default-devtools.timeline: its style-invalidation tracking alone
          // doubled the Layout and style times of a 2,000-row page.
          categories: ["toplevel", "devtools.timeline", "v8.execute"],
        });
      }
      await page.goto(`${base}${p.url}`, { waitUntil: "load" });
      if (new URL(page.url()).pathname !== p.url) {
        throw new Error(`${p.name}: the browser ended up on ${page.url()} (not signed in?)`);
      }
      // Hydrated: React has attached its fiber to the waterfall.
      await page.waitForFunction(
        () => {
          const el = document.querySelector('[data-testid="waterfall"]');
          return el !== null && Object.keys(el).some((k) => k.startsWith("__reactFiber"));
        },
        undefined,
        { timeout: 60_000, polling: "raf" },
      );
      const hydratedMs = await page.evaluate(() => performance.now());
      await page.waitForSelector('[data-testid="waterfall"]:not([aria-busy])', {
        timeout: 60_000,
      });
      const allRowsMs = await page.evaluate(() => performance.now());
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(500); // tasks after that (effects, idle callbacks)
      const measured = await page.evaluate(() => {
        const w = window as unknown as {
          __longtasks: { start: number; duration: number }[];
          __longtaskError?: string;
        };
        return {
          tasks: w.__longtasks,
          error: w.__longtaskError ?? null,
          rows: document.querySelectorAll('[data-testid="waterfall-row"]').length,
        };
      });
      const trace = traced ? await browser.stopTracing() : null;
      if (round === 0) {
        // The waterfall still works: its last row (added after hydration) opens its step detail.
        const last = page.getByTestId("waterfall-row").last();
        const title = (await last.getAttribute("title")) ?? "";
        await last.click();
        const shown = await page.getByTestId("step-detail").locator("pre").first().textContent();
        if (!title.startsWith(`${shown} · `)) {
          throw new Error(`${p.name}: clicking "${title}" showed the detail of "${shown}"`);
        }
      }
      if (measured.error) throw new Error(`longtask observer: ${measured.error}`);
      if (errors.length > 0) throw new Error(`${p.name}: page errors: ${errors.join("; ")}`);
      await page.close();
      if (round === 0) continue;
      const result = results.get(p.name);
      if (trace) {
        const events = (JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] })
          .traceEvents;
        result?.traced.push(longestTask(events, `${base}${p.url}`));
        continue;
      }
      const durations = measured.tasks.map((t) => t.duration);
      result?.loads.push({
        longestMs: Math.max(0, ...durations),
        tbtMs: durations.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
        tasks: durations.length,
        hydratedMs,
        allRowsMs,
        rows: measured.rows,
      });
    }
  }
  await browser.close();
  return results;
}

// ── main ──

async function main() {
  const started = performance.now();
  const { DATABASE_URL } = loadDbEnv();
  let state: State;
  if (REUSE) {
    state = JSON.parse(await readFile(join(REUSE, "bench-web.json"), "utf8")) as State;
    if (state.builds !== BUILDS) {
      throw new Error(`${REUSE} holds ${state.builds} builds; pass --builds=${state.builds}`);
    }
    log(`reusing ${state.dir} (database ${state.dbName}, ${fmt(state.builds)} builds)`);
    // Reused data stays with --keep, even when this run fails.
    const { dir, dbName } = state;
    if (!KEEP) removals.push(() => dropDatabase(DATABASE_URL, dbName));
    if (!KEEP) removals.push(() => rm(dir, { recursive: true, force: true }));
  } else {
    const dir = await mkdtemp(join(tmpdir(), "slipway-web-bench-"));
    removals.push(() => rm(dir, { recursive: true, force: true }));
    await prepareTestTemplate(DATABASE_URL);
    const database = await createTestDatabase(DATABASE_URL);
    await database.db.$disconnect();
    const dbName = new URL(database.url).pathname.slice(1);
    removals.unshift(() => database.drop());
    const steps = await loadClickHouse(dir);
    await loadPostgres(database.url, steps);
    state = { dir, dbName, builds: BUILDS, steps };
    await writeFile(join(dir, "bench-web.json"), JSON.stringify(state));
  }
  const dbUrl = withDatabase(DATABASE_URL, state.dbName);
  if (flag("save")) SAVE_DIR = join(state.dir, "pages");

  const buildFile = join(WEB_DIR, "build/server/index.js");
  if (flag("build")) {
    log("building apps/web (npm run build -w @slipway/web)");
    await new Promise<void>((ok, fail) => {
      const proc = spawn("npm", ["run", "-s", "build", "-w", "@slipway/web"], {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "inherit"],
      });
      proc.once("exit", (code) => (code === 0 ? ok() : fail(new Error(`build exited ${code}`))));
    });
  } else if (!existsSync(buildFile)) {
    throw new Error(
      `${buildFile} is missing: run \`npm run build -w @slipway/web\` or pass --build`,
    );
  } else {
    log(`using the build in ${WEB_DIR} of ${(await stat(buildFile)).mtime.toISOString()}`);
  }

  const [ingestPort, webPort] = [await freePort(), await freePort()];
  const ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const base = `http://127.0.0.1:${webPort}`;
  const serviceToken = randomBytes(32).toString("hex");
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: dbUrl,
    SLIPWAY_STATE_DIR: state.dir,
    INGEST_URL: ingestUrl,
    INGEST_SERVICE_TOKEN: serviceToken,
    TURBO_TELEMETRY_DISABLED: "1",
  };
  const ingestLog = join(state.dir, "ingest.log");
  const queuePrefix = `bench-web-${randomBytes(4).toString("hex")}`;
  // Ingest's (empty) queues leave their keys in Redis: removed once ingest has stopped.
  cleanups.push(() => deleteRedisKeys(env.REDIS_URL ?? DEFAULT_REDIS_URL, `${queuePrefix}:*`));
  const ingest = startChild(
    "ingest",
    ingestLog,
    ["npm", "run", "-s", "start", "-w", "@slipway/ingest"],
    {
      ...childEnv,
      INGEST_HOST: "127.0.0.1",
      INGEST_PORT: String(ingestPort),
      // Queries only: no queue worker or billing rollups, and its own queue keys in Redis.
      INGEST_WORKER: "off",
      INGEST_QUEUE_PREFIX: queuePrefix,
      // Fastify logs each request with its handler time: summarised after the HTTP timings.
      LOG_LEVEL: "info",
    },
  );
  const profiles = join(state.dir, "profiles");
  if (CPU_PROF) await mkdir(profiles, { recursive: true });
  const webLog = join(state.dir, "web.log");
  const webEnv = {
    ...childEnv,
    NODE_ENV: "production",
    WEB_HOST: "127.0.0.1",
    WEB_PORT: String(webPort),
    HOST: "127.0.0.1",
    PORT: String(webPort),
  };
  // What `npm run start -w @slipway/web` runs (react-router-serve with HOST and PORT), started
  // directly so that --cpu-prof can profile it; a profile is written at exit, so it exits on
  // SIGTERM (the server alone would wait for its database pools).
  const web = startChild(
    "web",
    webLog,
    [
      process.execPath,
      ...(CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${profiles}`, `--import=${EXIT_ON_SIGTERM}`]
        : []),
      join(ROOT, "node_modules/@react-router/serve/bin.js"),
      "./build/server/index.js",
    ],
    webEnv,
    WEB_DIR,
  );
  await waitHttp(`${ingestUrl}/healthz`, ingest, "ingest", ingestLog);
  await waitHttp(`${base}/favicon.svg`, web, "web", webLog);
  log(`ingest on ${ingestUrl}, web on ${base} (logs in ${state.dir})`);

  const { cookie } = await signIn(base);
  const project = `/orgs/${ORG.slug}/projects/${PROJECT.slug}`;
  const pages = {
    list: `${project}`,
    big: `${project}/builds/${BIG_NUMBER}`,
    small: `${project}/builds/${SMALL_NUMBER}`,
    insights: `${project}/insights`,
  };

  if (!flag("no-http")) {
    log(`\ntiming documents: ${WARMUP} warm-up + ${REQUESTS} sequential requests each`);
    const timings: Timing[] = [];
    const run = async (
      name: string,
      url: string,
      withCookie: boolean,
      check: (html: string) => string | null,
    ) => {
      timings.push(await timePage(name, `${base}${url}`, withCookie ? cookie : null, check));
    };
    await run("baseline: sign-in page (signed out)", "/signin", false, (h) =>
      h.includes("Sign in to Slipway") ? null : "not the sign-in form",
    );
    await run("builds list (page 1)", pages.list, true, (h) =>
      h.includes(`/builds/${BIG_NUMBER}"`) ? null : "the newest build is not listed",
    );
    await run(`build page (${fmt(state.steps)} steps)`, pages.big, true, (h) => {
      if (notUnavailable(h)) return notUnavailable(h);
      return h.includes('data-testid="waterfall"') ? null : "no waterfall";
    });
    await run(
      `build page (${fmt(state.steps)} steps), a step open with 64 KiB of logs`,
      // as the waterfall links a step: its id, the digest's first 16 hex digits
      `${pages.big}?step=${loudStepDigest().slice(7, 23)}`,
      true,
      (h) => notUnavailable(h) ?? (h.includes('data-testid="step-logs"') ? null : "no step logs"),
    );
    await run(
      `build page (${LOAD.stepsPerBuild} steps)`,
      pages.small,
      true,
      (h) => notUnavailable(h) ?? (h.includes('data-testid="waterfall"') ? null : "no waterfall"),
    );
    await run("insights", pages.insights, true, notUnavailable);
    const baseline = timings[0] as Timing;
    const baseP50 = at(
      [...baseline.ms].sort((a, b) => a - b),
      0.5,
    );
    const baseP95 = at(
      [...baseline.ms].sort((a, b) => a - b),
      0.95,
    );
    const table = timings.map((t) => {
      const sorted = [...t.ms].sort((a, b) => a - b);
      const p50 = at(sorted, 0.5);
      const p95 = at(sorted, 0.95);
      const isBaseline = t === baseline;
      return {
        page: t.page,
        "p50 ms": Math.round(p50),
        "p95 ms": Math.round(p95),
        "max ms": Math.round(sorted[sorted.length - 1] ?? 0),
        "p50 ×base": isBaseline ? "1.0" : (p50 / baseP50).toFixed(1),
        "p95 ×base": isBaseline ? "1.0" : (p95 / baseP95).toFixed(1),
        "doc KB": Math.round(t.bytes / 1024),
        [`p95 < ${HTTP_TARGET_MS} ms`]: p95 < HTTP_TARGET_MS ? "yes" : "NO",
      };
    });
    log(
      `\nserver time (request to last byte, loopback): ${fmt(BUILDS)} builds in ClickHouse and PostgreSQL, ${REQUESTS} requests per page after ${WARMUP} warm-up\n`,
    );
    console.table(table);
  }

  if (!flag("no-http")) await summariseIngest(ingestLog);

  if (!flag("no-browser")) {
    log(
      `\nChromium: 1 warm-up + ${LOADS} loads + ${LOADS} traced loads of each build page (fresh tab each, interleaved)`,
    );
    const results = await measureBrowser(base, [
      { name: `build page, ${fmt(state.steps)} steps`, url: pages.big },
      { name: `baseline: build page, ${LOAD.stepsPerBuild} steps`, url: pages.small },
    ]);
    const median = (values: number[]) =>
      at(
        [...values].sort((a, b) => a - b),
        0.5,
      );
    const rows = [...results.entries()].map(([name, { loads, traced }]) => {
      const med = (f: (l: BrowserLoad) => number) => median(loads.map(f));
      const worst = Math.max(...loads.map((l) => l.longestMs), ...traced.map((t) => t.longestMs));
      const worstTraced = traced.reduce<TracedLoad | undefined>(
        (a, b) => (b.longestMs > (a?.longestMs ?? -1) ? b : a),
        undefined,
      );
      return { name, med, worst, loads, traced, worstTraced };
    });
    const baseline = rows.find((r) => r.name.startsWith("baseline"));
    const tracedMedian = (r: (typeof rows)[number]) => median(r.traced.map((t) => t.longestMs));
    const table = rows.map((r) => ({
      page: r.name,
      rows: r.loads[0]?.rows ?? 0,
      "longest task ms (observer, median)": Math.round(r.med((l) => l.longestMs)),
      "longest task ms (trace, median)": Math.round(tracedMedian(r)),
      "trace ×base": baseline ? (tracedMedian(r) / tracedMedian(baseline)).toFixed(1) : "-",
      "worst task ms": Math.round(r.worst),
      "TBT ms (median)": Math.round(r.med((l) => l.tbtMs)),
      "hydrated at ms": Math.round(r.med((l) => l.hydratedMs)),
      "all rows at ms": Math.round(r.med((l) => l.allRowsMs)),
      [`worst < ${BLOCK_TARGET_MS} ms`]: r.worst < BLOCK_TARGET_MS ? "yes" : "NO",
    }));
    log(
      "\nmain thread while the page loads and hydrates: longest task by the page's PerformanceObserver ('longtask') and by a Chromium trace of the renderer's main thread; TBT = Σ(task − 50 ms); worst = over every load\n",
    );
    console.table(table);
    for (const r of rows) {
      if (r.worstTraced) {
        log(
          `  ${r.name}: longest traced task ${Math.round(r.worstTraced.longestMs)} ms: ${r.worstTraced.inside || "?"}`,
        );
      }
    }
  }
  succeeded = true;
  log(`\ndone in ${secs(performance.now() - started)}`);
  if (KEEP) log(`kept ${state.dir} and database ${state.dbName}: --reuse=${state.dir}`);
}

try {
  await main();
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
