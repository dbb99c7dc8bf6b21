/** Shared helper for the per-rule tests (catches / does-not-catch, plain and under ONBUILD). */
import { expect, it } from "vitest";
import type { LintOptionsInput } from "../config.ts";
import { lint } from "../lint.ts";
import { parseDockerfile } from "../parser/dockerfile.ts";

export interface RuleCase {
  name: string;
  /** catches: at least one finding; onbuildCatches: exactly one once RUNs are wrapped in ONBUILD. */
  expect: "catches" | "not" | "onbuildCatches" | "onbuildNot";
  text: string;
  options?: LintOptionsInput;
}

function wrapRunsInOnbuild(text: string): string {
  const lines = text.split("\n");
  for (const i of parseDockerfile(text).instructions)
    if (i.keyword === "RUN") lines[i.range.line - 1] = `ONBUILD ${lines[i.range.line - 1]}`;
  return lines.join("\n");
}

export function ruleCases(code: string, cases: RuleCase[], base: LintOptionsInput = {}): void {
  for (const c of cases) {
    it(`${c.expect}: ${c.name}`, () => {
      const onbuild = c.expect.startsWith("onbuild");
      const text = onbuild ? wrapRunsInOnbuild(c.text) : c.text;
      // Rules that are off by default (DL1001, DL3057) are switched on to test them.
      const options = { ...base, ...c.options, override: { info: [code] } };
      const found = lint(text, options).filter((f) => f.code === code);
      for (const f of found) expect(f.line).toBeGreaterThan(0);
      if (c.expect === "catches") expect(found.length).toBeGreaterThan(0);
      else if (c.expect === "onbuildCatches") expect(found).toHaveLength(1);
      else expect(found).toHaveLength(0);
    });
  }
}
