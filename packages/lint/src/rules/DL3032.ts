import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

const install = (c: ShellCommand) => cmdHasArgs(c, "yum", ["install"]);
const clean = (c: ShellCommand) =>
  cmdHasArgs(c, "yum", ["clean", "all"]) || cmdHasArgs(c, "rm", ["-rf", "/var/cache/yum/*"]);

export const DL3032: Rule = {
  code: "DL3032",
  source: "hadolint",
  severity: "warning",
  requires: ["yum"],
  message: "`yum clean all` missing after yum command.",
  explanation: "yum's cache stays in the layer unless you clean it in the same RUN.",
  examples: {
    bad: "FROM centos:7\nRUN yum install -y httpd-2.4.6",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    const cmds = runShell(i).commands;
    const a = cmds.findIndex(install);
    if (a < 0) return false;
    const b = cmds.findIndex(clean);
    return !(b >= 0 && a < b);
  }),
};
