/**
 * Dockerfiles per second on the shared corpus: slipway-lint (every rule on: all hadolint DL rules
 * including the off-by-default DL1001 and DL3057, the BuildKit checks and the Slipway rules) vs
 * the npm linters dockerfilelint and dockerfile-utils (validation), on the same files in the same
 * run.
 *
 * Each linter first lints the whole corpus once (JIT warm-up). Then, in every round, each linter
 * lints the whole corpus, in an order that rotates between rounds, so that load from other
 * processes hits all of them alike; the table shows each linter's best round. (slipway-lint keeps
 * no cache between documents.)
 *
 * Run: npx tsx bench/lint/run.ts [rounds]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../../packages/lint/src/index.ts";

const require = createRequire(join(process.cwd(), "packages/lint/package.json"));
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = join(root, "../shared/corpus/dockerfiles");
if (!existsSync(corpus)) {
  console.error(`corpus not found at ${corpus}`);
  process.exit(1);
}
const files = readdirSync(corpus)
  .filter((f) => f !== "MANIFEST.tsv")
  .map((f) => readFileSync(join(corpus, f), "utf8"));
const rounds = Number(process.argv[2] ?? 10);

type Linter = { name: string; run: (text: string) => unknown };
const dockerfilelint = require("dockerfilelint") as { run: (ctx: string, text: string) => unknown };
const utils = require("dockerfile-utils") as { validate: (text: string) => unknown };
const allRules = { override: { info: ["DL1001", "DL3057"] } };
const linters: Linter[] = [
  { name: "slipway-lint (all rules)", run: (t) => lint(t, allRules) },
  { name: "dockerfilelint", run: (t) => dockerfilelint.run("/tmp", t) },
  { name: "dockerfile-utils validate", run: (t) => utils.validate(t) },
];

function pass(l: Linter): number {
  const start = performance.now();
  for (const f of files) {
    try {
      l.run(f);
    } catch {
      // the baselines throw on some inputs; count the file anyway
    }
  }
  return files.length / ((performance.now() - start) / 1000);
}

for (const l of linters) pass(l); // warm-up
const best = new Map<Linter, number>();
for (let r = 0; r < rounds; r++)
  for (let k = 0; k < linters.length; k++) {
    const l = linters[(r + k) % linters.length] as Linter;
    best.set(l, Math.max(best.get(l) ?? 0, pass(l)));
  }

const results = linters.map((l) => ({ name: l.name, rate: best.get(l) ?? 0 }));
const fastestBaseline = Math.max(...results.slice(1).map((r) => r.rate));
console.log(
  `${files.length} Dockerfiles, best of ${rounds} interleaved rounds after a warm-up pass\n`,
);
console.log("| linter | files/s | vs fastest baseline |");
console.log("| --- | ---: | ---: |");
for (const r of results)
  console.log(`| ${r.name} | ${r.rate.toFixed(0)} | ${(r.rate / fastestBaseline).toFixed(2)}x |`);
