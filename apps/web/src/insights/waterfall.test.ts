import { describe, expect, it } from "vitest";
import { digest, step, T0 } from "./test-fixtures";
import { formatOffset, layoutWaterfall } from "./waterfall";

describe("layoutWaterfall", () => {
  it("groups steps into lanes in start order with bars as fractions of the build", () => {
    const steps = [
      step(1, { name: "[build 2/2] RUN b", start: 10, end: 40 }),
      step(2, { name: "[internal] load", stage: null, start: 0, end: 2 }),
      step(3, { name: "[deps 2/2] RUN a", stage: "deps", start: 2, end: 10, cached: false }),
      step(4, { name: "[build 3/3] RUN c", start: null }),
    ];
    const w = layoutWaterfall(steps, new Set([digest(1)]), T0 + 100_000);
    expect(w.totalMs).toBe(40_000);
    expect(w.lanes.map((l) => l.lane)).toEqual(["internal", "deps", "build"]);
    const build = w.lanes[2];
    expect(
      build?.bars.map((b) => [
        b.step.label,
        b.offset,
        b.width,
        b.step.critical,
        b.skipped ?? false,
      ]),
    ).toEqual([
      ["RUN b", 0.25, 0.75, true, false],
      ["RUN c", 0, 0, false, true],
    ]);
    expect(build?.spanMs).toBe(30_000);
    expect(w.ticks[0]).toEqual({ at: 0, label: "0s" });
    expect(w.ticks.length).toBeLessThanOrEqual(9);
  });

  it("draws running steps up to now", () => {
    const w = layoutWaterfall(
      [step(1, { name: "[b 1/1] RUN x", start: 0, end: null })],
      new Set(),
      T0 + 5000,
    );
    expect(w.lanes[0]?.bars[0]).toMatchObject({ running: true, width: 1 });
  });

  it("carries the caller's view of each step, the same objects", () => {
    const steps = [
      step(1, { name: "[b 1/2] RUN x", start: 0, end: 1 }),
      step(2, { name: "[b 2/2] RUN y", start: 1, end: 3 }),
    ];
    const views = steps.map((s) => ({
      id: s.digest,
      label: s.name,
      dockerfileLine: null,
      durationMs: null,
      cached: false,
      critical: false,
      failed: false,
      extra: s.eventId,
    }));
    const w = layoutWaterfall(steps, new Set(), T0 + 5000, views);
    expect(w.lanes[0]?.bars.map((b) => b.step)).toEqual(views);
    expect(w.lanes[0]?.bars[1]?.step).toBe(views[1]);
    expect(w.lanes[0]?.bars[1]?.offset).toBeCloseTo(1 / 3, 5);
    expect(w.lanes[0]?.bars[1]?.width).toBeCloseTo(2 / 3, 5);
  });

  it("formats axis offsets", () => {
    expect(formatOffset(45_000)).toBe("45s");
    expect(formatOffset(120_000)).toBe("2m");
    expect(formatOffset(125_000)).toBe("2m05s");
  });
});
