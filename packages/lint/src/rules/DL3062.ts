import { runShell } from "../parser/instructions.ts";
import { argsNoFlags, cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

function fixed(p: string): boolean {
  if (p === "." || p.startsWith("/") || p.startsWith(".")) return true;
  return p.includes("@") && !p.endsWith("@latest") && !p.endsWith("@none");
}

export const DL3062: Rule = {
  code: "DL3062",
  source: "hadolint",
  severity: "warning",
  requires: ["go"],
  message:
    "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
  explanation: "`go install pkg` or `pkg@latest` builds whatever is newest. Pin a version.",
  examples: {
    bad: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest",
    good: "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    const cmds = runShell(i).commands;
    const run: string[] = [];
    const get: string[] = [];
    for (const c of cmds) {
      if (cmdHasArgs(c, "go", ["run"]))
        argsNoFlags(c).forEach((a, idx) => {
          if (a !== "run" && idx <= 1) run.push(a);
        });
      if (cmdHasArgs(c, "go", ["install", "get"]))
        for (const a of argsNoFlags(c)) if (!["install", "get", "tool"].includes(a)) get.push(a);
    }
    const pkgs = run.length ? run : get;
    return !pkgs.every(fixed);
  }),
};
