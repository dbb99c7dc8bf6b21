import { buildkitRule, Findings, model } from "./util.ts";

export const NoEmptyContinuation = buildkitRule(
  "NoEmptyContinuation",
  "Empty continuation lines will become errors in a future release",
  {
    explanation:
      "A blank line inside a `\\`-continued instruction is deprecated. Remove it, or put a comment there (comment lines are fine). Reported on the instruction's last line, as BuildKit does.",
    examples: {
      bad: "FROM alpine\nEXPOSE \\\n\n80",
      good: "FROM alpine\nEXPOSE \\\n# Port\n80",
    },
    check(ctx) {
      const f = new Findings(model(ctx), "NoEmptyContinuation");
      for (const line of ctx.doc.emptyContinuations) f.add(line, "Empty continuation line", null);
      return f.out;
    },
  },
);
