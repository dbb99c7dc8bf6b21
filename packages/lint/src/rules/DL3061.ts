import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3061: Rule = {
  code: "DL3061",
  source: "hadolint",
  severity: "error",
  message: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
  explanation: "Only ARG (and comments or parser directives) may come before the first FROM.",
  examples: {
    bad: "LABEL a=b\nFROM alpine:3.20",
    good: "ARG VERSION=3.20\nFROM alpine:${VERSION}",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      // Nothing after the first FROM is reported.
      if (i.keyword === "FROM") break;
      if (i.keyword === "COMMENT" || i.keyword === "DIRECTIVE" || i.keyword === "ARG") continue;
      out.push({ line: i.range.line });
    }
    return out;
  },
};
