import { describe, expect, it } from "vitest";
import { criticalPath } from "./critical-path";
import { digest, step } from "./test-fixtures";

describe("criticalPath", () => {
  it("follows the input that finished last, back from the last completed step", () => {
    // deps (0-10s) and assets (0-4s) run in parallel; build needs both; export needs build.
    const steps = [
      step(1, { name: "[deps 2/2] RUN npm ci", start: 0, end: 10 }),
      step(2, { name: "[assets 2/2] RUN make css", start: 0, end: 4 }),
      step(3, {
        name: "[build 3/3] RUN npm run build",
        start: 10,
        end: 30,
        inputs: [digest(1), digest(2)],
      }),
      step(4, { name: "exporting to image", stage: null, start: 30, end: 35, inputs: [digest(3)] }),
      step(5, { name: "[lint 2/2] RUN lint", start: 0, end: 12 }),
    ];
    expect(criticalPath(steps)).toEqual([digest(1), digest(3), digest(4)]);
  });

  it("ignores inputs that never completed or are not in the build, and survives cycles", () => {
    const steps = [
      step(1, { name: "a", start: 0, end: 5, inputs: [digest(2)] }),
      step(2, { name: "b", start: 5, end: 9, inputs: [digest(1), digest(99)] }),
      step(3, { name: "c", start: 1, end: null }),
    ];
    expect(criticalPath(steps)).toEqual([digest(1), digest(2)]);
  });

  it("falls back to time order when no step recorded its inputs", () => {
    const steps = [
      step(1, { name: "a", start: 0, end: 3 }),
      step(2, { name: "b", start: 0, end: 5 }),
      step(3, { name: "c", start: 5, end: 9 }),
    ];
    expect(criticalPath(steps)).toEqual([digest(2), digest(3)]);
  });

  it("walks back by time from a step BuildKit sent without inputs (exporting to image)", () => {
    // a real engine's trace: the Dockerfile steps name their inputs, the exporter names none
    const steps = [
      step(1, { name: "[1/3] FROM base", start: 0, end: 1 }),
      step(2, { name: "[2/3] RUN sleep 6", start: 1, end: 7, inputs: [digest(1)] }),
      step(3, { name: "[3/3] COPY a /a", start: 7, end: 8, inputs: [digest(2)] }),
      step(4, { name: "exporting to image", stage: null, start: 8, end: 9 }),
    ];
    expect(criticalPath(steps)).toEqual([digest(1), digest(2), digest(3), digest(4)]);
  });

  it("is empty when nothing completed", () => {
    expect(criticalPath([step(1, { name: "a", start: 0, end: null })])).toEqual([]);
  });
});
