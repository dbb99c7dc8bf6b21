import { goQuote } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const DuplicateStageName = buildkitRule(
  "DuplicateStageName",
  "Stage names should be unique",
  {
    explanation:
      "Two stages with the same name (compared case-insensitively) cannot both be referenced: `FROM name` and `COPY --from=name` resolve to one of them.",
    examples: {
      bad: "FROM debian:latest AS builder\nRUN apt-get update; apt-get install -y curl\n\nFROM golang:latest AS builder",
      good: "FROM debian:latest AS deb-builder\nRUN apt-get update; apt-get install -y curl\n\nFROM golang:latest AS go-builder",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "DuplicateStageName");
      const seen = new Set<string>();
      for (const st of m.stages) {
        if (!st.name) continue;
        if (seen.has(st.name))
          f.add(
            st.from.range.line,
            `Duplicate stage name ${goQuote(st.name)}, stage names should be unique`,
            null,
          );
        seen.add(st.name);
      }
      return f.out;
    },
  },
);
