import { parsePairs } from "../parser/instructions.ts";
import { isSpdx } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3054: Rule = {
  code: "DL3054",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` is not a valid SPDX identifier.",
  explanation: "Labels of type spdx in the label schema must hold an SPDX license identifier.",
  examples: {
    bad: '# label-schema: {mylabel: spdx}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: spdx}\nFROM alpine:3.20\nLABEL mylabel="MIT"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "spdx") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isSpdx(v)))
            out.push({
              line: i.range.line,
              message: `Label \`${label}\` is not a valid SPDX identifier.`,
            });
        }
      }
    }
    return out;
  },
};
