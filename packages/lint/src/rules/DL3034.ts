import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasAnyFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3034: Rule = {
  code: "DL3034",
  source: "hadolint",
  severity: "warning",
  requires: ["zypper"],
  message: "Non-interactive switch missing from `zypper` command: `zypper install -y`",
  explanation:
    "Without `-y`/`--non-interactive` zypper waits for input that never comes in a build.",
  examples: {
    bad: "FROM opensuse/leap:15.6\nRUN zypper install httpd=2.4",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4 && zypper clean",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          cmdHasArgs(c, "zypper", [
            "install",
            "in",
            "remove",
            "rm",
            "source-install",
            "si",
            "patch",
          ]) && !hasAnyFlag(c, ["non-interactive", "n", "no-confirm", "y"]),
      ),
  ),
};
