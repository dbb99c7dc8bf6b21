import { runShell } from "../parser/instructions.ts";
import { argsNoFlags, cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3037: Rule = {
  code: "DL3037",
  source: "hadolint",
  severity: "warning",
  requires: ["zypper"],
  message: "Specify version with `zypper install -y <package>=<version>`.",
  explanation: "Unpinned zypper packages change between builds. Pin `package=version` or a range.",
  examples: {
    bad: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd && zypper clean",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4 && zypper clean",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    for (const c of runShell(i).commands) {
      if (!cmdHasArgs(c, "zypper", ["install", "in"])) continue;
      for (const p of argsNoFlags(c)) {
        if (p === "install" || p === "in") continue;
        if (!(p.includes("=") || p.includes(">") || p.includes("<") || p.endsWith(".rpm")))
          return true;
      }
    }
    return false;
  }),
};
