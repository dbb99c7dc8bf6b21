/** Steps for the insights unit tests. */
import type { BuildStep } from "./steps";

export const T0 = Date.parse("2026-01-10T10:00:00.000Z");
export const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

export function step(
  n: number,
  o: Partial<BuildStep> & { name: string; start?: number | null; end?: number | null },
): BuildStep {
  const { start = 0, end = 1, ...rest } = o;
  return {
    eventId: `e${n}`,
    digest: digest(n),
    stage: "build",
    platform: null,
    dockerfileLine: null,
    startedAt: start === null ? null : new Date(T0 + start * 1000).toISOString(),
    completedAt: end === null || start === null ? null : new Date(T0 + end * 1000).toISOString(),
    durationMs: null,
    cached: false,
    error: null,
    inputs: [],
    ...rest,
  };
}
