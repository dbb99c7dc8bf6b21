import { buildkitRule, Findings, model } from "./util.ts";

export const FromAsCasing = buildkitRule(
  "FromAsCasing",
  "The 'as' keyword should match the case of the 'from' keyword",
  {
    explanation:
      "`FROM image AS name` or `from image as name`, not a mix. When FROM itself mixes cases, ConsistentInstructionCasing reports it instead.",
    examples: {
      bad: "FROM debian:latest as builder",
      good: "FROM debian:latest AS deb-builder",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "FromAsCasing");
      for (const st of m.stages) {
        if (st.args.length < 3) continue;
        const from = st.from.rawKeyword;
        const as = st.args[1] as string;
        const lower = from === from.toLowerCase();
        const upper = from === from.toUpperCase();
        if (!lower && !upper) continue;
        const ok = lower ? as === as.toLowerCase() : as === as.toUpperCase();
        if (!ok)
          f.add(st.from.range.line, `'${as}' and '${from}' keywords' casing do not match`, st.from);
      }
      return f.out;
    },
  },
);
