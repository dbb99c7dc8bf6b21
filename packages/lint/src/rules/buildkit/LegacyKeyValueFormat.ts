import { buildkitRule, Findings, model } from "./util.ts";

export const LegacyKeyValueFormat = buildkitRule(
  "LegacyKeyValueFormat",
  "Legacy key/value format with whitespace separator should not be used",
  {
    explanation:
      "`ENV key value` and `LABEL key value` are the deprecated forms; write `key=value` (quote values with spaces).",
    examples: {
      bad: "FROM alpine\nENV DEPS \\\n    curl \\\n    git \\\n    make",
      good: 'FROM alpine\nENV DEPS="\\\n    curl \\\n    git \\\n    make"',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "LegacyKeyValueFormat");
      for (const c of m.commands) {
        const kw = c.instr.keyword;
        if (kw !== "ENV" && kw !== "LABEL") continue;
        const name = c.instr.rawKeyword;
        for (let k = 0; k < c.legacy; k++)
          f.add(
            c.instr.range.line,
            `"${name} key=value" should be used instead of legacy "${name} key value" format`,
            c.instr,
          );
      }
      return f.out;
    },
  },
);
