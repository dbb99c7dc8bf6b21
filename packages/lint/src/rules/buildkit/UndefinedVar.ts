import { buildkitRule, Findings, model } from "./util.ts";

const HAS_LOWER = /[a-z]/;

/**
 * For a variable that an external base image might define: report it only when an image is
 * unlikely to define it (lower-case letters), or when it looks like a misspelling of a variable
 * set in the Dockerfile, or a same-length misspelling of PATH (`$PAHT`, but not `$GOPATH`).
 */
function reportUncertain(name: string, suggestion: string): boolean {
  if (HAS_LOWER.test(name)) return true;
  if (!suggestion) return false;
  return suggestion !== "PATH" || suggestion.length === name.length;
}

export const UndefinedVar = buildkitRule(
  "UndefinedVar",
  "Variables should be defined before their use",
  {
    explanation:
      "A variable used in ADD, COPY, ENV, LABEL, WORKDIR, USER, VOLUME, STOPSIGNAL, an ARG default or a RUN mount option must be set (ARG or ENV) before that instruction in the stage or the stages it builds on (RUN, CMD and ENTRYPOINT commands are expanded by the shell, not checked). BuildKit also knows the base image's ENV; slipway-lint does not (unless given `baseImageEnv`), so in stages on an external image it only reports variables an image is unlikely to define: names with lower-case letters, misspellings of a variable set in the Dockerfile, and same-length misspellings of PATH.",
    examples: {
      bad: "FROM alpine AS base\nCOPY $foo .",
      good: "FROM alpine AS base\nARG foo\nCOPY $foo .",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "UndefinedVar");
      for (const c of m.commands)
        for (const w of c.words)
          for (const u of w.undefined) {
            if (!u.certain && !reportUncertain(u.name, u.suggestion)) continue;
            f.add(
              c.instr.range.line,
              `Usage of undefined variable '$${u.name}'${u.suggestion ? ` (did you mean $${u.suggestion}?)` : ""}`,
              c.instr,
            );
          }
      return f.out;
    },
  },
);
