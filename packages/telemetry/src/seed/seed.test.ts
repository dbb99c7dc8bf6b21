import { describe, expect, it } from "vitest";
import type { EventOf } from "../events/index.ts";
import { generateSeedEvents, seedDockerfiles, seedTelemetryInput } from "./index.ts";

const now = new Date("2025-06-30T12:00:00Z");
const HOUR = 3_600_000;

function demoRaw() {
  const statuses = ["succeeded", "succeeded", "FAILED", "canceled", "running", "queued", "success"];
  const builds = Array.from({ length: 28 }, (_, i) => {
    const status = statuses[i % statuses.length] ?? "succeeded";
    const queuedAt = new Date(now.getTime() - (30 - i) * 20 * HOUR);
    const startedAt = status === "queued" ? null : new Date(queuedAt.getTime() + 3000);
    const finishedAt =
      startedAt && status !== "running" && status !== "queued"
        ? new Date(startedAt.getTime() + 45_000 + i * 9000)
        : null;
    const stepCount = startedAt ? 6 + ((i * 7) % 34) : 0;
    return {
      id: `build-${i}`,
      orgId: "org-demo",
      projectId: `proj-${i % 3}`,
      number: Math.floor(i / 3) + 1,
      platforms: i % 4 === 0 ? ["linux/amd64", "linux/arm64"] : ["linux/amd64"],
      status,
      queuedAt,
      startedAt: i === 25 && startedAt ? new Date(now.getTime() - 20_000) : startedAt,
      finishedAt,
      stepCount,
      cachedStepCount: Math.floor((stepCount * (i % 5)) / 5),
      ...(i % 3 === 0 && { dockerfilePath: "apps/web/Dockerfile" }),
    };
  });
  return {
    builds,
    org: { id: "org-demo", slug: "demo" },
    projects: [
      { id: "proj-0", slug: "web" },
      { id: "proj-1", slug: "api" },
      { id: "proj-2", slug: "worker", repository: "demo/queue-worker" },
    ],
  };
}

const demoInput = () => seedTelemetryInput.parse(demoRaw());

