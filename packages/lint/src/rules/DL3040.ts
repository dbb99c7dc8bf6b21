import { hasCacheOrTmpfsMountWith, runShell } from "../parser/instructions.ts";
import { cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

const INSTALL = ["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"];

/** An install by `name` without a later `name clean all` (or removal of libdnf5's cache). */
function missing(cmds: ShellCommand[], name: string): boolean {
  const a = cmds.findIndex((c) => cmdHasArgs(c, name, INSTALL));
  if (a < 0) return false;
  const b = cmds.findIndex(
    (c) =>
      cmdHasArgs(c, name, ["clean", "all"]) || cmdHasArgs(c, "rm", ["-rf", "/var/cache/libdnf5*"]),
  );
  return !(b >= 0 && a < b);
}

export const DL3040: Rule = {
  code: "DL3040",
  source: "hadolint",
  severity: "warning",
  requires: ["dnf", "microdnf"],
  message: "`dnf clean all` missing after dnf command.",
  explanation:
    "dnf's cache stays in the layer unless cleaned in the same RUN or kept on a cache mount.",
  examples: {
    bad: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62",
    good: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    const cmds = runShell(i).commands;
    if (!(missing(cmds, "dnf") || missing(cmds, "microdnf"))) return false;
    return !(
      hasCacheOrTmpfsMountWith(i, "/var/cache/libdnf5") ||
      hasCacheOrTmpfsMountWith(i, ".cache/libdnf5")
    );
  }),
};
