import { parsePairs } from "../parser/instructions.ts";
import { isEmail } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3058: Rule = {
  code: "DL3058",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` is not a valid email format - must conform to RFC5322.",
  explanation: "Labels of type email in the label schema must hold an e-mail address.",
  examples: {
    bad: '# label-schema: {mylabel: email}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: email}\nFROM alpine:3.20\nLABEL mylabel="ops@example.com"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "email") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isEmail(v)))
            out.push({
              line: i.range.line,
              message: `Label \`${label}\` is not a valid email format - must conform to RFC5322.`,
            });
        }
      }
    }
    return out;
  },
};
