import { runShell } from "../parser/instructions.ts";
import { argsWithoutFlagValues, cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

const IGNORE_FLAGS = ["loglevel", "registry"];

function versionFixed(p: string): boolean {
  if (["git://", "git+ssh://", "git+http://", "git+https://"].some((g) => p.startsWith(g)))
    return p.includes("#");
  if ([".tar", ".tar.gz", ".tgz"].some((s) => p.endsWith(s))) return true;
  if (["/", "./", "../", "~/"].some((s) => p.startsWith(s))) return true;
  let s = p;
  if (s.startsWith("@")) {
    let k = 0;
    while (k < s.length && (s[k] as string) > "/") k++;
    s = s.slice(k);
  }
  return s.includes("@");
}

function forgot(c: ShellCommand): boolean {
  if (!cmdHasArgs(c, "npm", ["install"])) return false;
  const args = argsWithoutFlagValues(c, IGNORE_FLAGS);
  if (args[0] !== "install") return false;
  let i = 0;
  while (args[i] === "install") i++;
  return !args.slice(i).every(versionFixed);
}

export const DL3016: Rule = {
  code: "DL3016",
  source: "hadolint",
  severity: "warning",
  requires: ["npm"],
  message:
    "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`",
  explanation:
    "Unpinned npm packages resolve to whatever is newest at build time. Pin versions (or install from package.json / a lockfile with `npm ci`).",
  examples: {
    bad: "FROM node:22\nRUN npm install -g typescript",
    good: "FROM node:22\nRUN npm install -g typescript@5.6.3",
  },
  check: simpleOnbuild("RUN", (i) => i.keyword === "RUN" && runShell(i).commands.some(forgot)),
};
