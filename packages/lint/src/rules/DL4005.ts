import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL4005: Rule = {
  code: "DL4005",
  source: "hadolint",
  severity: "warning",
  requires: ["ln"],
  message: "Use SHELL to change the default shell",
  explanation:
    "Relinking /bin/sh changes the shell for everything in the image; SHELL changes it for the build only.",
  examples: {
    bad: "FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh",
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]',
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" && runShell(i).commands.some((c) => cmdHasArgs(c, "ln", ["/bin/sh"])),
  ),
};
