import { hasCacheOrTmpfsMountWith, runShell } from "../parser/instructions.ts";
import { cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3036: Rule = {
  code: "DL3036",
  source: "hadolint",
  severity: "warning",
  requires: ["zypper"],
  message: "`zypper clean` missing after zypper use.",
  explanation:
    "zypper's cache stays in the layer unless cleaned in the same RUN or kept on a cache mount.",
  examples: {
    bad: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4 && zypper clean",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    const cmds = runShell(i).commands;
    const a = cmds.findIndex((c) => cmdHasArgs(c, "zypper", ["install", "in"]));
    if (a < 0) return false;
    if (hasCacheOrTmpfsMountWith(i, "/var/cache/zypp")) return false;
    const b = cmds.findIndex((c) => cmdHasArgs(c, "zypper", ["clean", "cc"]));
    return !(b >= 0 && a < b);
  }),
};
