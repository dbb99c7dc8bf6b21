/**
 * Compares two findings snapshots written by snapshot.ts, optionally only for codes matching a
 * regular expression: npx tsx bench/lint/compare.ts A.json B.json [CODE_REGEX]
 */
import { readFileSync } from "node:fs";

type Snap = Record<
  string,
  { code: string; line: number; column: number; message: string; level: string }[]
>;
const [a, b, pattern] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: compare.ts A.json B.json [CODE_REGEX]");
  process.exit(2);
}
const re = new RegExp(pattern ?? ".");
const A = JSON.parse(readFileSync(a, "utf8")) as Snap;
const B = JSON.parse(readFileSync(b, "utf8")) as Snap;
let diffs = 0;
for (const file of new Set([...Object.keys(A), ...Object.keys(B)])) {
  const fa = JSON.stringify((A[file] ?? []).filter((f) => re.test(f.code)));
  const fb = JSON.stringify((B[file] ?? []).filter((f) => re.test(f.code)));
  if (fa !== fb) {
    diffs++;
    if (diffs <= 10) console.log(`${file}\n  A: ${fa.slice(0, 400)}\n  B: ${fb.slice(0, 400)}`);
  }
}
console.log(diffs ? `${diffs} files differ` : "identical");
process.exit(diffs ? 1 : 0);
