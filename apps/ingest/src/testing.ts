// Shared set-up of ingest's integration tests: a fresh PostgreSQL database, an embedded
// ClickHouse in a temp directory, the real Redis under a queue prefix of the test file's own.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createApiToken,
  createOrg,
  createProject,
  createTestDatabase,
  type TestDatabase,
} from "@slipway/db/testing";
import {
  EmbeddedStore,
  type EncodedRows,
  migrateClickHouse,
  type TelemetryEventInput,
  type TelemetryStore,
} from "@slipway/telemetry";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { DEFAULTS } from "./env.ts";
import { createQueues, type IngestQueues } from "./queues.ts";
import { buildServer, type ServerDeps } from "./server.ts";
import { type IngestWorker, type IngestWorkerOptions, startWorker } from "./worker.ts";

export const REDIS_URL = process.env.REDIS_URL || DEFAULTS.REDIS_URL;

/** A store whose target can be closed and swapped (to play "ClickHouse is down"). */
export class SwitchableStore {
  constructor(public target: TelemetryStore) {}
  insertEncoded(table: string, rows: EncodedRows) {
    return this.target.insertEncoded(table, rows);
  }
}

export interface Harness {
  stateDir: string;
  store: TelemetryStore;
  database: TestDatabase;
  redis: Redis;
  prefix: string;
  queues: IngestQueues;
  app: FastifyInstance;
  org: { id: string; slug: string };
  otherOrg: { id: string; slug: string };
  project: { id: string };
  project2: { id: string };
  otherProject: { id: string };
  orgToken: string;
  projectToken: string;
  otherOrgToken: string;
  startWorker(o?: Partial<IngestWorkerOptions>): IngestWorker;
  close(): Promise<void>;
}

export async function createHarness(
  opts: {
    server?: Partial<ServerDeps>;
    attempts?: number;
    /** Another Redis than the shared one (tests that restart it run their own). */
    redisUrl?: string;
  } = {},
): Promise<Harness> {
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  const stateDir = await mkdtemp(join(tmpdir(), "slipway-ingest-test-"));
  const store = EmbeddedStore.open(join(stateDir, "clickhouse"));
  await migrateClickHouse(store);
  const database = await createTestDatabase();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => {}); // a test that stops Redis expects errors; it checks results
  const prefix = `slipway-test-${randomUUID().slice(0, 8)}`;
  const queues = createQueues({
    connection: redis,
    prefix,
    attempts: opts.attempts ?? 3,
    retryDelayMs: 50,
  });
  const db = database.db;
  const org = await createOrg(db);
  const otherOrg = await createOrg(db);
  const project = await createProject(db, { orgId: org.id });
  const project2 = await createProject(db, { orgId: org.id });
  const otherProject = await createProject(db, { orgId: otherOrg.id });
  const orgToken = (await createApiToken(db, { orgId: org.id })).token;
  const projectToken = (await createApiToken(db, { orgId: org.id, projectId: project.id })).token;
  const otherOrgToken = (await createApiToken(db, { orgId: otherOrg.id })).token;
  const app = await buildServer({
    db,
    redis,
    store,
    stateDir,
    queues,
    queuePrefix: prefix,
    ...opts.server,
  });
  const workers: IngestWorker[] = [];
  return {
    stateDir,
    store,
    database,
    redis,
    prefix,
    queues,
    app,
    org,
    otherOrg,
    project,
    project2,
    otherProject,
    orgToken,
    projectToken,
    otherOrgToken,
    startWorker(o = {}) {
      const w = startWorker({
        redisUrl,
        prefix,
        queues,
        store,
        flushRows: 5_000,
        flushMs: 20,
        concurrency: 8,
        // Short locks, so a killed worker's batches come back quickly. Every worker of a queue
        // must use the same stalled interval: BullMQ checks at most once per interval per queue.
        lockDurationMs: 2_000,
        stalledIntervalMs: 500,
        ...o,
      });
      workers.push(w);
      return w;
    },
    async close() {
      await app.close();
      await Promise.all(workers.map((w) => w.close()));
      await queues.events.obliterate({ force: true }).catch(() => {});
      await queues.deadLetter.obliterate({ force: true }).catch(() => {});
      await queues.close();
      redis.disconnect();
      await database.drop();
      await store.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A valid `step` event of the given org/project. */
export function stepEvent(
  orgId: string,
  projectId: string,
  over: Partial<TelemetryEventInput> = {},
): TelemetryEventInput {
  const n = ++seq;
  const start = new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + n * 1000);
  return {
    id: randomUUID(),
    schemaVersion: 1,
    type: "step",
    orgId,
    projectId,
    time: start.toISOString(),
    data: {
      buildId: "build-1",
      digest: `sha256:${n.toString(16).padStart(64, "0")}`,
      name: `[build ${n % 5}/5] RUN step ${n % 7}`,
      stage: "build",
      dockerfileLine: 3,
      startedAt: start.toISOString(),
      completedAt: new Date(start.getTime() + 100 + (n % 50) * 10).toISOString(),
      cached: n % 3 === 0,
      error: null,
    },
    ...over,
  } as TelemetryEventInput;
}

export async function countSteps(store: TelemetryStore, orgId: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(
    "SELECT count() AS n FROM build_steps_v1 FINAL WHERE org_id = {orgId:String}",
    { orgId },
  );
  return Number(row?.n ?? 0);
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
  state?: () => Promise<string>,
) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${state ? ` (${await state()})` : ""}`,
  );
}
