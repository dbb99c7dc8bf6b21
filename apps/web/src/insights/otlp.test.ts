import { describe, expect, it } from "vitest";
import { buildToOtlp, nanos, traceIdOf } from "./otlp";
import { digest, step, T0 } from "./test-fixtures";

const build = {
  id: "build_1",
  number: 7,
  org: "acme",
  project: "api",
  status: "FAILED",
  platforms: ["linux/amd64"],
  queuedAt: new Date(T0 - 5000).toISOString(),
  startedAt: new Date(T0).toISOString(),
  finishedAt: new Date(T0 + 20_000).toISOString(),
  error: "exit code: 1",
};
const steps = [
  step(1, { name: "[internal] load build context", stage: null, start: 0, end: 1 }),
  step(2, { name: "[deps 2/2] RUN npm ci", stage: "deps", start: 1, end: 10, dockerfileLine: 4 }),
  step(3, {
    name: "[build 2/3] RUN npm test",
    start: 10,
    end: 20,
    error: "exit code: 1",
    inputs: [digest(2)],
  }),
  step(4, { name: "[build 3/3] RUN never", start: null }),
];

describe("buildToOtlp", () => {
  const trace = buildToOtlp(build, steps, T0 + 60_000);
  const spans = trace.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];

  it("has the OTLP/JSON shape: resourceSpans → scopeSpans → spans with hex ids and string nanos", () => {
    expect(trace.resourceSpans).toHaveLength(1);
    expect(trace.resourceSpans[0]?.resource.attributes).toContainEqual({
      key: "service.name",
      value: { stringValue: "slipway/acme/api" },
    });
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      if (s.parentSpanId !== undefined) expect(s.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.startTimeUnixNano).toMatch(/^\d+$/);
      expect(s.endTimeUnixNano).toMatch(/^\d+$/);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
      expect(s.kind).toBe(1);
    }
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceIdOf("build_1")]));
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    // Survives a JSON round trip unchanged (no bigints, no undefined values that matter).
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });

  it("nests steps under their stage span and stages under the build", () => {
    const root = spans.find((s) => s.name === "build #7");
    expect(root?.parentSpanId).toBeUndefined();
    expect(root?.startTimeUnixNano).toBe(nanos(T0 - 5000));
    expect(root?.status).toEqual({ code: 2, message: "exit code: 1" });
    const queue = spans.find((s) => s.name === "queued");
    expect(queue?.parentSpanId).toBe(root?.spanId);
    expect(queue?.endTimeUnixNano).toBe(`${T0}000000`);
    const deps = spans.find((s) => s.name === "stage deps");
    const npmCi = spans.find((s) => s.name === "RUN npm ci");
    expect(deps?.parentSpanId).toBe(root?.spanId);
    expect(npmCi?.parentSpanId).toBe(deps?.spanId);
    expect(npmCi?.attributes).toContainEqual({ key: "dockerfile.line", value: { intValue: "4" } });
    const internal = spans.find((s) => s.name === "load build context");
    expect(internal?.parentSpanId).toBe(root?.spanId);
    expect(spans.find((s) => s.name === "RUN npm test")?.status).toEqual({
      code: 2,
      message: "exit code: 1",
    });
    // A step that never started has no span.
    expect(spans.some((s) => s.name === "RUN never")).toBe(false);
    expect(spans).toHaveLength(1 + 1 + 2 + 3);
  });

  it("gives the same ids on a second export", () => {
    const again = buildToOtlp(build, steps, T0 + 99_000);
    expect(again.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.spanId)).toEqual(
      spans.map((s) => s.spanId),
    );
  });
});
