import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, countFlag, hasAnyFlag, type ShellCommand } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

function forgot(c: ShellCommand): boolean {
  if (!cmdHasArgs(c, "apt-get", ["install"])) return false;
  const yes =
    hasAnyFlag(c, ["y", "yes", "qq", "assume-yes"]) ||
    countFlag(c, "q") === 2 ||
    countFlag(c, "quiet") === 2 ||
    c.args.includes("-q=2");
  return !yes;
}

export const DL3014: Rule = {
  code: "DL3014",
  source: "hadolint",
  severity: "warning",
  requires: ["apt-get"],
  message: "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
  explanation: "Without `-y` apt-get waits for a confirmation that never comes in a build.",
  examples: {
    bad: "FROM debian:12\nRUN apt-get install --no-install-recommends curl=7.88.1",
    good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1",
  },
  check: simpleOnbuild("RUN", (i) => i.keyword === "RUN" && runShell(i).commands.some(forgot)),
};
