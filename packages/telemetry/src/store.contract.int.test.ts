/**
 * One contract for both ClickHouse drivers: the embedded engine (always, in a temp data path)
 * and a server (only when CLICKHOUSE_URL is set; rows use fresh org ids, so a shared server is
 * fine).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "./clickhouse/embedded.ts";
import { appliedMigrations, migrateClickHouse, rollbackClickHouse } from "./clickhouse/migrate.ts";
import { ServerStore } from "./clickhouse/server.ts";
import type { TelemetryStore } from "./clickhouse/store.ts";
import { encodeRows } from "./clickhouse/store.ts";
import { type TelemetryEvent, telemetryEvent } from "./events/index.ts";
import {
  buildTrend,
  countTelemetry,
  listBuildSteps,
  listBuilds,
  listCacheSnapshots,
  listLintFindings,
  listRunnerJobs,
  runnerQueueStats,
} from "./queries/index.ts";
import { encodeEvents, TABLES, writeEvents } from "./write.ts";

const EVENT_TABLES = Object.values(TABLES);
const SINCE = new Date("2025-01-01T00:00:00Z");

/** One event of every type for an org; ids are fresh unless given. */
function sampleEvents(orgId: string, projectId = "proj-1", buildId = "build-1"): TelemetryEvent[] {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const base = { schemaVersion: 1, orgId, projectId } as const;
  return [
    {
      ...base,
      id: randomUUID(),
      type: "build.started",
      time: "2025-03-01T10:00:05.000Z",
      data: {
        buildId,
        number: 42,
        platforms: ["linux/amd64", "linux/arm64"],
        queuedAt: "2025-03-01T10:00:00.000Z",
        startedAt: "2025-03-01T10:00:05.000Z",
        gitRef: "refs/heads/main",
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "build.finished",
      time: "2025-03-01T10:02:05.250Z",
      data: {
        buildId,
        number: 42,
        status: "succeeded",
        startedAt: "2025-03-01T10:00:05.000Z",
        finishedAt: "2025-03-01T10:02:05.250Z",
        durationMs: 120_250,
        stepCount: 2,
        cachedStepCount: 1,
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "step",
      time: "2025-03-01T10:00:06.000Z",
      data: {
        buildId,
        digest: digest("a"),
        name: "[deps 1/4] FROM node:20-bookworm-slim",
        stage: "deps",
        dockerfileLine: 2,
        startedAt: "2025-03-01T10:00:06.000Z",
        completedAt: "2025-03-01T10:00:06.000Z",
        cached: true,
        error: null,
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "step",
      time: "2025-03-01T10:01:50.000Z",
      data: {
        buildId,
        digest: digest("b"),
        name: "[build 3/5] RUN npm ci",
        stage: "build",
        platform: "linux/arm64",
        dockerfileLine: 12,
        startedAt: "2025-03-01T10:00:06.500Z",
        completedAt: "2025-03-01T10:01:50.000Z",
        cached: false,
        error: null,
        inputs: [digest("a")],
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "lint.finding",
      time: "2025-03-01T10:00:05.100Z",
      data: {
        buildId,
        code: "DL3008",
        level: "warning",
        line: 5,
        message: "Pin versions in apt get install.",
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "cache.snapshot",
      time: "2025-03-01T23:55:00.000Z",
      data: {
        sizeBytes: 5_368_709_120,
        reclaimableBytes: 1_073_741_824,
        entryCount: 240,
        hitCount: 31,
        missCount: 7,
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "runner.job",
      time: "2025-03-01T11:04:00.000Z",
      data: {
        repository: "demo/web",
        workflow: "ci",
        runId: 11_000_012_345,
        runAttempt: 1,
        jobId: 30_000_000_001,
        jobName: "test",
        labels: ["slipway-4cpu"],
        runnerName: "slipway-4cpu-0b2d35",
        runnerGroup: "slipway",
        status: "completed",
        conclusion: "success",
        queuedAt: "2025-03-01T11:00:00.000Z",
        startedAt: "2025-03-01T11:00:03.000Z",
        completedAt: "2025-03-01T11:04:00.000Z",
      },
    },
    {
      ...base,
      id: randomUUID(),
      type: "runner.step",
      time: "2025-03-01T11:00:40.000Z",
      data: {
        repository: "demo/web",
        runId: 11_000_012_345,
        runAttempt: 1,
        jobId: 30_000_000_001,
        number: 4,
        name: "Run npm ci",
        status: "completed",
        conclusion: "success",
        startedAt: "2025-03-01T11:00:10.000Z",
        completedAt: "2025-03-01T11:00:40.000Z",
      },
    },
  ].map((e) => telemetryEvent.parse(e));
}

const INJECTIONS = [
  "' OR 1=1 --",
  "x' OR '1'='1",
  "\\' OR 1=1 --",
  "a\\",
  "'; DROP TABLE builds_v1; --",
  "{orgId:String}",
  "}' UNION ALL SELECT * FROM system.tables --",
  "tab\there\nnew line\r\0nul",
  "ünïcødé ✓ 𝄞",
];

function storeContract(name: string, open: () => Promise<TelemetryStore>) {
  describe(`TelemetryStore contract: ${name}`, () => {
    let store: TelemetryStore;
    const orgA = `org-a-${randomUUID()}`;
    const orgB = `org-b-${randomUUID()}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("answers ping with the engine version", async () => {
      const ping = await store.ping();
      expect(ping).toMatchObject({ status: "ok", version: expect.stringMatching(/^\d+\.\d+/) });
      expect(ping.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it("applies migrations once; a second run applies nothing", async () => {
      const first = await migrateClickHouse(store);
      expect(first.current).toBe(8);
      const second = await migrateClickHouse(store);
      expect(second).toEqual({ applied: [], current: 8 });
      const tables = await store.query<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name",
      );
      const names = tables.map((t) => t.name);
      for (const t of [...EVENT_TABLES, "schema_migrations", "telemetry_seeds"]) {
        expect(names).toContain(t);
      }
      expect((await appliedMigrations(store)).map((m) => m.version)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
    });

    it("rolls the last migrations back with their down files and re-applies them", async () => {
      const index = () =>
        store.query(
          "SELECT name FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'build_steps_v1'",
        );
      expect(await index()).toEqual([{ name: "build_id_bf_v1" }]);
      const rollup = () =>
        store.query(
          "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'runner_jobs_latest%' ORDER BY name",
        );
      expect(await rollup()).toEqual([
        { name: "runner_jobs_latest_mv_v1" },
        { name: "runner_jobs_latest_v1" },
      ]);
      const logColumns = () =>
        store.query(
          "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'build_steps_v1' AND name LIKE 'logs%' ORDER BY position",
        );
      expect(await logColumns()).toEqual([
        { name: "logs", type: "String" },
        { name: "logs_truncated", type: "Bool" },
      ]);
      // A step with logs is stored before the rollback: dropping and re-adding the columns
      // works with rows in the table (they read as no logs afterwards).
      const org = `org-rollback-${randomUUID().slice(0, 8)}`;
      const [withLogs] = sampleEvents(org).filter((e) => e.type === "step");
      if (withLogs?.type !== "step") throw new Error("sampleEvents has a step");
      withLogs.data.logs = [{ at: null, stream: "stdout", text: "hello\n" }];
      await writeEvents(store, [withLogs], { source: "cli" });
      const storedLogs = () =>
        store.query<{ logs: string; t: boolean }>(
          "SELECT logs, logs_truncated AS t FROM build_steps_v1 FINAL WHERE org_id = {org:String}",
          { org },
        );
      expect(await storedLogs()).toEqual([
        { logs: '[{"at":null,"stream":"stdout","text":"hello\\n"}]', t: false },
      ]);
      expect(await rollbackClickHouse(store, 4)).toEqual({
        reverted: [
          { version: 8, name: "step_logs" },
          { version: 7, name: "runner_jobs_latest" },
          { version: 6, name: "build_steps_build_id_index" },
          { version: 5, name: "telemetry_seeds" },
        ],
      });
      expect(await logColumns()).toEqual([]);
      const gone = await store.query(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'telemetry_seeds'",
      );
      expect(gone).toEqual([]);
      expect(await index()).toEqual([]);
      expect(await rollup()).toEqual([]);
      expect(await migrateClickHouse(store)).toEqual({
        applied: [
          { version: 5, name: "telemetry_seeds" },
          { version: 6, name: "build_steps_build_id_index" },
          { version: 7, name: "runner_jobs_latest" },
          { version: 8, name: "step_logs" },
        ],
        current: 8,
      });
      expect(await index()).toEqual([{ name: "build_id_bf_v1" }]);
      expect((await rollup()).length).toBe(2);
      expect((await logColumns()).length).toBe(2);
      expect(await storedLogs()).toEqual([{ logs: "", t: false }]);
    });

    it("stores pre-encoded rows (insertEncoded) like insert, re-sent ones once", async () => {
      const org = `org-enc-${randomUUID().slice(0, 8)}`;
      const events = sampleEvents(org);
      const encoded = encodeEvents(events, "builder");
      for (const [table, rows] of encoded) await store.insertEncoded(table, rows);
      for (const [table, rows] of encoded) await store.insertEncoded(table, rows); // re-sent
      const counts = await countTelemetry(store, { orgId: org, source: "builder" });
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(events.length);
      const rows = encodeRows(["org_id", "name"], [{ org_id: org, name: 'a "quoted"\nname' }]);
      expect(rows).toEqual({
        columns: ["org_id", "name"],
        data: `[${JSON.stringify(org)},"a \\"quoted\\"\\nname"]\n`,
        rows: 1,
      });
      await expect(
        store.insertEncoded("builds_v1; DROP TABLE builds_v1", { ...rows, columns: ["org_id"] }),
      ).rejects.toThrow(/invalid table name/);
    });

    it("stores TabSeparated rows (encodeEvents) exactly as insert() stores the same events", async () => {
      const tricky = "tab\there, new\nline, back\\slash, 'single' \"double\" \\N ü";
      const viaTsv = `org-tsv-${randomUUID().slice(0, 8)}`;
      const viaInsert = `org-ins-${randomUUID().slice(0, 8)}`;
      const withTricky = (orgId: string) =>
        sampleEvents(orgId).map((e) => {
          const c = structuredClone(e) as TelemetryEvent;
          if (c.type === "step")
            Object.assign(c.data, {
              name: tricky,
              error: tricky,
              logs: [
                { at: "2025-03-01T10:00:07.125Z", stream: "stdout", text: tricky },
                { at: null, stream: "stderr", text: "\u0000 ✓ 𝄞\r\n" },
              ],
              logsTruncated: true,
            });
          if (c.type === "lint.finding") c.data.message = tricky;
          if (c.type === "runner.job") c.data.labels = [tricky, "it's"];
          if (c.type === "build.started") c.data.gitRef = tricky;
          return c;
        });
      const encoded = encodeEvents(withTricky(viaTsv), "builder");
      for (const [, rows] of encoded) expect(rows.format).toBe("TabSeparated");
      for (const [table, rows] of encoded) await store.insertEncoded(table, rows);
      await writeEvents(store, withTricky(viaInsert), { source: "builder" });
      for (const table of EVENT_TABLES) {
        // Event ids differ between the two copies (sampleEvents makes new ones).
        const read = async (org: string) =>
          (
            await store.query(
              `SELECT * EXCEPT (org_id, event_id, ingested_at) FROM ${table} FINAL WHERE org_id = {org:String}`,
              { org },
            )
          )
            .map((r) => JSON.stringify(r))
            .sort();
        const [a, b] = [await read(viaTsv), await read(viaInsert)];
        expect(a.length, table).toBeGreaterThan(0);
        expect(a, table).toEqual(b);
      }
      const [step] = await store.query<{ name: string; logs: string }>(
        "SELECT name, logs FROM build_steps_v1 FINAL WHERE org_id = {org:String} LIMIT 1",
        { org: viaTsv },
      );
      expect(step?.name).toBe(tricky);
      expect(JSON.parse(step?.logs ?? "")[0].text).toBe(tricky);
    });

    it("round-trips every event type through insert and the query helpers", async () => {
      const events = sampleEvents(orgA);
      await writeEvents(store, events, { source: "builder" });

      const [build] = await listBuilds(store, { orgId: orgA });
      expect(build).toEqual({
        projectId: "proj-1",
        buildId: "build-1",
        number: 42,
        platforms: ["linux/amd64", "linux/arm64"],
        status: "succeeded",
        queuedAt: "2025-03-01T10:00:00.000Z",
        startedAt: "2025-03-01T10:00:05.000Z",
        finishedAt: "2025-03-01T10:02:05.250Z",
        durationMs: 120_250,
        stepCount: 2,
        cachedStepCount: 1,
        error: null,
      });

      const steps = await listBuildSteps(store, { orgId: orgA, buildId: "build-1" });
      expect(steps.map((s) => [s.name, s.cached, s.durationMs, s.platform])).toEqual([
        ["[deps 1/4] FROM node:20-bookworm-slim", true, 0, null],
        ["[build 3/5] RUN npm ci", false, 103_500, "linux/arm64"],
      ]);
      expect(steps[1]?.inputs).toEqual([`sha256:${"a".repeat(64)}`]);
      expect(steps[1]?.startedAt).toBe("2025-03-01T10:00:06.500Z");

      const lint = await listLintFindings(store, { orgId: orgA, buildId: "build-1" });
      expect(lint).toEqual([
        {
          buildId: "build-1",
          projectId: "proj-1",
          code: "DL3008",
          level: "warning",
          line: 5,
          message: "Pin versions in apt get install.",
          file: "Dockerfile",
          time: "2025-03-01T10:00:05.100Z",
        },
      ]);

      const trend = await buildTrend(store, { orgId: orgA, since: SINCE });
      expect(trend).toEqual([
        {
          day: "2025-03-01",
          builds: 1,
          succeeded: 1,
          failed: 0,
          p50DurationMs: 120_250,
          p95DurationMs: 120_250,
          stepCount: 2,
          cachedStepCount: 1,
        },
      ]);

      const [job] = await listRunnerJobs(store, { orgId: orgA });
      expect(job).toMatchObject({
        projectId: "proj-1",
        repository: "demo/web",
        runId: 11_000_012_345,
        jobId: 30_000_000_001,
        labels: ["slipway-4cpu"],
        conclusion: "success",
        queueMs: 3000,
        durationMs: 237_000,
      });
      expect(await runnerQueueStats(store, { orgId: orgA, since: SINCE })).toEqual([
        {
          day: "2025-03-01",
          label: "slipway-4cpu",
          jobs: 1,
          p50QueueMs: 3000,
          p95QueueMs: 3000,
          runMinutes: 4,
        },
      ]);

      const [snap] = await listCacheSnapshots(store, { orgId: orgA });
      expect(snap).toEqual({
        projectId: "proj-1",
        time: "2025-03-01T23:55:00.000Z",
        sizeBytes: 5_368_709_120,
        reclaimableBytes: 1_073_741_824,
        entryCount: 240,
        hitCount: 31,
        missCount: 7,
      });

      expect(await countTelemetry(store, { orgId: orgA })).toEqual({
        builds: 2,
        buildSteps: 2,
        lintFindings: 1,
        runnerJobs: 1,
        runnerSteps: 1,
        cacheSnapshots: 1,
      });
    });

    it("stores a re-sent event (same id) once", async () => {
      const org = `org-resend-${randomUUID()}`;
      const events = sampleEvents(org);
      await writeEvents(store, events, { source: "builder" });
      await writeEvents(store, events, { source: "builder" });
      await writeEvents(store, events.slice(2, 4), { source: "builder" });
      expect(await countTelemetry(store, { orgId: org })).toEqual({
        builds: 2,
        buildSteps: 2,
        lintFindings: 1,
        runnerJobs: 1,
        runnerSteps: 1,
        cacheSnapshots: 1,
      });
      const raw = await store.query<{ n: number }>(
        `SELECT count() AS n FROM ${TABLES.buildSteps} WHERE org_id = {org:String}`,
        { org },
      );
      // Without FINAL the copies may still be there until parts merge; FINAL folds them.
      expect(raw[0]?.n).toBeGreaterThanOrEqual(2);
    });

    it("binds parameters as values: injection attempts come back verbatim and match nothing", async () => {
      for (const evil of INJECTIONS) {
        const rows = await store.query<{ s: string; n: number }>(
          "SELECT {s:String} AS s, length({s:String}) AS n",
          { s: evil },
        );
        expect(rows).toEqual([{ s: evil, n: Buffer.byteLength(evil) }]);
        expect(await listBuilds(store, { orgId: evil })).toEqual([]);
        expect(await listBuildSteps(store, { orgId: orgA, buildId: evil })).toEqual([]);
        expect(await listBuilds(store, { orgId: orgA, projectId: evil })).toEqual([]);
      }
      const arr = await store.query<{ a: string[] }>("SELECT {a:Array(String)} AS a", {
        a: INJECTIONS,
      });
      expect(arr).toEqual([{ a: INJECTIONS }]);
      // Tables still there, nothing dropped.
      expect((await listBuilds(store, { orgId: orgA })).length).toBe(1);
    });

    it("refuses table and parameter names that are not plain identifiers", async () => {
      await expect(store.insert("builds_v1; DROP TABLE builds_v1", [{ a: 1 }])).rejects.toThrow(
        /invalid table name/,
      );
      await expect(store.query("SELECT 1", { "x} OR 1=1": 1 })).rejects.toThrow(
        /query parameter name/,
      );
    });

    it("keeps tenants apart: every helper for org A returns nothing of org B", async () => {
      // Org B has the same project, build and repository names as org A.
      await writeEvents(store, sampleEvents(orgB), { source: "builder" });
      const a = { orgId: orgA };
      const b = { orgId: orgB };
      const onlyA = await Promise.all([
        listBuilds(store, a),
        listBuildSteps(store, { ...a, buildId: "build-1" }),
        listLintFindings(store, a),
        buildTrend(store, { ...a, since: SINCE }),
        listRunnerJobs(store, a),
        runnerQueueStats(store, { ...a, since: SINCE }),
        listCacheSnapshots(store, a),
      ]);
      const onlyB = await Promise.all([
        listBuilds(store, b),
        listBuildSteps(store, { ...b, buildId: "build-1" }),
        listLintFindings(store, b),
        buildTrend(store, { ...b, since: SINCE }),
        listRunnerJobs(store, b),
        runnerQueueStats(store, { ...b, since: SINCE }),
        listCacheSnapshots(store, b),
      ]);
      // Same shapes (one of each), and no row counted twice across orgs.
      expect(onlyA.map((r) => r.length)).toEqual(onlyB.map((r) => r.length));
      expect(onlyA.every((r) => r.length > 0)).toBe(true);
      const stepsA = onlyA[1] as { eventId: string }[];
      const stepsB = onlyB[1] as { eventId: string }[];
      expect(stepsA.some((s) => stepsB.some((t) => t.eventId === s.eventId))).toBe(false);
      expect((await countTelemetry(store, { orgId: `org-none-${randomUUID()}` })).builds).toBe(0);
      await expect(listBuilds(store, { orgId: "" })).rejects.toThrow(/orgId is required/);
    });
  });
}

describe("embedded engine", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "slipway-ch-contract-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  storeContract("embedded (chdb)", async () => EmbeddedStore.open(join(dir, "clickhouse")));

  it("keeps data across reopen, and a second process cannot open the same path", async () => {
    const path = join(dir, "persist");
    const org = `org-${randomUUID()}`;
    const first = EmbeddedStore.open(path);
    await migrateClickHouse(first);
    await writeEvents(first, sampleEvents(org), { source: "cli" });

    const embeddedModule = fileURLToPath(new URL("./clickhouse/embedded.ts", import.meta.url));
    const script = `import { EmbeddedStore } from ${JSON.stringify(embeddedModule)};
try { EmbeddedStore.open(${JSON.stringify(path)}); console.log("opened"); }
catch (e) { console.log(e.name + ": " + e.message); }`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 30_000 },
    );
    expect(stdout).toMatch(
      new RegExp(
        `StoreLockedError: the embedded ClickHouse data at .* is in use by another process \\(pid ${process.pid}\\)`,
      ),
    );

    await first.close();
    const again = EmbeddedStore.open(path);
    try {
      expect((await countTelemetry(again, { orgId: org })).buildSteps).toBe(2);
    } finally {
      await again.close();
    }
  });
});

describe.runIf(Boolean(process.env.CLICKHOUSE_URL))("ClickHouse server", () => {
  storeContract(
    "server (CLICKHOUSE_URL)",
    async () => new ServerStore(process.env.CLICKHOUSE_URL ?? ""),
  );
});
