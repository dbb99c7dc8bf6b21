import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3012: Rule = {
  code: "DL3012",
  source: "hadolint",
  severity: "error",
  message: "Multiple `HEALTHCHECK` instructions",
  explanation: "Only the last HEALTHCHECK of a stage takes effect; earlier ones are dead code.",
  examples: {
    bad: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK CMD true",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    let seen = false;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") seen = false;
      else if (i.keyword === "HEALTHCHECK") {
        if (seen) out.push({ line: i.range.line });
        seen = true;
      }
    }
    return out;
  },
};
