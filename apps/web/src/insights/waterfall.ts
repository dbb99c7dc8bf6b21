/**
 * The waterfall's layout: steps grouped into lanes (stage, per platform), lanes in the order they
 * started so parallel stages sit side by side on the time axis, bars as fractions of the build.
 */
import {
  type BuildStep,
  laneOf,
  normalizeStepName,
  stepDurationMs,
  stepIdOf,
  timeOf,
} from "./steps";

/**
 * What a bar shows of its step: all the build page sends per step (a step's name, times, inputs,
 * error text and p50 come on demand, see `getBuildStep`).
 */
export interface WaterfallStep {
  /** `stepIdOf` its digest. */
  id: string;
  /** The step's name without BuildKit's `[stage n/m]` prefix. */
  label: string;
  dockerfileLine: number | null;
  durationMs: number | null;
  cached: boolean;
  critical: boolean;
  /** The step failed (its error text is part of the step's detail). */
  failed: boolean;
}

export interface WaterfallBar<S extends WaterfallStep = WaterfallStep> {
  /**
   * The step. The build page passes the step objects it sends anyway: its payload then holds
   * each step once (React Router's encoding refers to an object it already sent), not twice.
   */
  step: S;
  /** 0-1 of the axis. */
  offset: number;
  width: number;
  /** Started but not completed (a running build, or cut off); absent when false. */
  running?: true;
  /** Never started (the build ended first); absent when false. */
  skipped?: true;
}

export interface WaterfallLane<S extends WaterfallStep = WaterfallStep> {
  lane: string;
  bars: WaterfallBar<S>[];
  /** The lane's wall time (first start to last end), ms. */
  spanMs: number;
}

export interface Waterfall<S extends WaterfallStep = WaterfallStep> {
  startMs: number;
  totalMs: number;
  lanes: WaterfallLane<S>[];
  ticks: { at: number; label: string }[];
}

/** The bar's view of a step when the caller has none of its own. */
export function waterfallStep(s: BuildStep, critical: ReadonlySet<string>): WaterfallStep {
  return {
    id: stepIdOf(s.digest),
    label: normalizeStepName(s.name) || s.name,
    dockerfileLine: s.dockerfileLine,
    durationMs: stepDurationMs(s),
    cached: s.cached,
    critical: critical.has(s.digest),
    failed: s.error !== null,
  };
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map(
  (s) => s * 1000,
);

export function formatOffset(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m${String(s).padStart(2, "0")}s`;
}

/** Fractions of the axis to 6 decimals: far below a pixel, and a shorter page payload. */
const fraction = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Lays out `steps`. `views[i]` is what the bar of `steps[i]` carries (default: a
 * {@link waterfallStep} of it).
 */
export function layoutWaterfall(
  steps: readonly BuildStep[],
  critical: ReadonlySet<string>,
  now: number,
): Waterfall;
export function layoutWaterfall<S extends WaterfallStep>(
  steps: readonly BuildStep[],
  critical: ReadonlySet<string>,
  now: number,
  views: readonly S[],
): Waterfall<S>;
export function layoutWaterfall(
  steps: readonly BuildStep[],
  critical: ReadonlySet<string>,
  now: number,
  views?: readonly WaterfallStep[],
): Waterfall {
  // Each timestamp is parsed once (a build can have thousands of steps).
  const timed = steps.map((s, i) => {
    const start = timeOf(s.startedAt);
    const end = timeOf(s.completedAt) ?? (start === null ? null : now);
    const view = views?.[i] ?? waterfallStep(s, critical);
    return { s, view, start, end, lane: laneOf(s) };
  });
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const t of timed) {
    if (t.start !== null && t.start < startMs) startMs = t.start;
    if (t.end !== null && t.end > endMs) endMs = t.end;
  }
  if (startMs === Number.POSITIVE_INFINITY) startMs = now;
  const totalMs = Math.max(1, (endMs === Number.NEGATIVE_INFINITY ? now : endMs) - startMs);

  const groups = new Map<string, (typeof timed)[number][]>();
  for (const t of timed) {
    const list = groups.get(t.lane);
    if (list) list.push(t);
    else groups.set(t.lane, [t]);
  }
  const NEVER = Number.MAX_SAFE_INTEGER;
  const firstStart = new Map(
    [...groups].map(([lane, list]) => [
      lane,
      list.reduce((min, t) => Math.min(min, t.start ?? NEVER), NEVER),
    ]),
  );

  const lanes = [...groups.entries()]
    .sort(
      ([la], [lb]) =>
        (firstStart.get(la) ?? NEVER) - (firstStart.get(lb) ?? NEVER) || la.localeCompare(lb),
    )
    .map(([lane, list]): WaterfallLane => {
      const ordered = [...list].sort(
        (a, b) =>
          (a.start ?? NEVER) - (b.start ?? NEVER) ||
          (a.s.dockerfileLine ?? 0) - (b.s.dockerfileLine ?? 0),
      );
      let laneStart = Number.POSITIVE_INFINITY;
      let laneEnd = Number.NEGATIVE_INFINITY;
      const bars = ordered.map(({ s, view, start, end }): WaterfallBar => {
        if (start !== null && start < laneStart) laneStart = start;
        if (end !== null && end > laneEnd) laneEnd = end;
        const bar: WaterfallBar = {
          step: view,
          offset: start === null ? 0 : fraction((start - startMs) / totalMs),
          width: start === null || end === null ? 0 : fraction(Math.max(0, end - start) / totalMs),
        };
        if (start === null) bar.skipped = true;
        else if (s.completedAt === null) bar.running = true;
        return bar;
      });
      const spanMs =
        laneStart !== Number.POSITIVE_INFINITY && laneEnd !== Number.NEGATIVE_INFINITY
          ? laneEnd - laneStart
          : 0;
      return { lane, bars, spanMs };
    });

  const step = TICK_STEPS_MS.find((t) => totalMs / t <= 8) ?? 3_600_000;
  const ticks: Waterfall["ticks"] = [];
  for (let t = 0; t <= totalMs; t += step) ticks.push({ at: t / totalMs, label: formatOffset(t) });
  return { startMs, totalMs, lanes, ticks };
}
