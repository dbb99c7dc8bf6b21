import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasAnyFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3038: Rule = {
  code: "DL3038",
  source: "hadolint",
  severity: "warning",
  requires: ["dnf", "microdnf"],
  message: "Use the -y switch to avoid manual input `dnf install -y <package>`",
  explanation: "Without `-y` dnf waits for a confirmation that never comes in a build.",
  examples: {
    bad: "FROM fedora:40\nRUN dnf install httpd-2.4.62",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          cmdHasArgs(c, ["dnf", "microdnf"], ["install", "groupinstall", "localinstall"]) &&
          !hasAnyFlag(c, ["y", "assumeyes"]),
      ),
  ),
};
