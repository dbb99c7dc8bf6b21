/**
 * A build's trace as OTLP/JSON (the protobuf JSON mapping of ExportTraceServiceRequest), which
 * Jaeger and other OpenTelemetry tools open: one trace per build, a root span for the build, a
 * span for the queue wait, one span per stage (lane) and one per step under its stage.
 * Ids are hex (OTLP/JSON uses hex, not base64, for trace and span ids) and derived from the build
 * and step ids, so exporting the same build twice gives the same trace.
 */
import { createHash } from "node:crypto";
import { type BuildStep, laneOf, normalizeStepName, timeOf } from "./steps";

export interface OtlpBuild {
  id: string;
  number: number;
  org: string;
  project: string;
  status: string;
  platforms: string[];
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
export interface OtlpAttribute {
  key: string;
  value: AnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** SPAN_KIND_INTERNAL. */
  kind: 1;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: 0 | 1 | 2; message?: string };
}
export interface OtlpTrace {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

const hex = (input: string, bytes: number) =>
  createHash("sha256")
    .update(input)
    .digest("hex")
    .slice(0, bytes * 2);

export const traceIdOf = (buildId: string) => hex(`trace:${buildId}`, 16);
const spanIdOf = (buildId: string, part: string) => hex(`span:${buildId}:${part}`, 8);

/** Milliseconds since the epoch as a decimal string of nanoseconds (uint64 as a JSON string). */
export const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

const str = (key: string, value: string): OtlpAttribute => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): OtlpAttribute => ({
  key,
  value: { intValue: String(Math.round(value)) },
});
const bool = (key: string, value: boolean): OtlpAttribute => ({ key, value: { boolValue: value } });

export function buildToOtlp(build: OtlpBuild, steps: readonly BuildStep[], now: number): OtlpTrace {
  const traceId = traceIdOf(build.id);
  const ran = steps.filter((s) => timeOf(s.startedAt) !== null);
  const stepEnd = (s: BuildStep) =>
    timeOf(s.completedAt) ?? timeOf(build.finishedAt) ?? Math.max(now, timeOf(s.startedAt) ?? now);
  const firstStart = Math.min(...ran.map((s) => timeOf(s.startedAt) ?? now));
  const lastEnd = Math.max(...ran.map(stepEnd));

  const queued = timeOf(build.queuedAt) ?? firstStart;
  const started = timeOf(build.startedAt) ?? (ran.length > 0 ? firstStart : null);
  const finished = timeOf(build.finishedAt) ?? (ran.length > 0 ? Math.max(lastEnd, now) : now);

  const rootId = spanIdOf(build.id, "build");
  const failed = build.status === "FAILED";
  const spans: OtlpSpan[] = [
    {
      traceId,
      spanId: rootId,
      name: `build #${build.number}`,
      kind: 1,
      startTimeUnixNano: nanos(queued),
      endTimeUnixNano: nanos(Math.max(queued, finished)),
      attributes: [
        str("slipway.build.id", build.id),
        int("slipway.build.number", build.number),
        str("slipway.build.status", build.status),
        str("slipway.build.platforms", build.platforms.join(",")),
      ],
      status: failed ? { code: 2, message: build.error ?? "build failed" } : { code: 1 },
    },
  ];
  if (started !== null && started > queued) {
    spans.push({
      traceId,
      spanId: spanIdOf(build.id, "queue"),
      parentSpanId: rootId,
      name: "queued",
      kind: 1,
      startTimeUnixNano: nanos(queued),
      endTimeUnixNano: nanos(started),
      attributes: [],
      status: { code: 0 },
    });
  }

  const lanes = new Map<string, BuildStep[]>();
  for (const s of ran) {
    if (s.stage === null) continue;
    lanes.set(laneOf(s), [...(lanes.get(laneOf(s)) ?? []), s]);
  }
  const laneSpanId = new Map<string, string>();
  for (const [lane, laneSteps] of lanes) {
    const spanId = spanIdOf(build.id, `lane:${lane}`);
    laneSpanId.set(lane, spanId);
    const first = laneSteps[0];
    spans.push({
      traceId,
      spanId,
      parentSpanId: rootId,
      name: `stage ${lane}`,
      kind: 1,
      startTimeUnixNano: nanos(Math.min(...laneSteps.map((s) => timeOf(s.startedAt) ?? now))),
      endTimeUnixNano: nanos(Math.max(...laneSteps.map(stepEnd))),
      attributes: [
        str("slipway.stage", first?.stage ?? lane),
        ...(first?.platform ? [str("slipway.platform", first.platform)] : []),
      ],
      status: laneSteps.some((s) => s.error !== null) ? { code: 2 } : { code: 0 },
    });
  }

  for (const s of ran) {
    const start = timeOf(s.startedAt) ?? now;
    spans.push({
      traceId,
      spanId: spanIdOf(build.id, `step:${s.digest}:${s.eventId}`),
      parentSpanId: s.stage === null ? rootId : (laneSpanId.get(laneOf(s)) ?? rootId),
      name: normalizeStepName(s.name) || s.name,
      kind: 1,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(Math.max(start, stepEnd(s))),
      attributes: [
        str("buildkit.vertex.name", s.name),
        str("buildkit.vertex.digest", s.digest),
        bool("buildkit.cached", s.cached),
        ...(s.dockerfileLine !== null ? [int("dockerfile.line", s.dockerfileLine)] : []),
        ...(s.platform ? [str("slipway.platform", s.platform)] : []),
        ...(s.completedAt === null ? [bool("slipway.incomplete", true)] : []),
      ],
      status: s.error !== null ? { code: 2, message: s.error } : { code: 0 },
    });
  }

  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str("service.name", `slipway/${build.org}/${build.project}`),
            str("slipway.org", build.org),
            str("slipway.project", build.project),
          ],
        },
        scopeSpans: [{ scope: { name: "slipway.build", version: "1" }, spans }],
      },
    ],
  };
}
