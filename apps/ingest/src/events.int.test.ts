import { gzipSync } from "node:zlib";
import { createApiToken } from "@slipway/db/testing";
import {
  EmbeddedStore,
  eventToRow,
  getStepLogs,
  parseTelemetryEvent,
  rowTsv,
  STEP_LOG_MAX_CHARS,
} from "@slipway/telemetry";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthReport } from "./health.ts";
import { type DeadLetterJob, V1_COLUMNS } from "./queues.ts";
import {
  countSteps,
  createHarness,
  type Harness,
  SwitchableStore,
  stepEvent,
  waitFor,
} from "./testing.ts";

let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    attempts: 8,
    server: { limits: { maxEvents: 2_000, maxBodyBytes: 1024 * 1024 } },
  });
});
afterAll(async () => {
  await h?.close();
});

const post = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: "POST",
    url: "/v1/events",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    payload:
      typeof payload === "string" || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
  });

describe("POST /v1/events", () => {
  it("queues a valid batch as one job and answers 202", async () => {
    const before = await h.queues.events.count();
    const res = await post(h.orgToken, [
      stepEvent(h.org.id, h.project.id),
      stepEvent(h.org.id, h.project2.id),
    ]);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: "accepted", accepted: 2, refused: 0 });
    const job = await h.queues.events.getJob(res.json().batchId);
    expect(job?.data.orgId).toBe(h.org.id);
    expect(job?.data).toMatchObject({ encoding: "TabSeparated/v2", events: 2 });
    const data = job?.data as { tables: Record<string, { rows: number; data: string }> };
    const steps = data.tables.build_steps_v1;
    expect(steps?.rows).toBe(2);
    // TabSeparated lines, org_id first.
    expect(
      steps?.data
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0]),
    ).toEqual([h.org.id, h.org.id]);
    expect(await h.queues.events.count()).toBe(before + 1);
  });

  it("answers 207 naming the field of each refused event", async () => {
    const good = stepEvent(h.org.id, h.project.id);
    const badTime = stepEvent(h.org.id, h.project.id, { time: "yesterday" });
    const noDigest = stepEvent(h.org.id, h.project.id);
    (noDigest.data as { digest?: string }).digest = "md5:x";
    const res = await post(h.orgToken, [good, badTime, noDigest, 42]);
    expect(res.statusCode, res.body).toBe(207);
    const body = res.json();
    expect(body).toMatchObject({ status: "partial", accepted: 1, refused: 3 });
    expect(body.results[0]).toEqual({ index: 0, id: good.id, status: "accepted" });
    expect(body.results[1]).toMatchObject({
      status: "refused",
      id: badTime.id,
      errors: [{ path: "time" }],
    });
    expect(body.results[2].errors[0]).toMatchObject({
      path: "data.digest",
      message: expect.stringMatching(/sha256/),
    });
    expect(body.results[3].status).toBe("refused");
  });

  it("refuses a step whose logs are over the limit, naming data.logs and the limit", async () => {
    const over = stepEvent(h.org.id, h.project.id);
    Object.assign(over.data, {
      logs: [
        { stream: "stdout", text: "x".repeat(STEP_LOG_MAX_CHARS) },
        { stream: "stderr", text: "y" },
      ],
    });
    const badStream = stepEvent(h.org.id, h.project.id);
    Object.assign(badStream.data, { logs: [{ stream: "stdin", text: "x" }] });
    const res = await post(h.orgToken, [over, badStream, stepEvent(h.org.id, h.project.id)]);
    expect(res.statusCode, res.body).toBe(207);
    const body = res.json();
    expect(body.results[0].errors).toEqual([
      {
        path: "data.logs",
        message: `logs hold ${STEP_LOG_MAX_CHARS + 1} characters; at most ${STEP_LOG_MAX_CHARS} per step (send the head and set logsTruncated)`,
      },
    ]);
    expect(body.results[1].errors[0]).toMatchObject({ path: "data.logs.0.stream" });
    expect(body.results[2].status).toBe("accepted");
  });

  it("records the X-Slipway-Source of a batch (allow-listed; default cli)", async () => {
    const asBuilder = await post(h.orgToken, [stepEvent(h.org.id, h.project.id)], {
      "x-slipway-source": "builder",
    });
    expect(asBuilder.statusCode, asBuilder.body).toBe(202);
    expect((await h.queues.events.getJob(asBuilder.json().batchId))?.data.source).toBe("builder");
    const plain = await post(h.orgToken, [stepEvent(h.org.id, h.project.id)]);
    expect((await h.queues.events.getJob(plain.json().batchId))?.data.source).toBe("cli");
    for (const claimed of ["github", "seed", "anything"]) {
      const res = await post(h.orgToken, [stepEvent(h.org.id, h.project.id)], {
        "x-slipway-source": claimed,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(/X-Slipway-Source must be one of cli, builder/);
    }
  });

  it("answers 400 when no event is valid, and when the body is not JSON", async () => {
    const none = await post(h.orgToken, [{ type: "step" }]);
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatch(/none of the 1 events/);
    const garbage = await post(h.orgToken, "[{not json");
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error).toMatch(/not valid JSON/);
    const object = await post(h.orgToken, { events: [] });
    expect(object.json().error).toMatch(/expected a JSON array/);
  });

  it("accepts gzip and NDJSON (a bad line is refused alone)", async () => {
    const events = [stepEvent(h.org.id, h.project.id), stepEvent(h.org.id, h.project.id)];
    const gz = await post(h.orgToken, gzipSync(JSON.stringify(events)), {
      "content-encoding": "gzip",
    });
    expect(gz.statusCode, gz.body).toBe(202);
    const ndjson = `${events.map((e) => JSON.stringify(e)).join("\n")}\n{oops\n`;
    const nd = await post(h.orgToken, gzipSync(ndjson), {
      "content-encoding": "gzip",
      "content-type": "application/x-ndjson",
    });
    expect(nd.statusCode, nd.body).toBe(207);
    expect(nd.json().results[2]).toMatchObject({
      status: "refused",
      errors: [{ message: /not valid JSON/ }],
    });
    const corrupt = await post(h.orgToken, Buffer.from("not gzip at all"), {
      "content-encoding": "gzip",
    });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().error).toMatch(/not valid gzip/);
  });

  it("answers 413 over the size limit (also after decompression) and the count limit", async () => {
    const big = JSON.stringify([{ pad: "x".repeat(1100 * 1024) }]);
    const plain = await post(h.orgToken, big);
    expect(plain.statusCode).toBe(413);
    expect(plain.json().error).toMatch(/larger than the 1 MB limit/);
    const bomb = await post(h.orgToken, gzipSync(big), { "content-encoding": "gzip" });
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json().error).toMatch(/after decompression/);
    const many = await post(
      h.orgToken,
      Array.from({ length: 2_001 }, () => ({})),
    );
    expect(many.statusCode).toBe(413);
    expect(many.json().error).toBe("batch has 2001 events; at most 2000 per request: split it");
  });

  it("answers 401 without a token, with an unknown, revoked or expired one", async () => {
    const missing = await h.app.inject({ method: "POST", url: "/v1/events", payload: "[]" });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatch(/missing Authorization/);
    expect((await post("slw_nope", [])).json().error).toBe("unknown API token");
    const revoked = await createApiToken(h.database.db, { orgId: h.org.id, revokedAt: new Date() });
    const r = await post(revoked.token, [stepEvent(h.org.id, h.project.id)]);
    expect(r.statusCode).toBe(401);
    expect(r.json().error).toMatch(/was revoked at/);
    const expired = await createApiToken(h.database.db, {
      orgId: h.org.id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const e = await post(expired.token, [stepEvent(h.org.id, h.project.id)]);
    expect(e.statusCode).toBe(401);
    expect(e.json().error).toMatch(/expired at/);
  });

  it("keeps tenants apart: project tokens, other projects, other orgs", async () => {
    const res = await post(h.projectToken, [
      stepEvent(h.org.id, h.project.id),
      stepEvent(h.org.id, h.project2.id),
      stepEvent(h.otherOrg.id, h.otherProject.id),
    ]);
    expect(res.statusCode).toBe(207);
    const [ok, otherProject, otherOrg] = res.json().results;
    expect(ok.status).toBe("accepted");
    expect(otherProject.errors[0]).toMatchObject({
      path: "projectId",
      message: expect.stringMatching(/can only write events of project/),
    });
    expect(otherOrg.errors[0]).toMatchObject({
      path: "orgId",
      message: expect.stringMatching(/cannot write events of org/),
    });
    // An org token may write any project of its org, not a project of another org.
    const cross = await post(h.orgToken, [stepEvent(h.org.id, h.otherProject.id)]);
    expect(cross.statusCode).toBe(400);
    expect(cross.json().results[0].errors[0].message).toMatch(/has no project/);
    const b = await post(h.otherOrgToken, [stepEvent(h.org.id, h.project.id)]);
    expect(b.statusCode).toBe(400);
  });

  it("answers 429 with Retry-After when the backlog is over the limit", async () => {
    const small = await (await import("./server.ts")).buildServer({
      db: h.database.db,
      redis: h.redis,
      store: h.store,
      stateDir: h.stateDir,
      queues: h.queues,
      limits: { maxBacklog: 1 },
    });
    try {
      // Earlier tests left batches waiting (no worker yet).
      expect(await h.queues.events.getWaitingCount()).toBeGreaterThanOrEqual(1);
      const res = await small.inject({
        method: "POST",
        url: "/v1/events",
        headers: { authorization: `Bearer ${h.orgToken}`, "content-type": "application/json" },
        payload: JSON.stringify([stepEvent(h.org.id, h.project.id)]),
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers["retry-after"]).toBe("5");
      expect(res.json().error).toMatch(/ingest is behind/);
    } finally {
      await small.close();
    }
  });
});

describe("worker", () => {
  it("stores queued batches; a re-sent event is stored once", async () => {
    const worker = h.startWorker();
    const e = stepEvent(h.org.id, h.project.id);
    expect((await post(h.orgToken, [e])).statusCode).toBe(202);
    expect((await post(h.orgToken, [e, e])).statusCode).toBe(202);
    await waitFor(
      async () =>
        (await h.queues.events.getJobCounts("waiting", "active", "delayed")).waiting === 0,
      20_000,
      "queue drained",
    );
    await waitFor(async () => {
      const c = await h.queues.events.getJobCounts("active", "delayed");
      return (c.active ?? 0) + (c.delayed ?? 0) === 0;
    });
    const [row] = await h.store.query<{ n: number }>(
      "SELECT count() AS n FROM build_steps_v1 FINAL WHERE event_id = {id:UUID}",
      { id: e.id },
    );
    expect(Number(row?.n)).toBe(1);
    await worker.close();
  });

  it("stores a step's logs end to end (POST, queue, worker, ClickHouse), readable per step", async () => {
    const worker = h.startWorker();
    const logs = [
      { at: "2026-01-01T12:00:00.250Z", stream: "stdout", text: "#7 RUN npm ci\n\ttab\r\n" },
      { at: null, stream: "stderr", text: "back\\slash \\N \"q\" 's' ünïcødé ✓ 𝄞 \u0000" },
    ];
    const e = stepEvent(h.org.id, h.project.id);
    Object.assign(e.data, { buildId: "build-logs", logs, logsTruncated: true });
    const quiet = stepEvent(h.org.id, h.project.id);
    Object.assign(quiet.data, { buildId: "build-logs" });
    const res = await post(h.orgToken, [e, quiet], { "x-slipway-source": "builder" });
    expect(res.statusCode, res.body).toBe(202);
    const digestOf = (ev: typeof e) => (ev.data as { digest: string }).digest;
    const read = (ev: typeof e) =>
      getStepLogs(h.store, {
        orgId: h.org.id,
        projectId: h.project.id,
        buildId: "build-logs",
        digest: digestOf(ev),
      });
    await waitFor(async () => (await read(e)) !== null, 20_000, "the step with logs stored");
    expect(await read(e)).toEqual({ logs, logsTruncated: true });
    await waitFor(async () => (await read(quiet)) !== null, 20_000, "the step without logs");
    expect(await read(quiet)).toEqual({ logs: [], logsTruncated: false });
    await worker.close();
  });

  it("still stores a batch queued as TabSeparated/v1 (before the step log columns)", async () => {
    const worker = h.startWorker();
    const parsed = parseTelemetryEvent(stepEvent(h.org.id, h.project.id));
    if (!parsed.ok || parsed.event.type !== "step") throw new Error("test event invalid");
    const event = parsed.event;
    const data = rowTsv(V1_COLUMNS.build_steps_v1, eventToRow(event, "cli").row);
    await h.queues.events.add(
      "batch",
      {
        orgId: h.org.id,
        source: "cli",
        receivedAt: new Date().toISOString(),
        sender: "t",
        encoding: "TabSeparated/v1",
        events: 1,
        tables: { build_steps_v1: { rows: 1, data } },
      },
      h.queues.jobOptions,
    );
    const q = {
      orgId: h.org.id,
      projectId: h.project.id,
      buildId: event.data.buildId,
      digest: event.data.digest,
    };
    await waitFor(async () => (await getStepLogs(h.store, q)) !== null, 20_000, "the v1 row");
    expect(await getStepLogs(h.store, q)).toEqual({ logs: [], logsTruncated: false });
    await worker.close();
  });

  it("stores exactly N rows when the worker is killed mid-batch and restarted", async () => {
    const org = h.otherOrg;
    const N = 3_000;
    const events = Array.from({ length: N }, () => stepEvent(org.id, h.otherProject.id));
    const first = h.startWorker({ flushMs: 300 });
    for (let i = 0; i < N; i += 500) {
      const res = await post(h.otherOrgToken, events.slice(i, i + 500));
      expect(res.statusCode).toBe(202);
    }
    // Kill it while it holds batches (some may be stored already, some not).
    await waitFor(async () => (await h.queues.events.getActiveCount()) > 0, 10_000, "active jobs");
    await first.kill();
    const second = h.startWorker();
    await waitFor(
      async () => (await countSteps(h.store, org.id)) === N,
      30_000,
      `${N} rows`,
      async () =>
        `rows ${await countSteps(h.store, org.id)}, jobs ${JSON.stringify(await h.queues.events.getJobCounts())}`,
    );
    await waitFor(
      async () => {
        const c = await h.queues.events.getJobCounts("waiting", "active", "delayed");
        return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
      },
      20_000,
      "the queue to drain",
      async () =>
        JSON.stringify(await h.queues.events.getJobCounts()) +
        JSON.stringify(await h.redis.keys(`${h.prefix}:ingest-events:*lock*`)) +
        JSON.stringify(await h.redis.smembers(`${h.prefix}:ingest-events:stalled`)) +
        JSON.stringify(
          (await h.queues.events.getJobs(["active"])).map((j) => [
            j.id,
            j.attemptsMade,
            j.stalledCounter,
          ]),
        ),
    );
    expect(await countSteps(h.store, org.id)).toBe(N);
    await second.close();
  });

  it("keeps batches queued while the store is down and stores them when it is back", async () => {
    const location = h.store.location;
    await h.store.close(); // every insert fails while it is closed
    const sw = new SwitchableStore(h.store);
    const worker = h.startWorker({ store: () => sw });
    const events = Array.from({ length: 50 }, () => stepEvent(h.org.id, h.project2.id));
    expect((await post(h.orgToken, events)).statusCode).toBe(202);
    await waitFor(async () => (await h.queues.events.getDelayedCount()) > 0, 10_000, "a retry");
    h.store = EmbeddedStore.open(location);
    sw.target = h.store;
    await waitFor(
      async () => {
        const ids = events.map((e) => e.id);
        const [r] = await h.store.query<{ n: number }>(
          "SELECT count() AS n FROM build_steps_v1 FINAL WHERE org_id = {o:String} AND event_id IN {ids:Array(UUID)}",
          { o: h.org.id, ids },
        );
        return Number(r?.n) === 50;
      },
      20_000,
      "50 rows after the store came back",
    );
    await worker.close();
  });

  it("moves a poison batch to the dead-letter queue after its attempts, shown in /healthz", async () => {
    await h.queues.events.add(
      "batch",
      { orgId: h.org.id, bogus: true } as never,
      h.queues.jobOptions,
    );
    const failing = { insertEncoded: async () => Promise.reject(new Error("store says no")) };
    const worker = h.startWorker({ store: () => failing });
    await h.queues.events.add(
      "batch",
      {
        orgId: h.org.id,
        source: "cli",
        receivedAt: new Date().toISOString(),
        sender: "t",
        events: [stepEvent(h.org.id, h.project.id)],
      },
      { ...h.queues.jobOptions, attempts: 2 },
    );
    await waitFor(async () => (await h.queues.deadLetter.count()) >= 2, 20_000, "2 dead letters");
    await worker.close();
    const res = await h.app.inject({ method: "GET", url: "/healthz" });
    const report = res.json() as HealthReport;
    expect(report.checks.queue).toMatchObject({ status: "ok", deadLetter: 2 });
    const dead = await h.queues.deadLetter.getJobs(["waiting"]);
    expect(dead.map((j) => j.data.error).sort()).toEqual([
      expect.stringMatching(/invalid batch payload/),
      "store says no",
    ]);
  });

  // after the poison test, which counts the dead-letter queue
  it("dead-letters, with its payload, a batch that stalled more often than allowed", async () => {
    // BullMQ itself fails such a batch (its processor never runs); it must not just vanish.
    const events = [stepEvent(h.org.id, h.project2.id), stepEvent(h.org.id, h.project2.id)];
    const hanging = { insertEncoded: () => new Promise<void>(() => {}) };
    const first = h.startWorker({ store: () => hanging, flushMs: 10 });
    expect((await post(h.orgToken, events)).statusCode).toBe(202);
    await waitFor(async () => (await h.queues.events.getActiveCount()) > 0, 10_000, "active job");
    const [job] = await h.queues.events.getJobs(["active"]);
    await first.kill();
    // allowed no stall at all: its lock lapses (2 s here) and the next check fails it
    const second = h.startWorker({ maxStalledCount: 0 });
    const dead = async () => h.queues.deadLetter.getJob(`dead-${job?.id}`);
    await waitFor(async () => (await dead()) !== undefined, 20_000, "the dead letter");
    const entry = (await dead())?.data as DeadLetterJob;
    expect(entry.error).toMatch(/^job stalled more than allowable limit/);
    expect(entry.orgId).toBe(h.org.id);
    expect(JSON.stringify(entry.payload)).toContain(events[0]?.id);
    await second.close();
  });
});

describe("fuzzed payloads", () => {
  it("never answer 5xx, and the valid events of a batch are accepted", async () => {
    const junk = fc.oneof(
      fc.anything(),
      fc.record({
        id: fc.uuid(),
        type: fc.constantFrom("step", "build.started", "nope"),
        schemaVersion: fc.integer(),
        orgId: fc.string(),
        time: fc.string(),
        data: fc.object(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(junk, { maxLength: 8 }), fc.nat(3), async (items, validCount) => {
        const valid = Array.from({ length: validCount }, () => stepEvent(h.org.id, h.project.id));
        const batch = [...items, ...valid];
        const res = await post(h.orgToken, JSON.stringify(batch));
        expect(res.statusCode).toBeLessThan(500);
        if (validCount > 0) {
          expect([202, 207]).toContain(res.statusCode);
          expect(res.json().accepted).toBeGreaterThanOrEqual(validCount);
        }
      }),
      { numRuns: 60 },
    );
    const raw = await fc.sample(fc.uint8Array({ maxLength: 200 }), 20);
    for (const bytes of raw) {
      const res = await post(h.orgToken, Buffer.from(bytes), { "content-encoding": "gzip" });
      expect(res.statusCode).toBeLessThan(500);
    }
  });
});
