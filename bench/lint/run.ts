/**
 * Dockerfiles per second on the shared corpus: slipway-lint (all rules) vs the npm linters
 * dockerfilelint and dockerfile-utils (validation), on the same files in the same run.
 * Run: npx tsx bench/lint/run.ts [rounds]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearShellCache, lint } from "../../packages/lint/src/index.ts";

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
const rounds = Number(process.argv[2] ?? 5);

type Linter = { name: string; run: (text: string) => unknown };
const dockerfilelint = require("dockerfilelint") as { run: (ctx: string, text: string) => unknown };
const utils = require("dockerfile-utils") as { validate: (text: string) => unknown };
const linters: Linter[] = [
  { name: "slipway-lint (all rules)", run: (t) => lint(t) },
  { name: "dockerfilelint", run: (t) => dockerfilelint.run("/tmp", t) },
  { name: "dockerfile-utils validate", run: (t) => utils.validate(t) },
];

function measure(l: Linter): number {
  for (const f of files.slice(0, 50)) l.run(f); // warm-up
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    clearShellCache();
    const start = performance.now();
    for (const f of files) {
      try {
        l.run(f);
      } catch {
        // the baselines throw on some inputs; count the file anyway
      }
    }
    best = Math.max(best, files.length / ((performance.now() - start) / 1000));
  }
  return best;
}

const results = linters.map((l) => ({ name: l.name, rate: measure(l) }));
const fastestBaseline = Math.max(...results.slice(1).map((r) => r.rate));
console.log(
  `${files.length} Dockerfiles, best of ${rounds} rounds (cold shell cache each round)\n`,
);
console.log("| linter | files/s | vs fastest baseline |");
console.log("| --- | ---: | ---: |");
for (const r of results)
  console.log(`| ${r.name} | ${r.rate.toFixed(0)} | ${(r.rate / fastestBaseline).toFixed(2)}x |`);
