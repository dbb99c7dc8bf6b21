import { describe, expect, it } from "vitest";
import { compareBuilds } from "./compare";
import { step } from "./test-fixtures";

describe("compareBuilds", () => {
  const a = [
    step(1, { name: "[build 1/5] FROM node", cached: true, start: 0, end: 0 }),
    step(2, { name: "[build 2/5] RUN npm ci", cached: true, start: 0, end: 0 }),
    step(3, { name: "[build 3/5] RUN npm test", start: 0, end: 10 }),
    step(4, { name: "[build 4/5] RUN old step", start: 10, end: 11 }),
    step(5, { name: "[build 5/5] RUN compile", start: 11, end: 12 }),
  ];
  const b = [
    step(11, { name: "[build 1/5] FROM  node", cached: true, start: 0, end: 0 }),
    step(12, { name: "[build 2/5] RUN npm ci", start: 0, end: 40 }),
    step(13, { name: "[build 3/5] RUN npm test", start: 40, end: 70 }),
    step(14, { name: "[build 4/5] RUN new step", start: 70, end: 71 }),
    step(15, { name: "[build 5/5] RUN compile", start: 71, end: 72.2 }),
  ];

  it("matches steps by normalised name and classifies each pair", () => {
    const { steps, counts } = compareBuilds(a, b);
    const byName = Object.fromEntries(steps.map((s) => [s.name, s.change]));
    expect(byName).toEqual({
      "FROM node": "same",
      "RUN npm ci": "lost-cache",
      "RUN npm test": "slower",
      "RUN new step": "new",
      "RUN old step": "removed",
      "RUN compile": "same", // +200 ms is noise
    });
    expect(counts["lost-cache"]).toBe(1);
    expect(steps[0]?.change).toBe("lost-cache");
  });

  it("gives duration deltas and totals of executed time", () => {
    const r = compareBuilds(a, b);
    expect(r.steps.find((s) => s.name === "RUN npm test")?.deltaMs).toBe(20_000);
    expect(r.steps.find((s) => s.name === "RUN new step")?.deltaMs).toBeNull();
    expect(r.totalA).toBe(12_000);
    expect(r.totalB).toBe(40_000 + 30_000 + 1_000 + 1_200);
  });

  it("keeps platforms apart and pairs repeated names in order", () => {
    const x = [
      step(1, { name: "[linux/amd64 b 2/2] RUN x", platform: "linux/amd64", start: 0, end: 1 }),
      step(2, { name: "[linux/arm64 b 2/2] RUN x", platform: "linux/arm64", start: 0, end: 5 }),
    ];
    const y = [
      step(3, { name: "[linux/arm64 b 2/2] RUN x", platform: "linux/arm64", start: 0, end: 5 }),
    ];
    const r = compareBuilds(x, y);
    expect(r.steps.map((s) => [s.platform, s.change])).toEqual([
      ["linux/amd64", "removed"],
      ["linux/arm64", "same"],
    ]);
  });
});
