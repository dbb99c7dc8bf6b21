import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

function isRoot(user: string): boolean {
  return user.startsWith("root:") || user.startsWith("0:") || user === "root" || user === "0";
}

export const DL3002: Rule = {
  code: "DL3002",
  source: "hadolint",
  severity: "warning",
  message: "Last USER should not be root",
  explanation:
    "The last USER of a stage is the user the container runs as. Running as root gives a compromised process full control of the container. Switch to an unprivileged user at the end of the stage.",
  examples: {
    bad: "FROM debian:12\nUSER root\nRUN apt-get update",
    good: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER nobody",
  },
  check(ctx) {
    // stage line -> line of the last root USER in it
    const lastRoot = new Map<number, number>();
    let stage = -1;
    let started = false;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        stage = i.range.line;
        started = true;
      } else if (i.keyword === "USER" && started) {
        if (isRoot(i.rest)) lastRoot.set(stage, i.range.line);
        else lastRoot.delete(stage);
      }
    }
    const out: RuleFinding[] = [];
    for (const line of lastRoot.values()) out.push({ line });
    return out;
  },
};
