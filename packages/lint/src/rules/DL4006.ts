import { runShell } from "../parser/instructions.ts";
import { parseShell } from "../parser/shell.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

const NON_POSIX = ["pwsh", "powershell", "cmd"];

export const DL4006: Rule = {
  code: "DL4006",
  source: "hadolint",
  severity: "warning",
  message:
    "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
  explanation:
    "Without pipefail, `a | b` succeeds when `a` fails, so a broken download piped into a shell passes the build.",
  examples: {
    bad: "FROM debian:12\nRUN wget -O - https://a/install.sh | sh",
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -O - https://a/install.sh | sh',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    let ok = false;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") ok = false;
      else if (i.keyword === "SHELL") {
        const text = i.json ? i.json.join(" ") : i.rest;
        if (NON_POSIX.some((p) => text.startsWith(p))) ok = true;
        else
          ok = parseShell(text).commands.some(
            (c) =>
              ["bash", "zsh", "ash"].includes(c.name.split("/").pop() ?? "") &&
              c.flags.some((f) => f.flag === "o") &&
              c.args.includes("pipefail"),
          );
      } else if (i.keyword === "RUN" && !ok && runShell(i).hasPipes)
        out.push({ line: i.range.line });
    }
    return out;
  },
};
