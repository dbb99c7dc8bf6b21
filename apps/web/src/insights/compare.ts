/**
 * Two builds side by side: their steps matched by normalised name (and platform), each pair
 * classified, with the duration delta.
 */
import { type BuildStep, normalizeStepName, stepDurationMs } from "./steps";

export type StepChange =
  | "lost-cache"
  | "gained-cache"
  | "slower"
  | "faster"
  | "same"
  | "new"
  | "removed"
  | "failed";

export interface ComparedStep {
  key: string;
  name: string;
  platform: string | null;
  stage: string | null;
  change: StepChange;
  a: { durationMs: number | null; cached: boolean; dockerfileLine: number | null } | null;
  b: { durationMs: number | null; cached: boolean; dockerfileLine: number | null } | null;
  /** b - a, when both ran (or were cached). */
  deltaMs: number | null;
}

export interface Comparison {
  steps: ComparedStep[];
  counts: Record<StepChange, number>;
  /** Sum of the executed (non-cached) step time, a and b. */
  totalA: number;
  totalB: number;
}

const keyOf = (s: BuildStep) => `${s.platform ?? ""}\u0000${normalizeStepName(s.name)}`;

/** A change of at least this much (and 20%) counts as slower/faster; less is noise. */
const MIN_DELTA_MS = 1000;

function side(s: BuildStep) {
  return { durationMs: stepDurationMs(s), cached: s.cached, dockerfileLine: s.dockerfileLine };
}

function classify(a: BuildStep, b: BuildStep, deltaMs: number | null): StepChange {
  if (b.error !== null && a.error === null) return "failed";
  if (a.cached && !b.cached) return "lost-cache";
  if (!a.cached && b.cached) return "gained-cache";
  if (deltaMs === null) return "same";
  const base = Math.max(1, stepDurationMs(a) ?? 0);
  if (Math.abs(deltaMs) >= MIN_DELTA_MS && Math.abs(deltaMs) / base >= 0.2) {
    return deltaMs > 0 ? "slower" : "faster";
  }
  return "same";
}

const ORDER: StepChange[] = [
  "failed",
  "lost-cache",
  "slower",
  "new",
  "removed",
  "faster",
  "gained-cache",
  "same",
];

export function compareBuilds(a: readonly BuildStep[], b: readonly BuildStep[]): Comparison {
  // A name can repeat within a build (e.g. two `COPY . .` in different stages): pair them in order.
  const queue = new Map<string, BuildStep[]>();
  for (const s of a) queue.set(keyOf(s), [...(queue.get(keyOf(s)) ?? []), s]);
  const steps: ComparedStep[] = [];
  for (const sb of b) {
    const key = keyOf(sb);
    const sa = queue.get(key)?.shift();
    const common = {
      key: `${key}\u0000${steps.length}`,
      name: normalizeStepName(sb.name),
      platform: sb.platform,
      stage: sb.stage,
    };
    if (!sa) {
      steps.push({ ...common, change: "new", a: null, b: side(sb), deltaMs: null });
      continue;
    }
    const da = stepDurationMs(sa);
    const db = stepDurationMs(sb);
    const deltaMs = da !== null && db !== null ? db - da : null;
    steps.push({ ...common, change: classify(sa, sb, deltaMs), a: side(sa), b: side(sb), deltaMs });
  }
  for (const rest of queue.values()) {
    for (const sa of rest) {
      steps.push({
        key: `${keyOf(sa)}\u0000${steps.length}`,
        name: normalizeStepName(sa.name),
        platform: sa.platform,
        stage: sa.stage,
        change: "removed",
        a: side(sa),
        b: null,
        deltaMs: null,
      });
    }
  }
  steps.sort(
    (x, y) =>
      ORDER.indexOf(x.change) - ORDER.indexOf(y.change) ||
      Math.abs(y.deltaMs ?? 0) - Math.abs(x.deltaMs ?? 0),
  );
  const counts = Object.fromEntries(ORDER.map((c) => [c, 0])) as Record<StepChange, number>;
  for (const s of steps) counts[s.change]++;
  const executed = (list: readonly BuildStep[]) =>
    list.reduce((sum, s) => sum + (s.cached ? 0 : (stepDurationMs(s) ?? 0)), 0);
  return { steps, counts, totalA: executed(a), totalB: executed(b) };
}
