import { goQuote } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

const RESERVED = new Set(["context", "scratch"]);

export const ReservedStageName = buildkitRule(
  "ReservedStageName",
  "Reserved words should not be used as stage names",
  {
    explanation: "`scratch` and `context` have a meaning of their own in FROM and `--from`.",
    examples: {
      bad: "FROM alpine AS scratch\nFROM alpine AS context",
      good: "FROM alpine AS builder",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "ReservedStageName");
      for (const st of m.stages)
        if (RESERVED.has(st.name))
          f.add(
            st.from.range.line,
            `Stage name should not use the same name as reserved stage ${goQuote(st.name)}`,
            null,
          );
      return f.out;
    },
  },
);
