import { runShell } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

function flagKey(flags: { name: string; value: string | null }[]): string {
  return flags
    .map((f) => `${f.name}=${f.value ?? ""}`)
    .sort()
    .join(" ");
}

export const DL3059: Rule = {
  code: "DL3059",
  source: "hadolint",
  severity: "info",
  message: "Multiple consecutive `RUN` instructions. Consider consolidation.",
  explanation:
    "Each RUN makes a layer. Consecutive short RUNs with the same flags can usually be merged. RUNs that already chain more than two commands are left alone, since splitting them is likely deliberate for caching.",
  examples: {
    bad: "FROM alpine:3.20\nRUN mkdir /a\nRUN mkdir /b",
    good: "FROM alpine:3.20\nRUN mkdir /a && mkdir /b",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    let prev: { flags: string; count: number } | null = null;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "COMMENT" || i.keyword === "DIRECTIVE") continue;
      if (i.keyword !== "RUN") {
        prev = null;
        continue;
      }
      const flags = flagKey(i.flags);
      // hadolint counts every simple command twice (ShellCheck yields it once through its
      // redirection wrapper and once bare), so "more than 2" means "more than 1 command".
      const count = runShell(i).commands.length * 2;
      if (prev === null || prev.flags !== flags || count > 2 || prev.count > 2) {
        prev = { flags, count };
        continue;
      }
      out.push({ line: i.range.line });
    }
    return out;
  },
};
