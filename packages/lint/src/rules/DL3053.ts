import { parsePairs } from "../parser/instructions.ts";
import { isRfc3339 } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3053: Rule = {
  code: "DL3053",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` is not a valid time format - must conform to RFC3339.",
  explanation: "Labels of type rfc3339 in the label schema must hold an RFC 3339 timestamp.",
  examples: {
    bad: '# label-schema: {mylabel: rfc3339}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: rfc3339}\nFROM alpine:3.20\nLABEL mylabel="2024-05-01T10:00:00Z"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "rfc3339") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isRfc3339(v)))
            out.push({
              line: i.range.line,
              message: `Label \`${label}\` is not a valid time format - must conform to RFC3339.`,
            });
        }
      }
    }
    return out;
  },
};
