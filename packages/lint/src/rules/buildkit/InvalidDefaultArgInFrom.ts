import { isValidImageReference } from "../../buildkit/reference.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const InvalidDefaultArgInFrom = buildkitRule(
  "InvalidDefaultArgInFrom",
  "Default value for global ARG results in an empty or invalid base image name",
  {
    explanation:
      "With no `--build-arg` given, the global ARGs' defaults must still give a valid image reference in every FROM.",
    examples: {
      bad: "ARG TAG\nFROM busybox:${TAG}",
      good: "ARG TAG=latest\nFROM busybox:${TAG}",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "InvalidDefaultArgInFrom");
      for (const st of m.stages) {
        // BuildKit stops checking at the first FROM it cannot expand.
        if (st.base.error) break;
        if (!isValidImageReference(st.base.result))
          f.add(
            st.from.range.line,
            `Default value for ARG ${st.baseName} results in empty or invalid base image name`,
            null,
          );
      }
      return f.out;
    },
  },
);
