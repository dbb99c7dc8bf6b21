import { parsePairs } from "../parser/instructions.ts";
import { isSemVer } from "./labels.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3056: Rule = {
  code: "DL3056",
  source: "hadolint",
  severity: "warning",
  message: "Label `<label>` does not conform to semantic versioning.",
  explanation: "Labels of type semver in the label schema must hold a semantic version.",
  examples: {
    bad: '# label-schema: {mylabel: semver}\nFROM alpine:3.20\nLABEL mylabel=""',
    good: '# label-schema: {mylabel: semver}\nFROM alpine:3.20\nLABEL mylabel="1.0.0"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const [label, type] of Object.entries(ctx.settings.labelSchema)) {
      if (type === "semver") {
        for (const i of codeInstructions(ctx)) {
          if (i.keyword !== "LABEL") continue;
          if (parsePairs(i).some(([k, v]) => k === label && !isSemVer(v)))
            out.push({
              line: i.range.line,
              message: `Label \`${label}\` does not conform to semantic versioning.`,
            });
        }
      }
    }
    return out;
  },
};
