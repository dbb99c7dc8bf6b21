// End-to-end ingest against a raw batched insert of the same rows into the same embedded store.
//
// The ingest server runs as its OWN process (`apps/ingest/src/main.ts`, with a temp state dir,
// a fresh test database and a queue prefix of its own), so time-to-ack and memory are the
// server's, not the load generator's. Phases:
//   1. throughput: `events` step events in HTTP batches of 1,000 from `concurrency` clients
//      (closed loop), timed until every row is readable with FINAL (polled through the
//      server's own query API, as the data path belongs to the server process);
//   2. fixed rate: 10,000 events/s (10 batches/s, open loop) for `seconds` s: time-to-ack
//      p50/p99 at a load the server should sustain;
//   3. the server's peak RSS (VmHWM from /proc/<pid>/status), then SIGTERM;
//   4. raw: the bench process opens the same data path and inserts the same rows (another org
//      id) with the store's batched insert, 20,000 rows per INSERT (encoding the validated
//      events to rows is timed with it; JSON parsing and validation are not).
//
//   npx tsx bench/ingest/run.ts [events=200000] [concurrency=8] [seconds=10]
//   --cpu-prof=<dir>                         writes a V8 CPU profile of the server process there
//   --server-env=INGEST_FLUSH_ROWS=50000,...  extra variables for the server
//   --redis-fsync=always|everysec            INGEST_REDIS_FSYNC of the server (default always)
//
// Redis: a redis-server of the bench's own (temp dir, free port, the flags scripts/lib/common.sh
// uses), so the server may set its appendfsync and other engineers' load on the shared Redis
// does not count. Needs PostgreSQL from scripts/start and the test template (run the
// integration tests once). Bounded: at most 1,000,000 events and 60 s of fixed rate.

import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createApiToken,
  createOrg,
  createProject,
  createTestDatabase,
  prepareTestTemplate,
} from "@slipway/db/testing";
import { EmbeddedStore, parseTelemetryEvent, type TelemetryEvent } from "@slipway/telemetry";
import { Redis } from "ioredis";
import { eventsToRows } from "../../apps/ingest/src/insert-buffer.ts";
import { createQueues } from "../../apps/ingest/src/queues.ts";
import { countSteps, stepEvent } from "../../apps/ingest/src/testing.ts";

const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flag = (name: string) =>
  flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3) || undefined;
const TOTAL = Math.min(Number(args[0] ?? 200_000), 1_000_000);
const CONCURRENCY = Number(args[1] ?? 8);
const RATE_SECONDS = Math.min(Number(args[2] ?? 10), 60);
const BATCH = 1_000;
const RATE = 10_000; // events/s in the fixed-rate phase

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const address = srv.address();
  await new Promise((r) => srv.close(r));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** CPU time (user + system, ms) the process has used: less swayed by other load than wall time. */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) || 0) + (Number(fields[12]) || 0)) * 10; // clock ticks of 10 ms
}

async function procStatus(pid: number, field: string): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return kb * 1024;
}

await prepareTestTemplate().catch(() => undefined);
const database = await createTestDatabase();
const org = await createOrg(database.db);
const otherOrg = await createOrg(database.db);
const project = await createProject(database.db, { orgId: org.id });
const orgToken = (await createApiToken(database.db, { orgId: org.id })).token;
const stateDir = await mkdtemp(join(tmpdir(), "slipway-ingest-bench-"));
const prefix = `slipway-bench-${randomUUID().slice(0, 8)}`;
const serviceToken = randomBytes(24).toString("hex");
const port = await freePort();
const address = `http://127.0.0.1:${port}`;

const REDIS_FSYNC = flag("redis-fsync") ?? "always";
const redisDir = await mkdtemp(join(tmpdir(), "slipway-ingest-bench-redis-"));
const redisPort = await freePort();
const REDIS_URL = `redis://127.0.0.1:${redisPort}`;
const redisServer = spawn(
  "redis-server",
  [
    ...["--bind", "127.0.0.1", "--port", String(redisPort), "--dir", redisDir],
    ...["--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy", "noeviction"],
    ...["--save", ""],
  ],
  { stdio: "ignore" },
);
for (let i = 0; ; i++) {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null });
  probe.on("error", () => {});
  const ok = await probe.connect().then(
    () => probe.ping(),
    () => "",
  );
  probe.disconnect();
  if (ok === "PONG") break;
  if (i > 100 || redisServer.exitCode !== null) throw new Error("redis-server did not start");
  await sleep(100);
}

const main = fileURLToPath(new URL("../../apps/ingest/src/main.ts", import.meta.url));
const profDir = flag("cpu-prof");
const extraEnv = Object.fromEntries(
  (flag("server-env") ?? "")
    .split(",")
    .filter(Boolean)
    .map((kv) => kv.split("=", 2) as [string, string]),
);
const server = spawn(
  process.execPath,
  [...(profDir ? ["--cpu-prof", "--cpu-prof-dir", profDir] : []), "--import", "tsx", main],
  {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL,
      INGEST_REDIS_FSYNC: REDIS_FSYNC,
      SLIPWAY_STATE_DIR: stateDir,
      CLICKHOUSE_URL: "",
      INGEST_PORT: String(port),
      INGEST_QUEUE_PREFIX: prefix,
      INGEST_SERVICE_TOKEN: serviceToken,
      INGEST_MAX_BACKLOG: "100000",
      LOG_LEVEL: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "inherit", "inherit"],
  },
);
const exited = new Promise<number | null>((r) => server.on("exit", (code) => r(code)));

