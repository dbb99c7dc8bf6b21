import { z } from "zod";
import { buildFinishedV1, buildStartedV1, stepV1 } from "./build.ts";
import { cacheSnapshotV1 } from "./cache.ts";
import { fastParseStep } from "./fast-step.ts";
import { lintFindingV1 } from "./lint.ts";
import { runnerJobV1, runnerStepV1 } from "./runner.ts";

export {
  buildFinishedV1,
  buildStartedV1,
  buildStatus,
  STEP_LOG_MAX_CHARS,
  type StepLogEntry,
  stepLog,
  stepV1,
} from "./build.ts";
export { cacheSnapshotV1 } from "./cache.ts";
export { SCHEMA_VERSION_V1 } from "./common.ts";
export { lintFindingV1, lintLevel } from "./lint.ts";
export { runnerConclusion, runnerJobV1, runnerStatus, runnerStepV1 } from "./runner.ts";

/** Every telemetry event Slipway accepts, told apart by `type`. */
export const telemetryEvent = z.discriminatedUnion("type", [
  buildStartedV1,
  buildFinishedV1,
  stepV1,
  lintFindingV1,
  cacheSnapshotV1,
  runnerJobV1,
  runnerStepV1,
]);

/** A validated event (defaults applied). */
export type TelemetryEvent = z.output<typeof telemetryEvent>;
/** What a sender may send (optional fields may be left out). */
export type TelemetryEventInput = z.input<typeof telemetryEvent>;
export type TelemetryEventType = TelemetryEvent["type"];
export type EventOf<T extends TelemetryEventType> = Extract<TelemetryEvent, { type: T }>;

export const TELEMETRY_EVENT_TYPES = telemetryEvent.options.map(
  (o) => o.shape.type.value,
) as readonly TelemetryEventType[];

export type ParseResult =
  | { ok: true; event: TelemetryEvent }
  | { ok: false; errors: { path: string; message: string }[] };

/** Validates one event; errors name the offending field as a dotted path (`data.startedAt`). */
export function parseTelemetryEvent(input: unknown): ParseResult {
  // The common step shape skips zod (same result; see fast-step.ts); the rest goes to zod.
  const fast = fastParseStep(input);
  if (fast) return { ok: true, event: fast };
  const r = telemetryEvent.safeParse(input);
  if (r.success) return { ok: true, event: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      path: i.path.map(String).join(".") || "(event)",
      message: i.message,
    })),
  };
}
