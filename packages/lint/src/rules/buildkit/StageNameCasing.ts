import { buildkitRule, Findings, model } from "./util.ts";

export const StageNameCasing = buildkitRule("StageNameCasing", "Stage names should be lowercase", {
  explanation: "Lower-case stage names set them apart from instruction keywords.",
  examples: { bad: "FROM alpine AS BuilderBase", good: "FROM alpine AS builder-base" },
  check(ctx) {
    const m = model(ctx);
    const f = new Findings(m, "StageNameCasing");
    for (const st of m.stages) {
      const name = st.args[2];
      if (st.args.length === 3 && name !== undefined && name !== name.toLowerCase())
        f.add(st.from.range.line, `Stage name '${name}' should be lowercase`, st.from);
    }
    return f.out;
  },
});
