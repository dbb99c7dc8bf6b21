/** Helpers shared by the BuildKit check rules. */

import { skips } from "../../buildkit/check.ts";
import { type BkModel, buildkitModel } from "../../buildkit/model.ts";
import type { Instruction } from "../../parser/types.ts";
import type { Rule, RuleContext, RuleFinding } from "../types.ts";

export function model(ctx: RuleContext): BkModel {
  ctx.buildkit ??= buildkitModel(ctx.doc, { baseImageEnv: ctx.baseImageEnv });
  return ctx.buildkit;
}

/** BuildKit's documentation page of a check. */
export function docsUrl(name: string): string {
  const kebab = name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
  return `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
}

/**
 * Collects findings of one check, dropping those that a `# check=skip=...` comment right above
 * the instruction BuildKit evaluates them for (`scope`) turns off.
 */
export class Findings {
  readonly out: RuleFinding[] = [];
  constructor(
    readonly m: BkModel,
    readonly code: string,
  ) {}

  add(line: number, message: string, scope: Instruction | null): void {
    if (scope && skips(this.m.local(scope), this.code)) return;
    this.out.push({ line, message });
  }
}

/** Base fields of every BuildKit check. */
export function buildkitRule(
  code: string,
  description: string,
  rest: Pick<Rule, "explanation" | "examples" | "check">,
): Rule {
  return {
    code,
    source: "buildkit",
    severity: "warning",
    message: description,
    url: docsUrl(code),
    ...rest,
  };
}
