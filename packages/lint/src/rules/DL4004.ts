import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL4004: Rule = {
  code: "DL4004",
  source: "hadolint",
  severity: "error",
  message:
    "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
  explanation: "Only the last ENTRYPOINT of a stage is used.",
  examples: {
    bad: 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]',
    good: 'FROM alpine:3.20\nENTRYPOINT ["b"]',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    let seen = false;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") seen = false;
      else if (i.keyword === "ENTRYPOINT") {
        if (seen) out.push({ line: i.range.line });
        seen = true;
      }
    }
    return out;
  },
};
