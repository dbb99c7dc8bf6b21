import { parsePairs } from "../parser/instructions.ts";
import { isGitHash } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3055: Rule = {
  code: "DL3055",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` is not a valid git hash.",
  explanation: "Labels of type hash in the label schema must hold a 7 or 40 character git hash.",
  examples: {
    bad: '# label-schema: {mylabel: hash}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: hash}\nFROM alpine:3.20\nLABEL mylabel="0123abc"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "hash") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isGitHash(v)))
            out.push({
              line: i.range.line,
              message: `Label \`${label}\` is not a valid git hash.`,
            });
        }
      }
    }
    return out;
  },
};
