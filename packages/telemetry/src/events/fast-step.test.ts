import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParseStep } from "./fast-step.ts";
import { parseTelemetryEvent, stepV1 } from "./index.ts";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const valid = {
  id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
  schemaVersion: 1,
  type: "step",
  orgId: "org_1",
  projectId: "proj_1",
  time: "2024-02-29T12:00:05.123Z",
  extra: "dropped",
  data: {
    buildId: "b1",
    digest: digest("a"),
    name: "[build 3/5] RUN npm ci",
    stage: "build",
    dockerfileLine: 3,
    startedAt: "2024-02-29T12:00:00Z",
    completedAt: "2024-02-29T12:00:05.5Z",
    cached: false,
    error: null,
    inputs: [digest("b")],
    logs: [],
    logsTruncated: false,
  },
};

// Log arrays for `data.logs`: valid ones (which the fast path leaves to zod) and bad ones.
const someLogs = [
  { at: "2024-02-29T12:00:01Z", stream: "stdout", text: "added 812 packages\n" },
  { stream: "stderr", text: "warn\ttab \\ ü" },
];
const logValues = [
  someLogs,
  [{ stream: "other", text: "" }],
  [{ stream: "stdin", text: "x" }],
  [{ stream: "stdout" }],
  [{ at: "2024-02-29T12:00:01+02:00", stream: "stdout", text: "x" }],
  [{ stream: "stdout", text: "x".repeat(65_537) }],
  [
    { stream: "stdout", text: "x".repeat(40_000) },
    { stream: "stderr", text: "y".repeat(40_000) },
  ],
  [null],
  ["text"],
];

// Values a field may take: valid ones, near misses, and wrong types.
const anyValue = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    "",
    "x",
    "x".repeat(129),
    "x".repeat(257),
    0,
    -1,
    1.5,
    3,
    2 ** 60,
    true,
    false,
    [],
    {},
    [digest("c")],
    ["nope"],
    digest("d"),
    `sha256:${"A".repeat(64)}`,
    "linux/amd64",
    "linux/arm/v7",
    "Linux/amd64",
    "2025-01-31T12:00:00Z",
    "2025-01-31T12:00:00.123456Z",
    "2025-01-31T12:00:00+02:00",
    "2025-01-31T24:00:00Z",
    "2025-02-29T12:00:00Z",
    "2000-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2025-04-31T00:00:00Z",
    "2025-00-10T00:00:00Z",
    "2025-01-31 12:00:00Z",
    "2025-01-31T12:00Z",
    "step",
    "build.started",
    "00000000-0000-0000-0000-000000000000",
    "6ba7b810-9dad-01d1-80b4-00c04fd430c8",
    "6BA7B810-9DAD-41D1-80B4-00C04FD430C8",
    ...logValues,
  ),
  fc.string(),
  fc.integer(),
);

const topKeys = ["id", "schemaVersion", "type", "orgId", "projectId", "time", "data"] as const;
const dataKeys = Object.keys(valid.data);

