import type { EventOf } from "./index.ts";

/**
 * A hand-written check of the common shape of a `step` event, tried before the zod schema.
 * Steps are nearly all of the ingest volume, and zod's general machinery was ~10-15% of the
 * ingest server's CPU (profiled). This accepts a strict SUBSET of what `stepV1` accepts (UTC
 * `Z` timestamps only, for one) and returns exactly what zod would (unknown keys dropped,
 * defaults applied); anything it does not accept returns undefined and goes to zod, which also
 * words the errors. `fast-step.test.ts` checks the subset property on generated inputs.
 * Steps with logs (a non-empty `logs` array) go to zod, which checks their entries, text limits
 * and total size and words those errors; steps without output (cached ones, most `[internal]`
 * vertices) keep the fast path.
 */

// zod 4's z.uuid() pattern (RFC 9562 variants 1-8, nil and max).
const UUID =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
const UTC = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function utcTimestamp(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = UTC.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS[month - 1] as number));
}

const entityId = (v: unknown): v is string =>
  typeof v === "string" && v.length >= 1 && v.length <= 128;
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function fastParseStep(input: unknown): EventOf<"step"> | undefined {
  if (!isObject(input) || input.type !== "step" || input.schemaVersion !== 1) return undefined;
  const { id, orgId, projectId, time, data } = input;
  if (typeof id !== "string" || !UUID.test(id)) return undefined;
  if (!entityId(orgId) || !entityId(projectId) || !utcTimestamp(time)) return undefined;
  if (!isObject(data)) return undefined;
  const { buildId, digest, name, stage, platform, dockerfileLine } = data;
  const { startedAt, completedAt, cached, error, inputs, logs, logsTruncated } = data;
  if (!entityId(buildId)) return undefined;
  if (typeof digest !== "string" || !DIGEST.test(digest)) return undefined;
  if (typeof name !== "string" || name.length < 1 || name.length > 4096) return undefined;
  if (stage !== null && (typeof stage !== "string" || stage.length < 1 || stage.length > 256))
    return undefined;
  if (
    platform !== undefined &&
    platform !== null &&
    (typeof platform !== "string" || !PLATFORM.test(platform))
  )
    return undefined;
  if (
    dockerfileLine !== null &&
    (typeof dockerfileLine !== "number" ||
      !Number.isSafeInteger(dockerfileLine) ||
      dockerfileLine < 1)
  )
    return undefined;
  if (startedAt !== null && !utcTimestamp(startedAt)) return undefined;
  if (completedAt !== null && !utcTimestamp(completedAt)) return undefined;
  if (typeof cached !== "boolean") return undefined;
  if (error !== null && (typeof error !== "string" || error.length > 65_536)) return undefined;
  let inputList: string[] = [];
  if (inputs !== undefined) {
    if (!Array.isArray(inputs)) return undefined;
    for (const i of inputs) if (typeof i !== "string" || !DIGEST.test(i)) return undefined;
    inputList = inputs.slice() as string[];
  }
  // Only "no logs" is taken here (absent or []); a non-empty array goes to zod.
  if (logs !== undefined && (!Array.isArray(logs) || logs.length > 0)) return undefined;
  if (logsTruncated !== undefined && typeof logsTruncated !== "boolean") return undefined;
  // zod's refinement: completedAt must not be before startedAt (zod words that error).
  if (startedAt && completedAt && Date.parse(completedAt) < Date.parse(startedAt)) return undefined;
  return {
    id,
    schemaVersion: 1,
    orgId,
    time,
    projectId,
    type: "step",
    data: {
      buildId,
      digest,
      name,
      stage,
      platform: (platform as string | null | undefined) ?? null,
      dockerfileLine,
      startedAt,
      completedAt,
      cached,
      error,
      inputs: inputList,
      logs: [],
      logsTruncated: logsTruncated ?? false,
    },
  };
}
