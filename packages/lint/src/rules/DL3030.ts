import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasAnyFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3030: Rule = {
  code: "DL3030",
  source: "hadolint",
  severity: "warning",
  requires: ["yum"],
  message: "Use the -y switch to avoid manual input `yum install -y <package>`",
  explanation: "Without `-y` yum waits for a confirmation that never comes in a build.",
  examples: {
    bad: "FROM centos:7\nRUN yum install httpd-2.4.6",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          cmdHasArgs(c, "yum", ["install", "groupinstall", "localinstall"]) &&
          !hasAnyFlag(c, ["y", "assumeyes"]),
      ),
  ),
};