/** `data.logs`: absent, empty, generated entries (valid or near misses), or a fixed odd value. */
const logsArb = fc.oneof(
  fc.constant(undefined),
  fc.constant([]),
  fc.array(
    fc.record(
      {
        at: fc.constantFrom(null, "2024-02-29T12:00:01Z", "2024-02-29T12:00:01+02:00", "soon"),
        stream: fc.constantFrom("stdout", "stderr", "other", "stdin"),
        text: fc.oneof(fc.string(), fc.constant("x".repeat(40_000))),
      },
      { requiredKeys: ["stream", "text"] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  fc.constantFrom(...logValues),
  anyValue,
);
const logsTruncatedArb = fc.oneof(fc.constant(undefined), fc.boolean(), anyValue);

/**
 * The valid step with its logs fields set (or left out), then up to 3 fields (top level or data)
 * replaced or removed.
 */
const mutated = fc
  .tuple(
    logsArb,
    logsTruncatedArb,
    fc.array(
      fc.record({
        where: fc.constantFrom("top", "data"),
        top: fc.constantFrom(...topKeys),
        data: fc.constantFrom(...dataKeys),
        value: anyValue,
        remove: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
  )
  .map(([logs, logsTruncated, changes]) => {
    const data: Record<string, unknown> = { ...valid.data, logs, logsTruncated };
    if (logs === undefined) delete data.logs;
    if (logsTruncated === undefined) delete data.logsTruncated;
    const e: Record<string, unknown> = { ...valid, data };
    for (const c of changes) {
      const target = c.where === "top" ? e : (e.data as Record<string, unknown>);
      const key = c.where === "top" ? c.top : c.data;
      if (typeof target !== "object" || target === null) continue;
      if (c.remove) delete target[key];
      else target[key] = c.value;
    }
    return e;
  });

describe("fastParseStep", () => {
  it("takes the common shape, with zod's output", () => {
    const fast = fastParseStep(valid);
    expect(fast).toBeDefined();
    expect(fast).toEqual(stepV1.parse(valid));
    const noDefaults = { ...valid, data: { ...valid.data } } as Record<string, unknown>;
    delete (noDefaults.data as Record<string, unknown>).inputs;
    delete (noDefaults.data as Record<string, unknown>).logs;
    delete (noDefaults.data as Record<string, unknown>).logsTruncated;
    expect(fastParseStep(noDefaults)).toEqual(stepV1.parse(noDefaults));
    expect(fastParseStep(noDefaults)?.data).toMatchObject({
      inputs: [],
      platform: null,
      logs: [],
      logsTruncated: false,
    });
    const truncated = { ...valid, data: { ...valid.data, logsTruncated: true } };
    expect(fastParseStep(truncated)).toEqual(stepV1.parse(truncated));
    expect(fastParseStep(truncated)?.data.logsTruncated).toBe(true);
  });

  it("leaves a step with logs to zod, which parseTelemetryEvent then uses", () => {
    const withLogs = { ...valid, data: { ...valid.data, logs: someLogs } };
    expect(fastParseStep(withLogs)).toBeUndefined();
    const slow = stepV1.parse(withLogs);
    expect(slow.data.logs).toEqual([someLogs[0], { at: null, ...someLogs[1] }]);
    expect(parseTelemetryEvent(withLogs)).toEqual({ ok: true, event: slow });
    // Not an array, or null: zod refuses it (and words why).
    for (const logs of [null, {}, "x"]) {
      const bad = { ...valid, data: { ...valid.data, logs } };
      expect(fastParseStep(bad)).toBeUndefined();
      expect(stepV1.safeParse(bad).success).toBe(false);
    }
  });

  it("never accepts what zod refuses, and agrees with zod on what it accepts", () => {
    let accepted = 0;
    let refused = 0;
    // The logs branches: taken without logs (absent or []), left to zod with a valid log array.
    let acceptedNoLogsKey = 0;
    let acceptedEmptyLogs = 0;
    let deferredValidLogs = 0;
    fc.assert(
      fc.property(mutated, (input) => {
        const fast = fastParseStep(input);
        const slow = stepV1.safeParse(input);
        const logs = (input.data as Record<string, unknown> | undefined)?.logs;
        if (fast === undefined) {
          refused++;
          if (slow.success && Array.isArray(logs) && logs.length > 0) deferredValidLogs++;
          return;
        }
        accepted++;
        if (logs === undefined) acceptedNoLogsKey++;
        else acceptedEmptyLogs++;
        expect(Array.isArray(logs) ? logs.length : 0).toBe(0);
        expect(slow.success, JSON.stringify(input)).toBe(true);
        expect(fast).toEqual(slow.data);
      }),
      { numRuns: 5_000 },
    );
    // Both branches were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
    expect(acceptedNoLogsKey).toBeGreaterThan(10);
    expect(acceptedEmptyLogs).toBeGreaterThan(10);
    expect(deferredValidLogs).toBeGreaterThan(10);
  });

  it("leaves the wording of errors to zod (completedAt before startedAt, offsets)", () => {
    const backwards = { ...valid, data: { ...valid.data, completedAt: "2024-02-29T11:00:00Z" } };
    expect(fastParseStep(backwards)).toBeUndefined();
    expect(stepV1.safeParse(backwards).success).toBe(false);
    const offset = { ...valid, time: "2024-02-29T14:00:05+02:00" };
    expect(fastParseStep(offset)).toBeUndefined();
    expect(stepV1.safeParse(offset).success).toBe(true);
  });
});
