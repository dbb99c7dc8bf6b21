import { suggest } from "../../buildkit/suggest.ts";
import { buildkitRule, Findings, model } from "./util.ts";

export const UndefinedArgInFrom = buildkitRule(
  "UndefinedArgInFrom",
  "FROM command must use declared ARGs",
  {
    explanation:
      "A variable in FROM (image or `--platform`) must be a global ARG declared before the first FROM, or one of BuildKit's built-in platform ARGs. Misspellings of declared ARGs get a suggestion.",
    examples: {
      bad: "FROM node:22${VARIANT} AS jsbuilder",
      good: 'ARG VARIANT="-alpine3.20"\nFROM node:22${VARIANT} AS jsbuilder',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "UndefinedArgInFrom");
      const keys = new Set([...m.declaredArgs, ...m.globalArgs.keys()]);
      for (const st of m.stages)
        for (const e of [st.base, st.platformExp]) {
          if (!e) continue;
          for (const arg of e.unmatched) {
            if (keys.has(arg)) continue;
            const s = suggest(arg, keys);
            f.add(
              st.from.range.line,
              `FROM argument '${arg}' is not declared${s ? ` (did you mean ${s}?)` : ""}`,
              st.from,
            );
          }
        }
      return f.out;
    },
  },
);
