import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../clickhouse/embedded.ts";
import { clickhouseDataPath } from "../paths.ts";
import {
  countTelemetry,
  listBuildSteps,
  listLintFindings,
  listRunnerJobs,
} from "../queries/index.ts";
import { seedTelemetry } from "./index.ts";

const now = new Date("2025-06-30T12:00:00Z");

const builds = Array.from({ length: 12 }, (_, i) => {
  const startedAt = new Date(now.getTime() - (12 - i) * 36e5 * 30);
  return {
    id: `b-${i}`,
    orgId: "org-seed",
    projectId: `p-${i % 2}`,
    number: Math.floor(i / 2) + 1,
    platforms: i % 3 === 0 ? ["linux/amd64", "linux/arm64"] : ["linux/amd64"],
    status: i === 4 ? "FAILED" : "SUCCEEDED",
    queuedAt: new Date(startedAt.getTime() - 4000),
    startedAt,
    finishedAt: new Date(startedAt.getTime() + 90_000 + i * 5000),
    stepCount: 14 + i,
    cachedStepCount: i,
  };
});
const org = { id: "org-seed", slug: "demo" };
const projects = [
  { id: "p-0", slug: "web" },
  { id: "p-1", slug: "api" },
];

describe("seedTelemetry (embedded engine under a state directory)", () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-seed-"));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it("migrates, writes the demo telemetry, and skips the org the second time", async () => {
    const first = await seedTelemetry({ builds, org, projects, stateDir, now, clickhouseUrl: "" });
    expect(first.skipped).toBe(false);
    expect(first.location).toBe(clickhouseDataPath(stateDir));
    expect(first.tables.build_steps_v1).toBe(builds.reduce((s, b) => s + b.stepCount, 0));

    const second = await seedTelemetry({ builds, org, projects, stateDir, now, clickhouseUrl: "" });
    expect(second).toMatchObject({ skipped: true, events: 0 });

    const store = EmbeddedStore.open(clickhouseDataPath(stateDir));
    try {
      const counts = await countTelemetry(store, { orgId: org.id, source: "seed" });
      expect(counts.builds).toBe(builds.length * 2);
      expect(counts.buildSteps).toBe(first.tables.build_steps_v1);
      expect(counts.runnerJobs).toBe(first.tables.runner_jobs_v1);
      // 30 past days; today's snapshot (23:55) is still ahead of `now`.
      expect(counts.cacheSnapshots).toBe(2 * 30);

      const steps = await listBuildSteps(store, { orgId: org.id, buildId: "b-3" });
      expect(steps).toHaveLength(builds[3]?.stepCount ?? -1);
      expect(steps.filter((s) => s.cached)).toHaveLength(3);
      expect(steps[0]?.name).toBe("[internal] load build definition from Dockerfile");

      const lint = await listLintFindings(store, { orgId: org.id, projectId: "p-1" });
      expect(lint.every((l) => /^(DL|SC)\d{4}$/.test(l.code))).toBe(true);

      const jobs = await listRunnerJobs(store, { orgId: org.id, repository: "demo/web", limit: 5 });
      expect(jobs).toHaveLength(5);
    } finally {
      await store.close();
    }
  });
});
