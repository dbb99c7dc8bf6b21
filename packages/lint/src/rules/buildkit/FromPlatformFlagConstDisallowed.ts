import { parsePlatform } from "../../buildkit/platform.ts";
import { goQuote } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const FromPlatformFlagConstDisallowed = buildkitRule(
  "FromPlatformFlagConstDisallowed",
  "FROM --platform flag should not use a constant value",
  {
    explanation:
      "A constant `--platform` pins the stage to one platform and breaks multi-platform builds. Use `$BUILDPLATFORM`/`$TARGETPLATFORM`, or name the stage after the platform (a stage name containing the OS or architecture is accepted).",
    examples: {
      bad: "FROM --platform=linux/amd64 alpine AS base\nRUN apk add --no-cache git",
      good: "FROM --platform=${BUILDPLATFORM} alpine AS base\nRUN apk add --no-cache git",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "FromPlatformFlagConstDisallowed");
      for (const st of m.stages) {
        const e = st.platformExp;
        if (!e || e.matched.length || e.unmatched.length || e.error) continue;
        const p = parsePlatform(e.result);
        if (!p) continue;
        if (st.name.includes(p.os) || st.name.includes(p.architecture)) continue;
        f.add(
          st.from.range.line,
          `FROM --platform flag should not use constant value ${goQuote(e.result)}`,
          st.from,
        );
      }
      return f.out;
    },
  },
);
