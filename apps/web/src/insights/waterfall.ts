/**
 * The waterfall's layout: steps grouped into lanes (stage, per platform), lanes in the order they
 * started so parallel stages sit side by side on the time axis, bars as fractions of the build.
 */
import { type BuildStep, laneOf, normalizeStepName, stepDurationMs, timeOf } from "./steps";

export interface WaterfallBar {
  digest: string;
  name: string;
  label: string;
  dockerfileLine: number | null;
  /** 0-1 of the axis. */
  offset: number;
  width: number;
  durationMs: number | null;
  cached: boolean;
  critical: boolean;
  error: string | null;
  /** Started but not completed (a running build, or cut off). */
  running: boolean;
  /** Never started (the build ended first). */
  skipped: boolean;
}

export interface WaterfallLane {
  lane: string;
  bars: WaterfallBar[];
  /** The lane's wall time (first start to last end), ms. */
  spanMs: number;
}

export interface Waterfall {
  startMs: number;
  totalMs: number;
  lanes: WaterfallLane[];
  ticks: { at: number; label: string }[];
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

export function layoutWaterfall(
  steps: readonly BuildStep[],
  critical: ReadonlySet<string>,
  now: number,
): Waterfall {
  const starts = steps.flatMap((s) => timeOf(s.startedAt) ?? []);
  const startMs = starts.length > 0 ? Math.min(...starts) : now;
  const endOf = (s: BuildStep) =>
    timeOf(s.completedAt) ?? (timeOf(s.startedAt) === null ? null : now);
  const ends = steps.flatMap((s) => endOf(s) ?? []);
  const totalMs = Math.max(1, (ends.length > 0 ? Math.max(...ends) : now) - startMs);

  const groups = new Map<string, BuildStep[]>();
  for (const s of steps) groups.set(laneOf(s), [...(groups.get(laneOf(s)) ?? []), s]);
  const firstStart = (list: BuildStep[]) =>
    Math.min(...list.map((s) => timeOf(s.startedAt) ?? Number.MAX_SAFE_INTEGER));

  const lanes = [...groups.entries()]
    .sort(([la, a], [lb, b]) => firstStart(a) - firstStart(b) || la.localeCompare(lb))
    .map(([lane, list]): WaterfallLane => {
      const ordered = [...list].sort(
        (a, b) =>
          (timeOf(a.startedAt) ?? Number.MAX_SAFE_INTEGER) -
            (timeOf(b.startedAt) ?? Number.MAX_SAFE_INTEGER) ||
          (a.dockerfileLine ?? 0) - (b.dockerfileLine ?? 0),
      );
      const bars = ordered.map((s): WaterfallBar => {
        const start = timeOf(s.startedAt);
        const end = endOf(s);
        return {
          digest: s.digest,
          name: s.name,
          label: normalizeStepName(s.name) || s.name,
          dockerfileLine: s.dockerfileLine,
          offset: start === null ? 0 : (start - startMs) / totalMs,
          width: start === null || end === null ? 0 : Math.max(0, end - start) / totalMs,
          durationMs: stepDurationMs(s),
          cached: s.cached,
          critical: critical.has(s.digest),
          error: s.error,
          running: start !== null && s.completedAt === null,
          skipped: start === null,
        };
      });
      const laneStarts = list.flatMap((s) => timeOf(s.startedAt) ?? []);
      const laneEnds = list.flatMap((s) => endOf(s) ?? []);
      const spanMs =
        laneStarts.length > 0 && laneEnds.length > 0
          ? Math.max(...laneEnds) - Math.min(...laneStarts)
          : 0;
      return { lane, bars, spanMs };
    });

  const step = TICK_STEPS_MS.find((t) => totalMs / t <= 8) ?? 3_600_000;
  const ticks: Waterfall["ticks"] = [];
  for (let t = 0; t <= totalMs; t += step) ticks.push({ at: t / totalMs, label: formatOffset(t) });
  return { startMs, totalMs, lanes, ticks };
}
