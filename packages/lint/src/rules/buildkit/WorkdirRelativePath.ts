import { goQuote, UNKNOWN_CHAR } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

/** Windows absolute paths: BuildKit builds stages on Windows images for Windows, where they are absolute. */
const WINDOWS_ABS = /^(?:[A-Za-z]:)?[\\/]/;

export const WorkdirRelativePath = buildkitRule(
  "WorkdirRelativePath",
  "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
  {
    explanation:
      "A relative WORKDIR is resolved against the base image's working directory, which can change upstream. Only the first WORKDIR of a stage (and the stages it builds on) is checked. Windows paths such as `C:\\app` count as absolute (BuildKit builds stages on Windows images for Windows).",
    examples: {
      bad: "FROM nginx AS web\nWORKDIR usr/share/nginx/html\nCOPY public .",
      good: "FROM nginx AS web\nWORKDIR /usr/share/nginx/html\nCOPY public .",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "WorkdirRelativePath");
      for (const c of m.commands) {
        if (c.instr.keyword !== "WORKDIR" || c.workdirSet) continue;
        const w = c.words[0];
        if (!w || w.error) continue;
        const path = w.result;
        if (path.startsWith("/") || path.startsWith(UNKNOWN_CHAR) || WINDOWS_ABS.test(path))
          continue;
        const shown = path.includes(UNKNOWN_CHAR) ? w.raw : path;
        f.add(
          c.instr.range.line,
          `Relative workdir ${goQuote(shown)} can have unexpected results if the base image changes`,
          c.instr,
        );
      }
      return f.out;
    },
  },
);
