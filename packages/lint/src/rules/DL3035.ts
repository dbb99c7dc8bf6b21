import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3035: Rule = {
  code: "DL3035",
  source: "hadolint",
  severity: "warning",
  requires: ["zypper"],
  message: "Do not use `zypper dist-upgrade`.",
  explanation:
    "A distribution upgrade inside an image build makes the result unpredictable; use a newer base image.",
  examples: {
    bad: "FROM opensuse/leap:15.6\nRUN zypper dist-upgrade -y",
    good: "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4 && zypper clean",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some((c) => cmdHasArgs(c, "zypper", ["dist-upgrade", "dup"])),
  ),
};
