/** Test helper for the BuildKit checks: exact (line, message) lists, as BuildKit's own tests do. */
import { expect, it } from "vitest";
import type { LintOptionsInput } from "../../config.ts";
import { lint } from "../../lint.ts";

export interface CheckCase {
  name: string;
  text: string;
  /** Expected findings of this check as [line, message], in any order. */
  expect: [number, string][];
  dockerignore?: string | null;
  options?: LintOptionsInput;
}

export function checkCases(code: string, cases: CheckCase[]): void {
  for (const c of cases) {
    it(`${c.expect.length ? "catches" : "not"}: ${c.name}`, () => {
      const found = lint(c.text, {
        sources: ["buildkit"],
        dockerignore: c.dockerignore,
        ...c.options,
      })
        .filter((f) => f.code === code)
        .map((f): [number, string] => [f.line, f.message]);
      const sort = (a: [number, string], b: [number, string]) =>
        a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
      expect(found.sort(sort)).toEqual([...c.expect].sort(sort));
    });
  }
}
