import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL4003: Rule = {
  code: "DL4003",
  source: "hadolint",
  severity: "warning",
  message:
    "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
  explanation: "Only the last CMD of a stage is used.",
  examples: { bad: 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]', good: 'FROM alpine:3.20\nCMD ["b"]' },
  check(ctx) {
    const out: RuleFinding[] = [];
    let seen = false;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") seen = false;
      else if (i.keyword === "CMD") {
        if (seen) out.push({ line: i.range.line });
        seen = true;
      }
    }
    return out;
  },
};
