import { buildkitRule, Findings, model } from "./util.ts";

export const RedundantTargetPlatform = buildkitRule(
  "RedundantTargetPlatform",
  "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
  {
    explanation:
      "Stages are built for the target platform by default; drop `--platform=$TARGETPLATFORM`.",
    examples: {
      bad: "FROM --platform=$TARGETPLATFORM alpine AS builder\nRUN apk add --no-cache git",
      good: "FROM alpine AS builder\nRUN apk add --no-cache git",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "RedundantTargetPlatform");
      for (const st of m.stages) {
        const e = st.platformExp;
        // Only `$TARGETPLATFORM` itself: exactly one variable, and it is TARGETPLATFORM.
        if (e?.matched.length !== 1 || e.unmatched.length || e.matched[0] !== "TARGETPLATFORM")
          continue;
        if (e.result === m.globalArgs.get("TARGETPLATFORM"))
          f.add(
            st.from.range.line,
            `Setting platform to predefined ${st.platform} in FROM is redundant as this is the default behavior`,
            st.from,
          );
      }
      return f.out;
    },
  },
);
