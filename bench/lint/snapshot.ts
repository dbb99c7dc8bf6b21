/**
 * Writes every corpus file's findings (all rules on, including the off-by-default DL1001 and
 * DL3057) as JSON, to compare linter versions: npx tsx bench/lint/snapshot.ts OUT.json
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lint } from "../../packages/lint/src/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = join(root, "../shared/corpus/dockerfiles");
const out: Record<string, unknown> = {};
for (const f of readdirSync(corpus).sort()) {
  if (f === "MANIFEST.tsv") continue;
  const text = readFileSync(join(corpus, f), "utf8");
  out[f] = lint(text, { override: { info: ["DL1001", "DL3057"] } });
}
writeFileSync(process.argv[2] ?? "corpus-findings.json", JSON.stringify(out, null, 1));
