import { parsePairs } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3051: Rule = {
  code: "DL3051",
  source: "hadolint",
  severity: "warning",
  message: "label `<label>` is empty.",
  explanation: "Labels from the label schema must not be empty.",
  examples: {
    bad: '# label-schema: {mylabel: text}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: text}\nFROM alpine:3.20\nLABEL mylabel="value"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type) {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !(v.length > 0)))
            out.push({ line: i.range.line, message: `label \`${label}\` is empty.` });
        }
      }
    }
    return out;
  },
};
