import { runShell } from "../parser/instructions.ts";
import { argsNoFlags, cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Instruction } from "../parser/types.ts";
import { rpmVersionFixed, VarTracker } from "./pkgversion.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { withOnbuild } from "./util.ts";

function installArgs(c: ShellCommand): string[] {
  if (!cmdHasArgs(c, "yum", ["install"])) return [];
  return argsNoFlags(c).filter((a) => a !== "install" && a !== "module");
}

export const DL3033: Rule = {
  code: "DL3033",
  source: "hadolint",
  severity: "warning",
  requires: ["yum"],
  message: "Specify version with `yum install -y <package>-<version>`.",
  explanation:
    "Unpinned yum packages change between builds. Pin `package-version` (modules: `module:stream`).",
  examples: {
    bad: "FROM centos:7\nRUN yum install -y httpd && yum clean all",
    good: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all",
  },
  check: withOnbuild((instrs: Instruction[]) => {
    const vars = new VarTracker();
    const out: RuleFinding[] = [];
    for (const i of instrs) {
      if (i.keyword !== "RUN") {
        vars.step(i);
        continue;
      }
      const cmds = runShell(i).commands;
      const pkgs = cmds.filter((c) => !cmdHasArgs(c, "yum", ["module"])).flatMap(installArgs);
      const mods = cmds.filter((c) => cmdHasArgs(c, "yum", ["module"])).flatMap(installArgs);
      if (!(pkgs.every((p) => rpmVersionFixed(p, vars)) && mods.every((m) => m.includes(":"))))
        out.push({ line: i.range.line });
    }
    return out;
  }),
};
