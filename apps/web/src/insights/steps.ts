/**
 * The shape of a BuildKit step as ingest's query API answers it (`buildStepRow` in
 * @slipway/telemetry), and the name normalisation the insight queries use. Pure: no server imports,
 * so the browser bundle may use it too.
 */
import { z } from "zod";

const num = z.coerce.number();
const numOrNull = z.union([z.null(), z.coerce.number()]);
const bool = z.union([z.boolean(), z.coerce.number().transform((n) => n !== 0)]);

export const buildStepSchema = z.object({
  eventId: z.string(),
  digest: z.string(),
  name: z.string(),
  stage: z.string().nullable(),
  platform: z.string().nullable(),
  dockerfileLine: numOrNull,
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  durationMs: numOrNull,
  cached: bool,
  error: z.string().nullable(),
  inputs: z.array(z.string()),
});
export type BuildStep = z.output<typeof buildStepSchema>;

export const lintFindingSchema = z.object({
  code: z.string(),
  level: z.string(),
  line: num,
  message: z.string(),
  file: z.string(),
});
export type LintFindingRow = z.output<typeof lintFindingSchema>;

/**
 * A step name without what changes from build to build: BuildKit's `[stage 3/5]` /
 * `[linux/amd64 build 2/4]` prefix and runs of whitespace. Mirrors NORMALIZED_STEP_NAME_SQL in
 * @slipway/telemetry, so a name computed here matches the p50s and history ingest computes.
 */
export function normalizeStepName(name: string): string {
  return name
    .replace(/^\[[^\]]*\]\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The Dockerfile instruction keyword of a step (`RUN`, `COPY`, ...), or null for internal vertices. */
export function instructionOf(name: string): string | null {
  const m = /^([A-Z]+)\b/.exec(normalizeStepName(name));
  const keyword = m?.[1] ?? null;
  return keyword && INSTRUCTIONS.has(keyword) ? keyword : null;
}

const INSTRUCTIONS = new Set([
  "FROM",
  "RUN",
  "COPY",
  "ADD",
  "WORKDIR",
  "ENV",
  "ARG",
  "USER",
  "LABEL",
  "EXPOSE",
  "VOLUME",
  "CMD",
  "ENTRYPOINT",
  "SHELL",
  "HEALTHCHECK",
  "STOPSIGNAL",
  "ONBUILD",
]);

/**
 * A step's id in the build page's payload and URLs (`?step=`): the first 16 hex digits (64 bits)
 * of its `sha256:` digest, which tell a build's steps apart at a fifth of the size (a 2,000-step
 * page carried 160 KB of digests); other digests whole.
 */
export function stepIdOf(digest: string): string {
  const m = /^sha256:([0-9a-f]{16})[0-9a-f]{48}$/.exec(digest);
  return m?.[1] ?? digest;
}

export const timeOf = (iso: string | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/** Duration of a step: the recorded one, else completed - started, else null (never ran). */
export function stepDurationMs(step: BuildStep): number | null {
  if (step.durationMs !== null) return step.durationMs;
  const s = timeOf(step.startedAt);
  const e = timeOf(step.completedAt);
  return s !== null && e !== null ? Math.max(0, e - s) : null;
}

/** The lane a step belongs to: its stage, per platform in multi-platform builds. */
export function laneOf(step: Pick<BuildStep, "stage" | "platform">): string {
  const stage = step.stage ?? "internal";
  return step.platform ? `${step.platform} · ${stage}` : stage;
}
