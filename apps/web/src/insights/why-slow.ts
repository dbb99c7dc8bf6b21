/**
 * "Why was this slow": where each stage lost its cache and what most likely invalidated it, and
 * the steps furthest over their usual (p50) duration in the project.
 */
import { type BuildStep, instructionOf, laneOf, normalizeStepName, stepDurationMs } from "./steps";

export interface CacheMiss {
  lane: string;
  digest: string;
  name: string;
  dockerfileLine: number | null;
  instruction: string | null;
  /** Steps of the lane before this one that were cached (0: the stage ran from its first step). */
  cachedBefore: number;
  /** Steps of the lane from this one on that then had to run. */
  ranAfter: number;
  reason: string;
}

export interface OverBaseline {
  digest: string;
  name: string;
  durationMs: number;
  p50Ms: number;
  /** durationMs - p50Ms. */
  overMs: number;
  /** durationMs / p50Ms; null when the usual run takes no time. */
  ratio: number | null;
}

export interface WhySlow {
  misses: CacheMiss[];
  overBaseline: OverBaseline[];
}

// Timestamps are ISO strings of one format: plain comparison orders them (and is far cheaper
// than localeCompare over thousands of steps).
const byLineThenStart = (a: BuildStep, b: BuildStep) =>
  (a.dockerfileLine ?? Number.MAX_SAFE_INTEGER) - (b.dockerfileLine ?? Number.MAX_SAFE_INTEGER) ||
  compareText(a.startedAt ?? "", b.startedAt ?? "");
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A plain-language guess at what invalidated the cache at this step. */
export function invalidationReason(step: BuildStep, cachedBefore: number): string {
  const text = normalizeStepName(step.name);
  const instruction = instructionOf(step.name);
  if (instruction === "FROM") {
    return "The base image was not in the builder's cache (first build on this builder, a new digest, or the cache was pruned).";
  }
  if (instruction === "COPY" || instruction === "ADD") {
    if (/--from[= ]/.test(text)) {
      return "It copies from another stage whose output changed, so this and every later step of the stage ran again.";
    }
    const whole = /^(COPY|ADD)(\s+--\S+)*\s+\.\s/.test(text);
    return whole
      ? `\`${text}\` copies the whole build context: any changed file in it (even one unrelated to this stage) invalidates this layer and everything after it. Copy only what the next steps need first (e.g. the lockfile), then the rest.`
      : `Files copied by \`${text}\` changed since the cached build, so this layer and every later step of the stage ran again.`;
  }
  if (instruction === "RUN") {
    return cachedBefore > 0
      ? "The earlier steps were cached, so the command itself changed (its text, an ARG/ENV it uses, or a --mount source), or its layer had been evicted from the cache."
      : "The stage ran from its first step: its base image or an input of the stage changed, or the cache was empty.";
  }
  if (instruction === "ARG" || instruction === "ENV") {
    return "A build argument or environment value changed; every later step of the stage depends on it.";
  }
  return cachedBefore > 0
    ? "This instruction or what it reads changed since the cached build."
    : "Nothing of this stage was cached.";
}

export function whySlow(
  steps: readonly BuildStep[],
  p50ByName: ReadonlyMap<string, number>,
  opts: { top?: number; minOverMs?: number } = {},
): WhySlow {
  const lanes = new Map<string, BuildStep[]>();
  for (const s of steps) {
    // Internal vertices (context load, metadata) are not Dockerfile steps: no cache to explain.
    if (s.stage === null) continue;
    const lane = laneOf(s);
    const list = lanes.get(lane);
    if (list) list.push(s);
    else lanes.set(lane, [s]);
  }
  const misses: CacheMiss[] = [];
  for (const [lane, laneSteps] of lanes) {
    const ordered = [...laneSteps].sort(byLineThenStart);
    const at = ordered.findIndex((s) => !s.cached && s.startedAt !== null);
    const first = ordered[at];
    if (!first) continue;
    misses.push({
      lane,
      digest: first.digest,
      name: normalizeStepName(first.name),
      dockerfileLine: first.dockerfileLine,
      instruction: instructionOf(first.name),
      cachedBefore: ordered.slice(0, at).filter((s) => s.cached).length,
      ranAfter: ordered.length - at,
      reason: invalidationReason(first, ordered.slice(0, at).filter((s) => s.cached).length),
    });
  }
  misses.sort(
    (a, b) => (a.dockerfileLine ?? 0) - (b.dockerfileLine ?? 0) || a.lane.localeCompare(b.lane),
  );

  const minOverMs = opts.minOverMs ?? 1000;
  const overBaseline: OverBaseline[] = [];
  for (const s of steps) {
    if (s.cached) continue;
    const durationMs = stepDurationMs(s);
    const p50Ms = p50ByName.get(normalizeStepName(s.name));
    if (durationMs === null || p50Ms === undefined) continue;
    const overMs = durationMs - p50Ms;
    if (overMs < minOverMs) continue;
    overBaseline.push({
      digest: s.digest,
      name: normalizeStepName(s.name),
      durationMs,
      p50Ms,
      overMs,
      ratio: p50Ms > 0 ? durationMs / p50Ms : null,
    });
  }
  overBaseline.sort((a, b) => b.overMs - a.overMs);
  return { misses, overBaseline: overBaseline.slice(0, opts.top ?? 5) };
}
