/**
 * The critical path of a build: the dependency chain that ended last. BuildKit starts a vertex
 * when all its inputs are done, so walking back from the last completed step through the input
 * that completed latest gives the chain that set the build's length: shortening any step off it
 * does not make the build faster.
 */
import { type BuildStep, timeOf } from "./steps";

type Timed = Pick<BuildStep, "digest" | "inputs" | "startedAt" | "completedAt">;

export function criticalPath(steps: readonly Timed[]): string[] {
  // Times parsed once: a build can have thousands of steps.
  const done = steps.flatMap((s) => {
    const end = timeOf(s.completedAt);
    return end === null ? [] : [{ s, end, start: timeOf(s.startedAt) ?? end }];
  });
  if (done.length === 0) return [];
  const byDigest = new Map(done.map((d) => [d.s.digest, d]));
  const recordsInputs = steps.some((s) => s.inputs.length > 0);
  // For the fallback: by end time, ties with the earlier step last (the first one wins, as a
  // scan in step order keeping the strictly latest end would choose).
  const byEnd = done
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.end - b.d.end || b.i - a.i)
    .map(({ d }) => d);

  let current = done.reduce((a, b) => (b.end > a.end ? b : a));
  const path = [current.s.digest];
  const seen = new Set(path);
  for (;;) {
    const start = current.start;
    let next: (typeof done)[number] | undefined;
    const inputs = current.s.inputs.flatMap((d) => byDigest.get(d) ?? []);
    if (inputs.length > 0) {
      next = inputs.reduce((a, b) => (b.end > a.end ? b : a));
    } else if (!recordsInputs || current.s.inputs.length === 0) {
      // No dependencies recorded (older clients, or a vertex BuildKit sends without inputs, such
      // as "exporting to image", which waits for the whole build): the step that finished last
      // before this one started is the best guess of what it waited for.
      let lo = 0;
      let hi = byEnd.length; // first index whose end is after `start`
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((byEnd[mid]?.end ?? 0) <= start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo - 1; i >= 0; i--) {
        const candidate = byEnd[i];
        if (candidate && !seen.has(candidate.s.digest)) {
          next = candidate;
          break;
        }
      }
    }
    if (!next || seen.has(next.s.digest)) break;
    path.push(next.s.digest);
    seen.add(next.s.digest);
    current = next;
  }
  return path.reverse();
}
