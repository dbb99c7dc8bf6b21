/**
 * The critical path of a build: the dependency chain that ended last. BuildKit starts a vertex
 * when all its inputs are done, so walking back from the last completed step through the input
 * that completed latest gives the chain that set the build's length: shortening any step off it
 * does not make the build faster.
 */
import { type BuildStep, timeOf } from "./steps";

type Timed = Pick<BuildStep, "digest" | "inputs" | "startedAt" | "completedAt">;

export function criticalPath(steps: readonly Timed[]): string[] {
  const done = steps.filter((s) => timeOf(s.completedAt) !== null);
  if (done.length === 0) return [];
  const byDigest = new Map(done.map((s) => [s.digest, s]));
  const end = (s: Timed) => timeOf(s.completedAt) ?? 0;
  const recordsInputs = steps.some((s) => s.inputs.length > 0);

  let current = done.reduce((a, b) => (end(b) > end(a) ? b : a));
  const path = [current.digest];
  const seen = new Set(path);
  for (;;) {
    const start = timeOf(current.startedAt) ?? end(current);
    let next: Timed | undefined;
    const inputs = current.inputs.flatMap((d) => byDigest.get(d) ?? []);
    if (inputs.length > 0) {
      next = inputs.reduce((a, b) => (end(b) > end(a) ? b : a));
    } else if (!recordsInputs) {
      // No dependencies recorded at all (older clients): the step that finished last before
      // this one started is the best guess of what it waited for.
      for (const s of done) {
        if (seen.has(s.digest) || end(s) > start) continue;
        if (!next || end(s) > end(next)) next = s;
      }
    }
    if (!next || seen.has(next.digest)) break;
    path.push(next.digest);
    seen.add(next.digest);
    current = next;
  }
  return path.reverse();
}
