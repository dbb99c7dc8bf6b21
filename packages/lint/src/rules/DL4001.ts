import { runShell } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { withOnbuild } from "./util.ts";

export const DL4001: Rule = {
  code: "DL4001",
  source: "hadolint",
  severity: "warning",
  requires: ["curl", "wget"],
  message: "Either use Wget or Curl but not both",
  explanation: "Installing and using both tools in one stage adds size for no benefit.",
  examples: {
    bad: "FROM debian:12\nRUN curl -fsSLO https://a/x\nRUN wget -nv https://a/y",
    good: "FROM debian:12\nRUN curl -fsSLO https://a/x && curl -fsSLO https://a/y",
  },
  check: withOnbuild((instrs) => {
    const out: RuleFinding[] = [];
    let seen = new Set<string>();
    for (const i of instrs) {
      if (i.keyword === "FROM") seen = new Set();
      if (i.keyword !== "RUN") continue;
      const used = runShell(i)
        .commands.map((c) => c.name)
        .filter((n) => n === "curl" || n === "wget");
      for (const u of used) seen.add(u);
      if (used.length && seen.size >= 2) out.push({ line: i.range.line });
    }
    return out;
  }),
};
