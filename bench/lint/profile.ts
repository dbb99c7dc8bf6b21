/**
 * Lints the corpus repeatedly for profiling, all rules on:
 * node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/lint/profile.ts [rounds]
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../../packages/lint/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = join(root, "../shared/corpus/dockerfiles");
const files = readdirSync(corpus)
  .filter((f) => f !== "MANIFEST.tsv")
  .map((f) => readFileSync(join(corpus, f), "utf8"));
const rounds = Number(process.argv[2] ?? 20);
const options = { override: { info: ["DL1001", "DL3057"] } };
let best = 0;
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  for (const f of files) lint(f, options);
  best = Math.max(best, files.length / ((performance.now() - start) / 1000));
}
console.log(`${best.toFixed(0)} files/s (best round)`);
