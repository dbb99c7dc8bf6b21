import { describe, expect, it } from "vitest";
import {
  parseTelemetryEvent,
  STEP_LOG_MAX_CHARS,
  type StepLogEntry,
  stepV1,
  TELEMETRY_EVENT_TYPES,
  telemetryEvent,
} from "./index.ts";

const base = {
  id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
  schemaVersion: 1,
  orgId: "org_1",
  projectId: "proj_1",
  time: "2025-01-31T12:00:05.000Z",
};
const digest = `sha256:${"a".repeat(64)}`;

const valid = {
  "build.started": {
    ...base,
    type: "build.started",
    data: {
      buildId: "b1",
      number: 7,
      platforms: ["linux/amd64", "linux/arm64"],
      queuedAt: "2025-01-31T12:00:00Z",
      startedAt: "2025-01-31T12:00:05Z",
    },
  },
  "build.finished": {
    ...base,
    type: "build.finished",
    data: {
      buildId: "b1",
      number: 7,
      status: "succeeded",
      startedAt: "2025-01-31T12:00:05Z",
      finishedAt: "2025-01-31T12:03:05Z",
      durationMs: 180_000,
      stepCount: 18,
      cachedStepCount: 11,
    },
  },
  step: {
    ...base,
    type: "step",
    data: {
      buildId: "b1",
      digest,
      name: "[build 3/5] RUN npm ci",
      stage: "build",
      dockerfileLine: 12,
      startedAt: "2025-01-31T12:00:10Z",
      completedAt: "2025-01-31T12:00:55Z",
      cached: false,
      error: null,
      inputs: [digest],
    },
  },
  "lint.finding": {
    ...base,
    type: "lint.finding",
    data: {
      buildId: "b1",
      code: "DL3008",
      level: "warning",
      line: 5,
      message: "Pin versions in apt get install.",
    },
  },
  "cache.snapshot": {
    ...base,
    type: "cache.snapshot",
    data: {
      sizeBytes: 5_000_000_000,
      reclaimableBytes: 1_000_000_000,
      entryCount: 212,
      hitCount: 40,
      missCount: 9,
    },
  },
  "runner.job": {
    ...base,
    projectId: null,
    type: "runner.job",
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
      queuedAt: "2025-01-31T12:00:00Z",
      startedAt: "2025-01-31T12:00:03Z",
      completedAt: "2025-01-31T12:04:00Z",
    },
  },
  "runner.step": {
    ...base,
    projectId: null,
    type: "runner.step",
    data: {
      repository: "demo/web",
      runId: 11_000_012_345,
      runAttempt: 1,
      jobId: 30_000_000_001,
      number: 4,
      name: "Run npm ci",
      status: "completed",
      conclusion: "success",
      startedAt: "2025-01-31T12:00:10Z",
      completedAt: "2025-01-31T12:00:40Z",
    },
  },
} as const;

function errorPaths(input: unknown): string[] {
  const r = parseTelemetryEvent(input);
  if (r.ok) return [];
  return r.errors.map((e) => e.path);
}

describe("telemetry event schemas v1", () => {
  it("has an example for every event type", () => {
    expect(Object.keys(valid).sort()).toEqual([...TELEMETRY_EVENT_TYPES].sort());
  });

  it.each(Object.entries(valid))("accepts a valid %s event", (_type, event) => {
    const r = parseTelemetryEvent(event);
    expect(r.ok ? r.event.type : r.errors).toBe(event.type);
  });

  it("applies defaults", () => {
    const started = telemetryEvent.parse(valid["build.started"]);
    expect(started.type === "build.started" && started.data.dockerfile).toBe("Dockerfile");
    const lint = telemetryEvent.parse(valid["lint.finding"]);
    expect(lint.type === "lint.finding" && lint.data.file).toBe("Dockerfile");
  });

  it("rejects an unknown type, naming the field", () => {
    expect(errorPaths({ ...base, type: "build.exploded", data: {} })).toEqual(["type"]);
  });

  it("names the envelope field that is wrong", () => {
    expect(errorPaths({ ...valid.step, id: "not-a-uuid" })).toEqual(["id"]);
    expect(errorPaths({ ...valid.step, orgId: "" })).toEqual(["orgId"]);
    expect(errorPaths({ ...valid.step, time: "yesterday" })).toEqual(["time"]);
    expect(errorPaths({ ...valid.step, schemaVersion: 2 })).toEqual(["schemaVersion"]);
    expect(errorPaths({ ...valid.step, projectId: null })).toEqual(["projectId"]);
  });

  it("allows runner events without a project but requires the key", () => {
    expect(errorPaths(valid["runner.job"])).toEqual([]);
    const { projectId: _, ...noProject } = valid["runner.job"];
    expect(errorPaths(noProject)).toEqual(["projectId"]);
  });

  it("names nested data fields", () => {
    expect(errorPaths({ ...valid.step, data: { ...valid.step.data, digest: "abc" } })).toEqual([
      "data.digest",
    ]);
    expect(
      errorPaths({ ...valid.step, data: { ...valid.step.data, inputs: [digest, "nope"] } }),
    ).toEqual(["data.inputs.1"]);
    expect(
      errorPaths({
        ...valid["lint.finding"],
        data: { ...valid["lint.finding"].data, code: "drop table", level: "fatal" },
      }),
    ).toEqual(["data.code", "data.level"]);
    expect(
      errorPaths({
        ...valid["build.started"],
        data: { ...valid["build.started"].data, platforms: ["amd64"] },
      }),
    ).toEqual(["data.platforms.0"]);
  });

  it("checks that times are in order and counts add up", () => {
    expect(
      errorPaths({
        ...valid.step,
        data: { ...valid.step.data, completedAt: "2025-01-31T12:00:00Z" },
      }),
    ).toEqual(["data.completedAt"]);
    expect(
      errorPaths({
        ...valid["build.finished"],
        data: { ...valid["build.finished"].data, cachedStepCount: 99 },
      }),
    ).toEqual(["data.cachedStepCount"]);
    expect(
      errorPaths({
        ...valid["cache.snapshot"],
        data: { ...valid["cache.snapshot"].data, reclaimableBytes: 6_000_000_000 },
      }),
    ).toEqual(["data.reclaimableBytes"]);
    expect(
      errorPaths({
        ...valid["runner.job"],
        data: { ...valid["runner.job"].data, startedAt: "2025-01-31T11:00:00Z" },
      }),
    ).toEqual(["data.startedAt"]);
  });

  it("reports a missing data field by name", () => {
    const { status: _, ...data } = valid["build.finished"].data;
    const r = parseTelemetryEvent({ ...valid["build.finished"], data });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ path: "data.status", message: expect.any(String) }]);
  });
});

