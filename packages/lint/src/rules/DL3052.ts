import { parsePairs } from "../parser/instructions.ts";
import { isUrl } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3052: Rule = {
  code: "DL3052",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` is not a valid URL.",
  explanation: "Labels of type url in the label schema must hold a URL.",
  examples: {
    bad: '# label-schema: {mylabel: url}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: url}\nFROM alpine:3.20\nLABEL mylabel="https://example.com"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "url") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isUrl(v)))
            out.push({ line: i.range.line, message: `Label \`${label}\` is not a valid URL.` });
        }
      }
    }
    return out;
  },
};
