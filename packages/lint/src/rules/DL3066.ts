import { parseArg } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3066: Rule = {
  code: "DL3066",
  source: "hadolint",
  severity: "info",
  message: "Non-numeric user-id may not be resolvable by host system",
  explanation:
    "Kubernetes `runAsNonRoot` and host tooling can only verify numeric user ids. Use a numeric UID (or a build argument).",
  examples: { bad: "FROM alpine:3.20\nUSER app", good: "FROM alpine:3.20\nUSER 10001" },
  check(ctx) {
    const args = new Set<string>();
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "ARG") args.add(parseArg(i).name);
      if (i.keyword !== "USER") continue;
      const u = i.rest;
      const uid = u.includes(":") ? (u.split(":")[0] ?? "") : u;
      if (/^\d*$/.test(uid)) continue;
      if ([...args].some((a) => u.includes(`\${${a}}`) || u.includes(`$${a}`))) continue;
      out.push({ line: i.range.line });
    }
    return out;
  },
};
