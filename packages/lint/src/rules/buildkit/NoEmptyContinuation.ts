import { buildkitRule, Findings, model } from "./util.ts";

const BLANK = /^\s*$/;

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
      const lines = ctx.doc.lines;
      // The element after a final newline is not a line.
      const real = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
      for (const i of ctx.instructions) {
        if (i.range.endLine === i.range.line || i.keyword === "COMMENT") continue;
        const first = i.heredocs[0];
        const end = Math.min(first ? first.line - 1 : i.range.endLine, real);
        let empty = false;
        for (let l = i.range.line + 1; l <= end && !empty; l++)
          empty = BLANK.test(lines[l - 1] ?? "");
        if (empty) f.add(end, "Empty continuation line", null);
      }
      return f.out;
    },
  },
);