/** Rows of `orgId` readable with FINAL, through the server's query API. */
async function storedSteps(orgId: string): Promise<number> {
  const url = `${address}/v1/query/cache/hit-ratio?orgId=${orgId}&since=2020-01-01T00:00:00Z&bucket=week`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${serviceToken}` } });
  if (!res.ok) throw new Error(`query API answered ${res.status}`);
  const { rows } = (await res.json()) as { rows: { steps: number }[] };
  return rows.reduce((a, r) => a + r.steps, 0);
}

async function post(body: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${address}/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${orgToken}`, "content-type": "application/json" },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`HTTP ${res.status}`);
  return performance.now() - t;
}

const makeBodies = (n: number) => {
  const out: string[] = [];
  for (let i = 0; i < n; i += BATCH) {
    out.push(
      JSON.stringify(
        Array.from({ length: Math.min(BATCH, n - i) }, () => stepEvent(org.id, project.id)),
      ),
    );
  }
  return out;
};

try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${address}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 300 || server.exitCode !== null) throw new Error("the ingest server did not start");
    await sleep(100);
  }
  const rssIdle = await procStatus(server.pid as number, "VmRSS");
  const bodies = makeBodies(TOTAL);

  // --- 1. throughput, end to end over HTTP
  const acks: number[] = [];
  let next = 0;
  const cpuBefore = await cpuMs(server.pid as number);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        acks.push(await post(body));
      }
    }),
  );
  const ackedAt = performance.now();
  while ((await storedSteps(org.id)) < TOTAL) await sleep(50);
  const e2eMs = performance.now() - started;
  const serverCpuMs = (await cpuMs(server.pid as number)) - cpuBefore;

  // --- 2. fixed rate: 10 batches of 1,000 per second, each sent on schedule (open loop)
  const rateBodies = makeBodies(RATE * RATE_SECONDS);
  const rateAcks: number[] = [];
  const interval = 1000 / (RATE / BATCH);
  const rateStart = performance.now();
  await Promise.all(
    rateBodies.map(async (body, i) => {
      const due = rateStart + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      rateAcks.push(await post(body));
    }),
  );
  const rateSent = performance.now();
  while ((await storedSteps(org.id)) < TOTAL + rateBodies.length * BATCH) await sleep(50);
  const rateStoredLagMs = performance.now() - rateSent;

  const hwm = await procStatus(server.pid as number, "VmHWM");
  server.kill("SIGTERM");
  const code = await exited;
  if (code !== 0) throw new Error(`the ingest server exited with ${code}`);

  // --- 4. raw batched insert of the same rows (another org id, same table, same data path)
  const store = EmbeddedStore.open(join(stateDir, "clickhouse"));
  const rawEvents: TelemetryEvent[] = [];
  for (const body of bodies) {
    for (const e of JSON.parse(body) as unknown[]) {
      const r = parseTelemetryEvent({ ...(e as object), orgId: otherOrg.id });
      if (r.ok) rawEvents.push(r.event);
    }
  }
  const rawStart = performance.now();
  for (let i = 0; i < rawEvents.length; i += 20_000) {
    const rows = eventsToRows(rawEvents.slice(i, i + 20_000), "cli");
    for (const [table, encoded] of rows) await store.insertEncoded(table, encoded);
  }
  const rawMs = performance.now() - rawStart;
  const rawCount = await countSteps(store, otherOrg.id);
  await store.close();

  acks.sort((a, b) => a - b);
  rateAcks.sort((a, b) => a - b);
  const e2eRate = TOTAL / (e2eMs / 1000);
  const rawRate = rawCount / (rawMs / 1000);
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  console.log(
    `\ningest bench: ${TOTAL} step events, batches of ${BATCH}, ${CONCURRENCY} concurrent clients, ` +
      `ingest server in its own process (pid ${server.pid}), embedded ClickHouse, ` +
      `INGEST_REDIS_FSYNC=${REDIS_FSYNC}\n`,
  );
  console.table({
    "end to end (HTTP → queue → rows)": {
      "events/s": Math.round(e2eRate),
      seconds: +(e2eMs / 1000).toFixed(2),
    },
    "raw batched insert": { "events/s": Math.round(rawRate), seconds: +(rawMs / 1000).toFixed(2) },
  });
  console.table({
    "end-to-end / raw": +(e2eRate / rawRate).toFixed(2),
    "throughput phase: server CPU ms per 1,000 events": Math.round((serverCpuMs / TOTAL) * 1000),
    "throughput phase: all acked after (s)": +((ackedAt - started) / 1000).toFixed(2),
    "throughput phase: ack p50 (ms)": +pct(acks, 0.5).toFixed(1),
    "throughput phase: ack p99 (ms)": +pct(acks, 0.99).toFixed(1),
    [`fixed ${RATE} ev/s for ${RATE_SECONDS} s: ack p50 (ms)`]: +pct(rateAcks, 0.5).toFixed(1),
    [`fixed ${RATE} ev/s for ${RATE_SECONDS} s: ack p99 (ms)`]: +pct(rateAcks, 0.99).toFixed(1),
    "fixed rate: rows stored after last ack (ms)": Math.round(rateStoredLagMs),
    "server RSS idle (MB)": mb(rssIdle),
    "server peak RSS, VmHWM (MB)": mb(hwm),
  });
} finally {
  if (server.exitCode === null) server.kill("SIGKILL");
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues({ connection, prefix, attempts: 1, retryDelayMs: 1 });
  await queues.events.obliterate({ force: true }).catch(() => {});
  await queues.deadLetter.obliterate({ force: true }).catch(() => {});
  await queues.close();
  connection.disconnect();
  redisServer.kill("SIGTERM");
  await database.drop();
  await rm(stateDir, { recursive: true, force: true });
  await rm(redisDir, { recursive: true, force: true });
}
