import type { Rule, RuleFinding } from "./types.ts";

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
    let seenFrom = false;
    const out: RuleFinding[] = [];
    for (const i of ctx.instructions) {
      if (i.keyword === "FROM") seenFrom = true;
      else if (["COMMENT", "DIRECTIVE", "ARG"].includes(i.keyword)) continue;
      else if (!seenFrom) out.push({ line: i.range.line });
    }
    return out;
  },
};
