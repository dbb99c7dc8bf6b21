import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "./lint.ts";

// The corpus lives beside the repository: <repo>/../shared/corpus/dockerfiles.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");
const corpus = process.env.SLIPWAY_CORPUS_DIR ?? join(repoRoot, "../shared/corpus/dockerfiles");
const present = existsSync(corpus);
/**
 * Per-file hashes of every finding (all rules on, the off-by-default DL1001 and DL3057 too), so
 * that performance work cannot change a result unnoticed. After an intended change of results,
 * regenerate with: UPDATE_CORPUS_SNAPSHOT=1 npx vitest run --project unit packages/lint/src/corpus.test.ts
 */
const snapshotFile = join(here, "fixtures/corpus-findings.json");
const ALL_RULES = { override: { info: ["DL1001", "DL3057"] } };

function files(): string[] {
  return readdirSync(corpus)
    .filter((f) => f !== "MANIFEST.tsv")
    .sort();
}

describe("real-world corpus", () => {
  it.skipIf(!present)(
    "parses and lints every file without an internal error",
    () => {
      const names = files();
      expect(names.length).toBeGreaterThan(700);
      let parseProblems = 0;
      for (const f of names) {
        const text = readFileSync(join(corpus, f), "utf8");
        const findings = lint(text);
        for (const x of findings) {
          if (x.message.startsWith("internal error")) expect.fail(`${f}: ${x.message}`);
          if (x.line <= 0) expect.fail(`${f}: line ${x.line}`);
        }
        if (findings.some((x) => x.code === "DL1000")) parseProblems++;
      }
      // Only the deliberately invalid files (templates, made-up instructions, negative fixtures).
      expect(parseProblems).toBeLessThan(25);
    },
    60_000,
  );

  it.skipIf(!present)(
    "gives the recorded findings for every file",
    () => {
      const actual: Record<string, string> = {};
      for (const f of files()) {
        const findings = lint(readFileSync(join(corpus, f), "utf8"), ALL_RULES);
        actual[f] = createHash("sha1").update(JSON.stringify(findings)).digest("hex").slice(0, 16);
      }
      if (process.env.UPDATE_CORPUS_SNAPSHOT === "1")
        writeFileSync(snapshotFile, `${JSON.stringify(actual, null, 1)}\n`);
      const expected = JSON.parse(readFileSync(snapshotFile, "utf8")) as Record<string, string>;
      const changed = Object.keys({ ...expected, ...actual }).filter(
        (f) => expected[f] !== actual[f],
      );
      expect(changed, "files whose findings changed").toEqual([]);
    },
    60_000,
  );
  // CI always has the corpus beside the clone: there, a missing corpus is a failure, not a skip.
  if (!present && process.env.CI) {
    it("finds the corpus", () => expect.fail(`corpus folder absent: ${corpus}`));
  } else if (!present) {
    it.skip(`corpus folder absent (${corpus}); set SLIPWAY_CORPUS_DIR or run beside shared/`, () => {});
  }
});
