import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

function removeOptions(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") continue;
    if (a.startsWith("-")) {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

export const DL3028: Rule = {
  code: "DL3028",
  source: "hadolint",
  severity: "warning",
  requires: ["gem"],
  message:
    "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`",
  explanation: "Unpinned gems change between builds. Pin `gem:version` or pass `-v`.",
  examples: {
    bad: "FROM ruby:3.3\nRUN gem install rails",
    good: "FROM ruby:3.3\nRUN gem install rails:7.2.1",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    for (const c of runShell(i).commands) {
      if (!cmdHasArgs(c, "gem", ["install", "i"])) continue;
      if (c.args.includes("-v") || c.args.includes("--version")) continue;
      if (c.args.some((a) => a.startsWith("--version="))) continue;
      const until = c.args.indexOf("--");
      const args = until < 0 ? c.args : c.args.slice(0, until);
      for (const g of removeOptions(args)) {
        if (g === "install" || g === "i") continue;
        if (!g.includes(":")) return true;
      }
    }
    return false;
  }),
};
