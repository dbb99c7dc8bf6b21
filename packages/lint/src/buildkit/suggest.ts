/** BuildKit's "did you mean" search: the option closest to `value` by edit distance, if under 3. */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

/** Returns "" when there is no suggestion (or an option equals `value`). */
export function suggest(value: string, options: Iterable<string>): string {
  let match = "";
  let min = 3;
  for (const opt of options) {
    if (opt === value) return "";
    // Strings whose lengths differ by 3 or more cannot be within distance 2.
    if (Math.abs(opt.length - value.length) >= min) continue;
    const d = levenshtein(value, opt);
    if (d < min) {
      match = opt;
      min = d;
    }
  }
  return match;
}