describe("generateSeedEvents", () => {
  const input = demoInput();
  const events = generateSeedEvents(input, now);
  const steps = events.filter((e): e is EventOf<"step"> => e.type === "step");

  it("is deterministic", () => {
    expect(generateSeedEvents(demoInput(), now)).toEqual(events);
  });

  it("gives event ids that are unique", () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("writes exactly the step and cached-step counts of each build", () => {
    for (const b of input.builds) {
      const mine = steps.filter((s) => s.data.buildId === b.id);
      expect(mine.length, b.id).toBe(b.startedAt ? b.stepCount : 0);
      expect(mine.filter((s) => s.data.cached).length, b.id).toBe(
        b.startedAt ? b.cachedStepCount : 0,
      );
    }
  });

  it("keeps step timings inside the build's start and finish (or now)", () => {
    for (const b of input.builds) {
      if (!b.startedAt) continue;
      const lo = b.startedAt.getTime();
      const hi = (b.finishedAt ?? now).getTime();
      for (const s of steps.filter((x) => x.data.buildId === b.id)) {
        for (const t of [s.data.startedAt, s.data.completedAt]) {
          if (t === null) continue;
          expect(Date.parse(t)).toBeGreaterThanOrEqual(lo);
          expect(Date.parse(t)).toBeLessThanOrEqual(hi);
        }
        if (s.data.cached && s.data.startedAt) expect(s.data.completedAt).toBe(s.data.startedAt);
      }
    }
  });

  it("looks like BuildKit: internal vertices, numbered stages, parallel stages", () => {
    const names = steps.map((s) => s.data.name);
    expect(names).toContain("[internal] load build definition from Dockerfile");
    expect(names.some((n) => /^\[deps 1\/\d+\] FROM node:20-bookworm-slim@sha256:/.test(n))).toBe(
      true,
    );
    expect(names.some((n) => /^\[build \d+\/\d+\] RUN npm ci$/.test(n))).toBe(true);
    expect(names.some((n) => /^\[linux\/arm64 \w+ \d+\/\d+\] /.test(n))).toBe(true);
    // In a succeeded multi-stage build, two stages' steps overlap in time.
    const build0 = steps.filter((s) => s.data.buildId === "build-0" && !s.data.cached);
    const spans = build0
      .filter((s) => s.data.stage && s.data.startedAt && s.data.completedAt)
      .map((s) => ({
        key: `${s.data.platform}:${s.data.stage}`,
        from: Date.parse(s.data.startedAt ?? ""),
        to: Date.parse(s.data.completedAt ?? ""),
      }));
    const overlap = spans.some((a) =>
      spans.some((b) => a.key !== b.key && a.from < b.to && b.from < a.to),
    );
    expect(overlap).toBe(true);
  });

  it("fails a failed build's step with BuildKit's message and stops what came after", () => {
    const failed = input.builds.find((b) => b.status === "failed" && b.stepCount > 0);
    const mine = steps.filter((s) => s.data.buildId === failed?.id);
    const errors = mine.map((s) => s.data.error).filter((e) => e && e !== "context canceled");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/did not complete successfully: exit code: \d+|failed to export/);
    const finished = events.find(
      (e): e is EventOf<"build.finished"> =>
        e.type === "build.finished" && e.data.buildId === failed?.id,
    );
    expect(finished?.data.error).toBe(errors[0]);
  });

  it("writes real hadolint findings", () => {
    const lint = events.filter((e): e is EventOf<"lint.finding"> => e.type === "lint.finding");
    expect(lint.length).toBeGreaterThan(0);
    const byCode = new Map(lint.map((l) => [l.data.code, l.data]));
    expect(byCode.get("DL3008")?.message).toBe(
      "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
    );
    expect(byCode.get("DL3018")?.level).toBe("warning");
    expect(byCode.get("DL3059")?.level).toBe("info");
    expect(byCode.has("DL4006")).toBe(true);
  });

  it("keeps each build's Dockerfile: its steps' and findings' lines point into it", () => {
    const texts = new Map(seedDockerfiles(demoRaw()).map((d) => [d.buildId, d.text.split("\n")]));
    expect(texts.size).toBe(input.builds.length);
    let checked = 0;
    for (const step of steps) {
      const instruction = /^\[[^\]]+ \d+\/\d+\] (.+)$/.exec(step.data.name)?.[1];
      if (step.data.dockerfileLine === null || !instruction) continue;
      const lines = texts.get(step.data.buildId) ?? [];
      const line = lines[step.data.dockerfileLine - 1] ?? "";
      // BuildKit names a FROM by its resolved image (`FROM node:20@sha256:…`), the file says `AS`
      if (instruction.startsWith("FROM ")) {
        expect(line, step.data.name).toMatch(/^FROM \S+ AS \S+$/);
        expect(instruction.replace(/@sha256:[a-f0-9]{64}$/, ""), step.data.name).toBe(
          line.replace(/ AS \S+$/, ""),
        );
      } else expect(line, step.data.name).toBe(instruction);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    const lint = events.filter((e): e is EventOf<"lint.finding"> => e.type === "lint.finding");
    for (const f of lint) {
      const build = input.builds.find((b) => b.id === f.data.buildId);
      expect(f.data.file).toBe(build?.dockerfilePath);
      expect(texts.get(f.data.buildId ?? "")?.[f.data.line - 1]?.trim()).not.toBe("");
    }
    expect(new Set(lint.map((f) => f.data.file))).toEqual(
      new Set(["Dockerfile", "apps/web/Dockerfile"]),
    );
  });

  it("gives the RUN steps that ran some output, the failed one its error on stderr", () => {
    const run = steps.filter((s) => /\] RUN /.test(s.data.name));
    expect(run.filter((s) => s.data.cached).every((s) => s.data.logs.length === 0)).toBe(true);
    const printed = run.filter((s) => s.data.logs.length > 0);
    expect(printed.length).toBeGreaterThan(20);
    for (const s of printed) {
      for (const log of s.data.logs) {
        expect(log.at !== null && s.data.startedAt !== null && log.at >= s.data.startedAt).toBe(
          true,
        );
      }
    }
    const failed = run.find((s) => s.data.error && s.data.error !== "context canceled");
    expect(failed?.data.logs.at(-1)).toMatchObject({
      stream: "stderr",
      text: `${failed?.data.error}\n`,
    });
  });

  it("writes 30 days of GitHub Actions jobs with the demo labels and repositories", () => {
    const jobs = events.filter((e): e is EventOf<"runner.job"> => e.type === "runner.job");
    const labels = new Set(jobs.flatMap((j) => j.data.labels));
    expect([...labels].sort()).toEqual(["slipway-4cpu", "slipway-arm64", "ubuntu-latest"]);
    expect(new Set(jobs.map((j) => j.data.workflow))).toEqual(new Set(["ci", "release"]));
    expect(new Set(jobs.map((j) => j.data.repository))).toEqual(
      new Set(["demo/web", "demo/api", "demo/queue-worker"]),
    );
    const oldest = Math.min(...jobs.map((j) => Date.parse(j.data.queuedAt)));
    expect(now.getTime() - oldest).toBeLessThanOrEqual(31 * 24 * HOUR);
    for (const j of jobs) expect(Date.parse(j.data.completedAt ?? "")).toBeLessThanOrEqual(+now);
    const runnerSteps = events.filter((e) => e.type === "runner.step");
    expect(runnerSteps.length).toBeGreaterThan(jobs.length * 4);
  });

  it("writes a cache snapshot per project per day", () => {
    const snaps = events.filter((e) => e.type === "cache.snapshot");
    expect(snaps.length).toBe(3 * 30);
  });
});
