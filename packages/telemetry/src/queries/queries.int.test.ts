/**
 * Contract of the per-table insight queries (build-steps.ts, builds.ts, lint.ts, runners.ts,
 * cache.ts) against the embedded engine in a temp directory: the numbers they compute, re-sent
 * events counted once, periods and buckets, and tenant isolation (org B never sees org A).
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../clickhouse/embedded.ts";
import { migrateClickHouse } from "../clickhouse/migrate.ts";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { type TelemetryEvent, telemetryEvent } from "../events/index.ts";
import { writeEvents } from "../write.ts";
import {
  buildDurations,
  cacheHitRatio,
  cacheSizeTrend,
  lintRuleFrequencies,
  listBuildSteps,
  listRunnerJobs,
  runnerQueueStats,
  runnerUsageByLabel,
  slowestSteps,
} from "./index.ts";

const ORG = `org-a-${randomUUID().slice(0, 8)}`;
const OTHER = `org-b-${randomUUID().slice(0, 8)}`;
const SINCE = new Date("2025-03-01T00:00:00Z");
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const at = (day: number, seconds = 0) =>
  new Date(Date.UTC(2025, 2, day, 10, 0, seconds)).toISOString();

const ev = (input: unknown): TelemetryEvent => telemetryEvent.parse(input);
const base = (orgId: string, projectId: string | null, time: string) => ({
  id: randomUUID(),
  schemaVersion: 1,
  orgId,
  projectId,
  time,
});

let n = 0;
function step(
  orgId: string,
  projectId: string,
  o: { day: number; name: string; ms: number; cached?: boolean; buildId?: string },
) {
  const start = at(o.day, n++ % 50);
  return ev({
    ...base(orgId, projectId, start),
    type: "step",
    data: {
      buildId: o.buildId ?? `b-${o.day}`,
      digest: digest(n),
      name: o.name,
      stage: "build",
      dockerfileLine: 3,
      startedAt: start,
      completedAt: new Date(Date.parse(start) + o.ms).toISOString(),
      cached: o.cached ?? false,
      error: null,
    },
  });
}

function finished(orgId: string, projectId: string, day: number, ms: number, status = "succeeded") {
  const end = at(day, 30);
  return ev({
    ...base(orgId, projectId, end),
    type: "build.finished",
    data: {
      buildId: `build-${randomUUID()}`,
      number: 1,
      status,
      startedAt: new Date(Date.parse(end) - ms).toISOString(),
      finishedAt: end,
      durationMs: ms,
      stepCount: 3,
      cachedStepCount: 1,
    },
  });
}

function lint(orgId: string, projectId: string, code: string, file: string, day = 2) {
  return ev({
    ...base(orgId, projectId, at(day)),
    type: "lint.finding",
    data: { buildId: "b", code, level: "warning", line: 1, message: "m", file },
  });
}

function job(
  orgId: string,
  o: { jobId: number; labels: string[]; status: string; queueS: number; runS?: number; t: number },
) {
  const queuedAt = at(3);
  const startedAt = new Date(Date.parse(queuedAt) + o.queueS * 1000).toISOString();
  const done = o.status === "completed";
  return ev({
    ...base(orgId, null, at(3, o.t)),
    type: "runner.job",
    data: {
      repository: "acme/app",
      workflow: "ci",
      runId: 7,
      runAttempt: 1,
      jobId: o.jobId,
      jobName: "build",
      labels: o.labels,
      runnerName: "r1",
      runnerGroup: null,
      status: o.status,
      conclusion: done ? "success" : null,
      queuedAt,
      startedAt,
      completedAt: done
        ? new Date(Date.parse(startedAt) + (o.runS ?? 60) * 1000).toISOString()
        : null,
    },
  });
}

function snapshot(orgId: string, projectId: string, day: number, hour: number, size: number) {
  return ev({
    ...base(orgId, projectId, new Date(Date.UTC(2025, 2, day, hour)).toISOString()),
    type: "cache.snapshot",
    data: {
      sizeBytes: size,
      reclaimableBytes: 10,
      entryCount: 1,
      hitCount: 1,
      missCount: 1,
    },
  });
}

let dir: string;
let store: TelemetryStore;
const resent: TelemetryEvent[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slipway-queries-"));
  store = EmbeddedStore.open(join(dir, "clickhouse"));
  await migrateClickHouse(store);
  const events: TelemetryEvent[] = [
    // Steps, project p1: "RUN npm ci" under two stage prefixes, one cached run.
    step(ORG, "p1", { day: 2, name: "[build 1/3] RUN npm ci", ms: 1000 }),
    step(ORG, "p1", { day: 2, name: "[deps 2/4] RUN  npm ci", ms: 3000 }),
    step(ORG, "p1", { day: 3, name: "[build 1/3] RUN npm ci", ms: 0, cached: true }),
    step(ORG, "p1", { day: 3, name: "[build 2/3] COPY . .", ms: 100 }),
    step(ORG, "p2", { day: 3, name: "[build 1/1] RUN make", ms: 9000, cached: true }),
    // Before the period: not counted.
    step(ORG, "p1", { day: 0, name: "[build 1/3] RUN npm ci", ms: 99_000 }), // Feb 28
    finished(ORG, "p1", 2, 1000),
    finished(ORG, "p1", 2, 3000, "failed"),
    finished(ORG, "p2", 3, 5000),
    lint(ORG, "p1", "DL3008", "Dockerfile"),
    lint(ORG, "p1", "DL3008", "Dockerfile"), // same file twice: one Dockerfile
    lint(ORG, "p1", "DL3008", "api/Dockerfile"),
    lint(ORG, "p2", "DL3003", "Dockerfile"),
    // Job 1 reports twice (in progress, then completed): counted once, as completed.
    job(ORG, { jobId: 1, labels: ["ubuntu-latest"], status: "in_progress", queueS: 10, t: 1 }),
    job(ORG, {
      jobId: 1,
      labels: ["ubuntu-latest"],
      status: "completed",
      queueS: 10,
      runS: 120,
      t: 5,
    }),
    job(ORG, {
      jobId: 2,
      labels: ["self-hosted", "x64"],
      status: "completed",
      queueS: 30,
      runS: 60,
      t: 2,
    }),
    snapshot(ORG, "p1", 2, 1, 100),
    snapshot(ORG, "p1", 2, 20, 150), // the day's latest for p1
    snapshot(ORG, "p2", 2, 5, 1000),
    snapshot(ORG, "p1", 3, 1, 200),
    // Org B: rows that would change every number above if they leaked.
    step(OTHER, "p1", { day: 2, name: "[build 1/3] RUN npm ci", ms: 50_000 }),
    finished(OTHER, "p1", 2, 50_000),
    lint(OTHER, "p1", "DL9999", "Dockerfile"),
    job(OTHER, { jobId: 1, labels: ["ubuntu-latest"], status: "completed", queueS: 999, t: 9 }),
    snapshot(OTHER, "p1", 2, 23, 1_000_000),
  ];
  await writeEvents(store, events, { source: "seed" });
  // A re-sent batch (same event ids) changes nothing: steps, lint findings and job reports.
  const own = events.filter((e) => e.orgId === ORG);
  resent.push(
    ...own.slice(0, 6),
    ...own.filter((e) => e.type === "lint.finding" || e.type === "runner.job"),
  );
  await writeEvents(store, resent, { source: "seed" });
});

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("insight queries (embedded engine)", () => {
  it("slowestSteps: p50/p95 by normalised name, cached runs apart, in the period only", async () => {
    const rows = await slowestSteps(store, { orgId: ORG, projectId: "p1", since: SINCE });
    expect(rows.map((r) => r.step)).toEqual(["RUN npm ci", "COPY . ."]);
    const npm = rows[0];
    expect(npm).toMatchObject({ runs: 3, cachedRuns: 1, totalDurationMs: 4000 });
    expect(npm?.p50DurationMs).toBeGreaterThanOrEqual(1000);
    expect(npm?.p95DurationMs).toBeLessThanOrEqual(3000);
    expect(npm?.p95DurationMs).toBeGreaterThan(npm?.p50DurationMs ?? 0);
  });

  it("cacheHitRatio: share of cached steps per bucket", async () => {
    const rows = await cacheHitRatio(store, { orgId: ORG, since: SINCE, bucket: "day" });
    expect(rows).toEqual([
      { bucket: "2025-03-02T00:00:00Z", steps: 2, cachedSteps: 0, hitRatio: 0 },
      { bucket: "2025-03-03T00:00:00Z", steps: 3, cachedSteps: 2, hitRatio: 0.6667 },
    ]);
    const p1 = await cacheHitRatio(store, { orgId: ORG, projectId: "p1", since: SINCE });
    expect(p1.map((r) => r.steps)).toEqual([2, 2]);
  });

  it("buildDurations: finished builds per bucket with p50/p95, failures counted", async () => {
    const rows = await buildDurations(store, { orgId: ORG, since: SINCE, bucket: "day" });
    expect(rows.map(({ bucket, builds, failed }) => ({ bucket, builds, failed }))).toEqual([
      { bucket: "2025-03-02T00:00:00Z", builds: 2, failed: 1 },
      { bucket: "2025-03-03T00:00:00Z", builds: 1, failed: 0 },
    ]);
    expect(rows[1]).toMatchObject({ p50DurationMs: 5000, p95DurationMs: 5000 });
    const week = await buildDurations(store, { orgId: ORG, since: SINCE, bucket: "week" });
    expect(week.reduce((a, r) => a + r.builds, 0)).toBe(3);
    const until = await buildDurations(store, {
      orgId: ORG,
      since: SINCE,
      until: new Date("2025-03-03T00:00:00Z"),
    });
    expect(until.map((r) => r.builds)).toEqual([2]);
  });

  it("lintRuleFrequencies: share of Dockerfiles (project + file) with each rule", async () => {
    const rows = await lintRuleFrequencies(store, { orgId: ORG, since: SINCE });
    expect(rows).toEqual([
      {
        code: "DL3008",
        level: "warning",
        findings: 3,
        dockerfiles: 2,
        totalDockerfiles: 3,
        share: 0.6667,
      },
      {
        code: "DL3003",
        level: "warning",
        findings: 1,
        dockerfiles: 1,
        totalDockerfiles: 3,
        share: 0.3333,
      },
    ]);
  });

  it("runnerUsageByLabel: each job once (its latest report), minutes and queue time per label", async () => {
    const rows = await runnerUsageByLabel(store, { orgId: ORG, since: SINCE });
    expect(rows).toEqual([
      {
        label: "ubuntu-latest",
        jobs: 1,
        runMinutes: 2,
        p50QueueMs: 10_000,
        p95QueueMs: 10_000,
        maxQueueMs: 10_000,
      },
      {
        label: "self-hosted",
        jobs: 1,
        runMinutes: 1,
        p50QueueMs: 30_000,
        p95QueueMs: 30_000,
        maxQueueMs: 30_000,
      },
      {
        label: "x64",
        jobs: 1,
        runMinutes: 1,
        p50QueueMs: 30_000,
        p95QueueMs: 30_000,
        maxQueueMs: 30_000,
      },
    ]);
    expect(
      await runnerUsageByLabel(store, { orgId: ORG, since: SINCE, repository: "x/y" }),
    ).toEqual([]);
  });

  it("listRunnerJobs: each job once, as its latest report, newest first", async () => {
    const rows = await listRunnerJobs(store, { orgId: ORG, since: SINCE });
    expect(rows.map((r) => [r.jobId, r.status, r.durationMs])).toEqual([
      [2, "completed", 60_000],
      [1, "completed", 120_000],
    ]);
    expect(await listRunnerJobs(store, { orgId: ORG, limit: 1 })).toHaveLength(1);
    expect(await listRunnerJobs(store, { orgId: ORG, repository: "x/y" })).toEqual([]);
    expect((await listRunnerJobs(store, { orgId: OTHER })).map((r) => r.jobId)).toEqual([1]);
  });

  it("runnerQueueStats: each job once per day and label, as its latest report", async () => {
    expect(await runnerQueueStats(store, { orgId: ORG, since: SINCE })).toEqual([
      {
        day: "2025-03-03",
        label: "self-hosted",
        jobs: 1,
        p50QueueMs: 30_000,
        p95QueueMs: 30_000,
        runMinutes: 1,
      },
      {
        day: "2025-03-03",
        label: "ubuntu-latest",
        jobs: 1,
        p50QueueMs: 10_000,
        p95QueueMs: 10_000,
        runMinutes: 2,
      },
      {
        day: "2025-03-03",
        label: "x64",
        jobs: 1,
        p50QueueMs: 30_000,
        p95QueueMs: 30_000,
        runMinutes: 1,
      },
    ]);
  });

  it("cacheSizeTrend: each project's latest snapshot in the bucket, summed", async () => {
    const rows = await cacheSizeTrend(store, { orgId: ORG, since: SINCE, bucket: "day" });
    expect(rows).toEqual([
      { bucket: "2025-03-02T00:00:00Z", sizeBytes: 1150, reclaimableBytes: 20, projects: 2 },
      { bucket: "2025-03-03T00:00:00Z", sizeBytes: 200, reclaimableBytes: 10, projects: 1 },
    ]);
  });

  it("keeps tenants apart: the other org sees only its own rows, and an org id is required", async () => {
    const steps = await slowestSteps(store, { orgId: OTHER, projectId: "p1", since: SINCE });
    expect(steps).toMatchObject([{ step: "RUN npm ci", runs: 1, totalDurationMs: 50_000 }]);
    expect(
      (await cacheHitRatio(store, { orgId: OTHER, since: SINCE })).map((r) => r.steps),
    ).toEqual([1]);
    expect(
      (await buildDurations(store, { orgId: OTHER, since: SINCE })).map((r) => r.builds),
    ).toEqual([1]);
    expect(
      (await lintRuleFrequencies(store, { orgId: OTHER, since: SINCE })).map((r) => r.code),
    ).toEqual(["DL9999"]);
    expect(await runnerUsageByLabel(store, { orgId: OTHER, since: SINCE })).toMatchObject([
      { label: "ubuntu-latest", jobs: 1, maxQueueMs: 999_000 },
    ]);
    expect(await cacheSizeTrend(store, { orgId: OTHER, since: SINCE })).toMatchObject([
      { sizeBytes: 1_000_000, projects: 1 },
    ]);
    expect(await listBuildSteps(store, { orgId: OTHER, buildId: "b-3" })).toEqual([]);
    expect((await listBuildSteps(store, { orgId: ORG, buildId: "b-3" })).length).toBe(3);
    // An org that does not exist sees nothing; an empty org id is refused before any SQL.
    expect(await cacheHitRatio(store, { orgId: "nobody", since: SINCE })).toEqual([]);
    await expect(cacheHitRatio(store, { orgId: "", since: SINCE })).rejects.toThrow(/orgId/);
    // Values are bound, never spliced: a quote in an org id is just a (non-matching) value.
    expect(await buildDurations(store, { orgId: `${ORG}' OR '1'='1`, since: SINCE })).toEqual([]);
  });
});
