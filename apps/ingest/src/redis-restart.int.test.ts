// Redis restarted under ingestion: a real ingest server (listening on a port) and its worker
// against a redis-server of this file's own (AOF on, noeviction as scripts/lib/common.sh starts
// the shared one, but appendfsync everysec, the Redis default a self-hoster may well run, so the
// test proves ingest turns it to "always" again after each restart), while clients keep posting.
// Redis is stopped gracefully (SIGTERM: it fsyncs the AOF and exits) and, with ingest's policy
// `always`, separately killed (SIGKILL), each time staying down for a while. Every batch that got a 2xx must be stored
// exactly once; while Redis is down ingest must answer 503 + Retry-After, never 500, and never
// hang past its queue timeout.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhooks } from "@octokit/webhooks";
import examples from "@octokit/webhooks-examples";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import type { RedisFsyncPolicy } from "./durability.ts";
import { createHarness, type Harness, stepEvent, waitFor } from "./testing.ts";

const QUEUE_TIMEOUT_MS = 1_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const address = srv.address();
  await new Promise((r) => srv.close(r));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** A redis-server of the test's own, restartable on the same port and data directory. */
class OwnRedis {
  child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    // scripts/lib/common.sh's start_redis flags, except fsync every second (see the top).
    const child = spawn(
      "redis-server",
      [
        ...["--bind", "127.0.0.1", "--port", String(this.port), "--dir", this.dir],
        ...["--appendonly", "yes", "--appendfsync", "everysec"],
        ...["--maxmemory-policy", "noeviction", "--save", ""],
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}`);
          try {
            if (probe.status !== "ready") await probe.connect();
            return (await probe.ping()) === "PONG";
          } catch {
            probe.disconnect();
            return false;
          }
        },
        10_000,
        "redis-server to start",
      );
    } finally {
      probe.disconnect();
    }
  }
  /** Whether the current redis-server process is alive (a killed one has no exit code). */
  get running(): boolean {
    const child = this.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }
  async stop(signal: "SIGTERM" | "SIGKILL") {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }
}

/** A harness on a redis-server of the test's own; `cleanUp` after each test. */
function ownRedisSetup() {
  const state: { redis?: OwnRedis; h?: Harness; dir?: string } = {};
  return {
    state,
    async start(redisFsync?: RedisFsyncPolicy) {
      state.dir = await mkdtemp(join(tmpdir(), "slipway-redis-restart-"));
      state.redis = new OwnRedis(await freePort(), state.dir);
      await state.redis.start();
      state.h = await createHarness({
        redisUrl: state.redis.url,
        attempts: 20,
        server: {
          ...(redisFsync && { redisFsync }),
          limits: { queueTimeoutMs: QUEUE_TIMEOUT_MS },
        },
      });
      return { redis: state.redis, h: state.h };
    },
    async cleanUp() {
      const { redis, h, dir } = state;
      // A test that failed while Redis was down: closing the queues needs it back first.
      if (redis && !redis.running) await redis.start().catch(() => undefined);
      await h?.close();
      await redis?.stop("SIGKILL");
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Outcome {
  acked: Set<string>;
  codes: Map<number, number>;
  /** 503s that came without Retry-After. */
  missingRetryAfter: number;
  slowestMs: number;
  errors: string[];
}

/** `clients` loops posting batches of `size` events; a refused batch is re-sent as is. */
function startClients(h: Harness, url: string, clients: number, size: number) {
  const out: Outcome = {
    acked: new Set(),
    codes: new Map(),
    missingRetryAfter: 0,
    slowestMs: 0,
    errors: [],
  };
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const events = Array.from({ length: size }, () => stepEvent(h.org.id, h.project.id));
      const body = JSON.stringify(events);
      for (;;) {
        const started = performance.now();
        let status: number;
        try {
          const res = await fetch(`${url}/v1/events`, {
            method: "POST",
            headers: { authorization: `Bearer ${h.orgToken}`, "content-type": "application/json" },
            body,
            signal: AbortSignal.timeout(QUEUE_TIMEOUT_MS * 4),
          });
          await res.arrayBuffer();
          status = res.status;
          if (status === 503 && !res.headers.get("retry-after")) out.missingRetryAfter++;
        } catch (err) {
          out.errors.push(err instanceof Error ? err.message : String(err));
          status = 0;
        }
        out.slowestMs = Math.max(out.slowestMs, performance.now() - started);
        out.codes.set(status, (out.codes.get(status) ?? 0) + 1);
        if (status === 202) {
          for (const e of events) out.acked.add(e.id as string);
          break;
        }
        // Retry-After is 5 s for real clients; the test retries sooner to keep it short.
        await sleep(100);
        if (!running && status !== 503) break;
      }
    }
  });
  return {
    out,
    async stop() {
      running = false;
      await Promise.all(loops);
      return out;
    },
  };
}

async function storedOnce(h: Harness, ids: string[]) {
  const [row] = await h.store.query<{ n: number; distinct_ids: number }>(
    `SELECT count() AS n, uniqExact(event_id) AS distinct_ids FROM build_steps_v1 FINAL
     WHERE org_id = {o:String} AND event_id IN {ids:Array(UUID)}`,
    { o: h.org.id, ids },
  );
  return { n: Number(row?.n ?? 0), distinct: Number(row?.distinct_ids ?? 0) };
}

describe.each<RedisFsyncPolicy>(["always", "everysec"])(
  "Redis restarted during ingestion (INGEST_REDIS_FSYNC=%s)",
  (policy) => {
    const setup = ownRedisSetup();
    afterEach(() => setup.cleanUp());

    // What each policy promises (durability.ts): `always` survives a SIGKILL of Redis, so it is
    // stopped gracefully and then killed; `everysec` survives a graceful stop, but a SIGKILL
    // loses the writes Redis postponed behind a stalled fsync (seen on a loaded CI machine: one
    // acknowledged batch of 8,400 events gone, the queue empty), so it is only stopped.
    const signals =
      policy === "always" ? (["SIGTERM", "SIGKILL"] as const) : (["SIGTERM"] as const);

    it(`acknowledged batches are stored exactly once across ${signals.join(" and ")}`, async () => {
      const { redis: own, h: harness } = await setup.start(policy);
      const url = await harness.app.listen({ host: "127.0.0.1", port: 0 });
      harness.startWorker({ flushMs: 100 });
      const check = new Redis(own.url, { maxRetriesPerRequest: 1 });
      check.on("error", () => {});
      const fsync = async () => ((await check.config("GET", "appendfsync")) as string[])[1];
      if (policy === "always") await waitFor(async () => (await fsync()) === "always");

      const clients = startClients(harness, url, 4, 200);
      for (const signal of signals) {
        await waitFor(async () => clients.out.acked.size >= 2_000, 20_000, "batches acked");
        const before = clients.out.codes.get(503) ?? 0;
        await own.stop(signal);
        // Refused while down: a request in flight answers 503 by the queue timeout at the latest
        // (each answer's time is bounded by slowestMs below), and a loaded machine may take a
        // while to run the clients at all: wait for the refusal rather than a fixed 1.5 s.
        await waitFor(
          async () => (clients.out.codes.get(503) ?? 0) > before,
          15_000,
          `a 503 while Redis is down (${signal})`,
        );
        await sleep(500);
        await own.start();
        const acked = clients.out.acked.size;
        await waitFor(
          async () => clients.out.acked.size >= acked + 2_000,
          20_000,
          `batches acked again after ${signal}`,
        );
        // A restarted Redis runs with its command-line everysec; ingest sets it again.
        if (policy === "always") expect(await fsync()).toBe("always");
      }
      const out = await clients.stop();
      check.disconnect();

      expect(out.errors).toEqual([]);
      expect([...out.codes.keys()].sort()).toEqual([202, 503]);
      expect(out.missingRetryAfter).toBe(0);
      // 503 at once while Redis is away, or after the queue timeout at worst: never a hang.
      expect(out.slowestMs).toBeLessThan(QUEUE_TIMEOUT_MS + 1_000);

      const ids = [...out.acked];
      await waitFor(
        async () => (await storedOnce(harness, ids)).distinct === ids.length,
        60_000,
        `${ids.length} acknowledged events stored`,
        async () =>
          JSON.stringify({
            stored: await storedOnce(harness, ids),
            counts: await harness.queues.events.getJobCounts(),
            dead: await harness.queues.deadLetter.getJobCounts(),
            failedReasons: (await harness.queues.events.getFailed(0, 3)).map((j) => j.failedReason),
          }),
      );
      // Exactly once: one row per acknowledged id, read as the dashboard reads (FINAL).
      expect(await storedOnce(harness, ids)).toEqual({ n: ids.length, distinct: ids.length });
    }, 120_000);
  },
);

describe("GitHub webhook deliveries while Redis is down", () => {
  const setup = ownRedisSetup();
  afterEach(() => setup.cleanUp());

  it("answer 503 + Retry-After at once, and a redelivery after the restart is stored once", async () => {
    const { redis, h } = await setup.start();
    const secret = "webhook-secret-for-redis-test";
    await h.database.db.org.update({
      where: { id: h.org.id },
      data: { githubWebhookSecret: secret },
    });
    const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const example = (
      examples as unknown as { name: string; examples: { workflow_job?: { id: number } }[] }[]
    )
      .find((e) => e.name === "workflow_job")
      ?.examples.find((e) => e.workflow_job);
    if (!example?.workflow_job) throw new Error("no workflow_job example payload");
    const body = JSON.stringify(example);
    const signature = await new Webhooks({ secret }).sign(body);
    const deliver = async () => {
      const started = performance.now();
      const res = await fetch(`${url}/v1/github/webhook/${h.org.slug}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "workflow_job",
          "x-github-delivery": crypto.randomUUID(),
          "x-hub-signature-256": signature,
        },
        body,
        signal: AbortSignal.timeout(QUEUE_TIMEOUT_MS * 4),
      });
      return { res, ms: performance.now() - started, text: await res.text() };
    };

    await redis.stop("SIGKILL");
    const down = await deliver();
    expect(down.res.status, down.text).toBe(503);
    expect(down.res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(down.text).toContain("could not be queued");
    expect(down.ms).toBeLessThan(QUEUE_TIMEOUT_MS + 1_000);

    await redis.start();
    h.startWorker({ flushMs: 100 });
    // GitHub redelivers until it gets a 2xx; once Redis is back (and checked) it is accepted.
    let accepted = 0;
    await waitFor(
      async () => {
        const again = await deliver();
        if (again.res.status === 202) accepted++;
        return accepted >= 2;
      },
      20_000,
      "a redelivery accepted",
    );
    const jobId = example.workflow_job.id;
    const count = async () => {
      const [row] = await h.store.query<{ n: number }>(
        "SELECT count() AS n FROM runner_jobs_v1 FINAL WHERE org_id = {o:String} AND job_id = {j:UInt64}",
        { o: h.org.id, j: jobId },
      );
      return Number(row?.n ?? 0);
    };
    await waitFor(async () => (await count()) >= 1, 20_000, "the runner job stored");
    // Two accepted deliveries of the same job are one row.
    expect(await count()).toBe(1);
  }, 60_000);
});