describe("step logs (data.logs, data.logsTruncated)", () => {
  const withLogs = (logs: unknown, extra: Record<string, unknown> = {}) => ({
    ...valid.step,
    data: { ...valid.step.data, logs, ...extra },
  });

  it("accepts logs in order, with an optional time and any text, and keeps logsTruncated", () => {
    const logs = [
      { at: "2025-01-31T12:00:11.250Z", stream: "stdout", text: "added 812 packages\n" },
      { stream: "stderr", text: "npm warn deprecated\ttab \\ back ünï ✓ 𝄞\r\n" },
      { at: null, stream: "other", text: "" },
    ];
    const r = parseTelemetryEvent(withLogs(logs, { logsTruncated: true }));
    expect(r.ok).toBe(true);
    if (!r.ok || r.event.type !== "step") return;
    const expected: StepLogEntry[] = [
      logs[0] as StepLogEntry,
      { at: null, stream: "stderr", text: logs[1]?.text ?? "" },
      { at: null, stream: "other", text: "" },
    ];
    expect(r.event.data.logs).toEqual(expected);
    expect(r.event.data.logsTruncated).toBe(true);
  });

  it("defaults to no logs, not truncated, when the fields are absent", () => {
    const parsed = stepV1.parse(valid.step);
    expect(parsed.data.logs).toEqual([]);
    expect(parsed.data.logsTruncated).toBe(false);
  });

  it("takes exactly STEP_LOG_MAX_CHARS characters in all, and refuses one more, naming the limit", () => {
    expect(STEP_LOG_MAX_CHARS).toBe(65_536);
    const half = "x".repeat(STEP_LOG_MAX_CHARS / 2);
    const atLimit = [
      { stream: "stdout", text: half },
      { stream: "stderr", text: half },
    ];
    expect(errorPaths(withLogs(atLimit))).toEqual([]);
    const over = [...atLimit, { stream: "stdout", text: "y" }];
    const r = parseTelemetryEvent(withLogs(over, { logsTruncated: true }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      {
        path: "data.logs",
        message:
          "logs hold 65537 characters; at most 65536 per step (send the head and set logsTruncated)",
      },
    ]);
    // One entry over the limit is refused by its own field.
    expect(
      errorPaths(withLogs([{ stream: "stdout", text: "z".repeat(STEP_LOG_MAX_CHARS + 1) }])),
    ).toContain("data.logs.0.text");
  });

  it("refuses a bad stream, a bad time, a non-array and a non-boolean logsTruncated", () => {
    expect(errorPaths(withLogs([{ stream: "stdin", text: "x" }]))).toEqual(["data.logs.0.stream"]);
    expect(errorPaths(withLogs([{ stream: "stdout" }]))).toEqual(["data.logs.0.text"]);
    expect(errorPaths(withLogs([{ at: "yesterday", stream: "stdout", text: "x" }]))).toEqual([
      "data.logs.0.at",
    ]);
    expect(errorPaths(withLogs("all of it"))).toEqual(["data.logs"]);
    expect(errorPaths(withLogs(null))).toEqual(["data.logs"]);
    expect(errorPaths(withLogs([], { logsTruncated: "yes" }))).toEqual(["data.logsTruncated"]);
    const many = Array.from({ length: 10_001 }, () => ({ stream: "stdout", text: "" }));
    expect(errorPaths(withLogs(many))).toEqual(["data.logs"]);
  });
});
