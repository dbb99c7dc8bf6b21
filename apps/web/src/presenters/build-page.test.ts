// The build page's trace sends each step's bar only; a step's detail is computed on demand.
import { describe, expect, it } from "vitest";
import { stepIdOf } from "../insights/steps";
import { digest, step } from "../insights/test-fixtures";
import { stepDetailOf, traceOf } from "./build-page.server";
import { parseStepId } from "./params";

const steps = [
  step(1, { name: "[build 1/3] FROM base", start: 0, end: 1, cached: true, dockerfileLine: 1 }),
  step(2, {
    name: "[build 2/3] RUN make",
    start: 1,
    end: 5,
    dockerfileLine: 2,
    inputs: [digest(1)],
    error: "exit code 2\n".repeat(100),
  }),
  step(3, { name: "[build 3/3] COPY out /", start: 5, end: 6, inputs: [digest(2), "sha256:gone"] }),
];

describe("traceOf", () => {
  it("sends per step what the waterfall shows: no names, times, inputs or error text", () => {
    const trace = traceOf(steps, new Map(), null, new Date());
    expect(trace.stepCount).toBe(3);
    const bars = trace.waterfall.lanes.flatMap((l) => l.bars);
    expect(Object.keys(bars[1]?.step ?? {}).sort()).toEqual(
      ["cached", "critical", "dockerfileLine", "durationMs", "failed", "id", "label"].sort(),
    );
    expect(bars[1]?.step).toMatchObject({ label: "RUN make", failed: true, critical: true });
    expect(JSON.stringify(trace)).not.toContain("exit code");
  });
});

describe("stepDetailOf", () => {
  it("gives one step's detail: name, lane, times, p50, error and inputs by label", () => {
    const detail = stepDetailOf(steps, digest(2), new Map([["RUN make", 3000]]), null);
    expect(detail).toMatchObject({
      name: "[build 2/3] RUN make",
      label: "RUN make",
      lane: "build",
      durationMs: 4000,
      p50Ms: 3000,
      critical: true,
      inputs: [{ digest: digest(1), label: "FROM base" }],
    });
    expect(detail?.error).toContain("exit code 2");
    // inputs outside the build are left out
    expect(stepDetailOf(steps, digest(3), new Map(), "down")?.inputs).toEqual([
      { digest: digest(2), label: "RUN make" },
    ]);
    expect(stepDetailOf(steps, digest(3), new Map(), "down")?.baselineError).toBe("down");
    expect(stepDetailOf(steps, "sha256:nope", new Map(), null)).toBeNull();
  });

  it("names steps by 16 hex digits of their digest, and finds them by it", () => {
    const real = `sha256:${"0123456789abcdef".repeat(4)}`;
    expect(stepIdOf(real)).toBe("0123456789abcdef");
    expect(stepIdOf("sha256:short")).toBe("sha256:short");
    const named = [step(1, { name: "RUN a", digest: real })];
    expect(stepDetailOf(named, "0123456789abcdef", new Map(), null)?.digest).toBe(real);
    expect(stepDetailOf(named, real, new Map(), null)?.id).toBe("0123456789abcdef");
    const bars = traceOf(named, new Map(), null, new Date()).waterfall.lanes[0]?.bars;
    expect(bars?.[0]?.step.id).toBe("0123456789abcdef");
  });

  it("takes step ids from URLs strictly", () => {
    expect(parseStepId(digest(1))).toBe(digest(1));
    expect(parseStepId(null)).toBeNull();
    expect(parseStepId("")).toBeNull();
    expect(parseStepId("a b")).toBeNull();
    expect(parseStepId("x".repeat(201))).toBeNull();
  });
});
