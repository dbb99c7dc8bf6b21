import { buildkitRule, Findings, model } from "./util.ts";

export const JSONArgsRecommended = buildkitRule(
  "JSONArgsRecommended",
  "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
  {
    explanation:
      "In shell form the program runs under `/bin/sh -c`, which does not forward signals such as SIGTERM. Use the exec (JSON) form, or set SHELL explicitly (in the stage or a stage it builds on) when a shell is wanted.",
    examples: {
      bad: "FROM alpine\nENTRYPOINT my-program start",
      good: 'FROM alpine\nENTRYPOINT ["my-program", "start"]',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "JSONArgsRecommended");
      for (const c of m.commands) {
        const kw = c.instr.keyword;
        if ((kw !== "CMD" && kw !== "ENTRYPOINT") || c.instr.json || c.shellSet) continue;
        f.add(
          c.instr.range.line,
          `JSON arguments recommended for ${c.instr.rawKeyword} to prevent unintended behavior related to OS signals`,
          c.instr,
        );
      }
      return f.out;
    },
  },
);
