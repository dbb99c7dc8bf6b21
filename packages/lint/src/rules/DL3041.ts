import { runShell } from "../parser/instructions.ts";
import { argsNoFlags, cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Instruction } from "../parser/types.ts";
import { rpmVersionFixed, VarTracker } from "./pkgversion.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { withOnbuild } from "./util.ts";

const DNF = ["dnf", "microdnf"];

function installArgs(c: ShellCommand): string[] {
  if (!cmdHasArgs(c, DNF, ["install"])) return [];
  return argsNoFlags(c).filter((a) => a !== "install" && a !== "module");
}

export const DL3041: Rule = {
  code: "DL3041",
  source: "hadolint",
  severity: "warning",
  requires: ["dnf", "microdnf"],
  message: "Specify version with `dnf install -y <package>-<version>`.",
  explanation:
    "Unpinned dnf packages change between builds. Pin `package-version` (modules: `module:stream`).",
  examples: {
    bad: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all",
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
      const pkgs = cmds
        .filter((c) => !cmdHasArgs(c, DNF, ["module", "group"]))
        .flatMap(installArgs);
      const mods = cmds.filter((c) => cmdHasArgs(c, DNF, ["module"])).flatMap(installArgs);
      if (!(pkgs.every((p) => rpmVersionFixed(p, vars)) && mods.every((m) => m.includes(":"))))
        out.push({ line: i.range.line });
    }
    return out;
  }),
};
