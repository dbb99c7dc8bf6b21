import { parseFrom } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3024: Rule = {
  code: "DL3024",
  source: "hadolint",
  severity: "error",
  message: "FROM aliases (stage names) must be unique",
  explanation: "Two stages with the same name make `--from` and `--target` ambiguous.",
  examples: {
    bad: "FROM debian:12 AS build\nFROM debian:12 AS build",
    good: "FROM debian:12 AS build\nFROM debian:12 AS test",
  },
  check(ctx) {
    const seen = new Set<string>();
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword !== "FROM") continue;
      const a = parseFrom(i).alias;
      if (!a) continue;
      if (seen.has(a)) out.push({ line: i.range.line });
      else seen.add(a);
    }
    return out;
  },
};
