import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EmbeddedStore, migrateClickHouse } from "@slipway/telemetry";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueues, type IngestQueues } from "./queues.ts";
import { countSteps, REDIS_URL, stepEvent } from "./testing.ts";

const workerMain = fileURLToPath(new URL("./worker-main.ts", import.meta.url));

function startWorkerProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    env: { ...process.env, CLICKHOUSE_URL: "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, output: () => output };
}

describe("src/worker-main.ts (npm run worker)", () => {
  let stateDir: string;
  let redis: Redis;
  let queues: IngestQueues;
  const prefix = `slipway-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-ingest-worker-"));
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues({ connection: redis, prefix, attempts: 3, retryDelayMs: 50 });
  });
  afterAll(async () => {
    await queues.events.obliterate({ force: true }).catch(() => {});
    await queues.deadLetter.obliterate({ force: true }).catch(() => {});
    await queues.close();
    redis.disconnect();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("stores queued batches with the embedded path to itself, and stops cleanly on SIGTERM", async () => {
    const orgId = "org-worker-main";
    const events = Array.from({ length: 25 }, () => stepEvent(orgId, "p1"));
    await queues.events.add(
      "batch",
      { orgId, source: "builder", receivedAt: new Date().toISOString(), sender: "t", events },
      queues.jobOptions,
    );
    const w = startWorkerProcess({
      SLIPWAY_STATE_DIR: stateDir,
      INGEST_QUEUE_PREFIX: prefix,
      INGEST_FLUSH_MS: "20",
    });
    try {
      const deadline = Date.now() + 30_000;
      while ((await queues.events.getCompletedCount()) < 1) {
        if (Date.now() > deadline || w.child.exitCode !== null) throw new Error(w.output());
        await new Promise((r) => setTimeout(r, 100));
      }
      w.child.kill("SIGTERM");
      expect(await w.exited, w.output()).toBe(0);
    } finally {
      w.child.kill("SIGKILL");
    }
    const store = EmbeddedStore.open(join(stateDir, "clickhouse"));
    try {
      expect(await countSteps(store, orgId)).toBe(25);
      const [row] = await store.query<{ source: string }>(
        "SELECT any(source) AS source FROM build_steps_v1 FINAL WHERE org_id = {orgId:String}",
        { orgId },
      );
      expect(row?.source).toBe("builder");
    } finally {
      await store.close();
    }
  });

  it("exits 1 saying it needs CLICKHOUSE_URL when the embedded path is held by another process", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slipway-ingest-worker-locked-"));
    const store = EmbeddedStore.open(join(dir, "clickhouse"));
    await migrateClickHouse(store);
    try {
      const w = startWorkerProcess({ SLIPWAY_STATE_DIR: dir, INGEST_QUEUE_PREFIX: prefix });
      expect(await w.exited).toBe(1);
      expect(w.output()).toMatch(/needs CLICKHOUSE_URL/);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
