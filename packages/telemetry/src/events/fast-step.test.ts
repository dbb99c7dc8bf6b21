import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParseStep } from "./fast-step.ts";
import { stepV1 } from "./index.ts";

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
  },
};

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
  ),
  fc.string(),
  fc.integer(),
);

const topKeys = ["id", "schemaVersion", "type", "orgId", "projectId", "time", "data"] as const;
const dataKeys = Object.keys(valid.data);

/** The valid step with up to 3 fields (top level or data) replaced or removed. */
const mutated = fc
  .array(
    fc.record({
      where: fc.constantFrom("top", "data"),
      top: fc.constantFrom(...topKeys),
      data: fc.constantFrom(...dataKeys),
      value: anyValue,
      remove: fc.boolean(),
    }),
    { maxLength: 3 },
  )
  .map((changes) => {
    const e: Record<string, unknown> = { ...valid, data: { ...valid.data } };
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
    expect(fastParseStep(noDefaults)).toEqual(stepV1.parse(noDefaults));
    expect(fastParseStep(noDefaults)?.data).toMatchObject({ inputs: [], platform: null });
  });

  it("never accepts what zod refuses, and agrees with zod on what it accepts", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(mutated, (input) => {
        const fast = fastParseStep(input);
        const slow = stepV1.safeParse(input);
        if (fast === undefined) {
          refused++;
          return;
        }
        accepted++;
        expect(slow.success, JSON.stringify(input)).toBe(true);
        expect(fast).toEqual(slow.data);
      }),
      { numRuns: 5_000 },
    );
    // Both branches were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
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
