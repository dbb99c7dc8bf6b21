import { runShell } from "../parser/instructions.ts";
import {
  argsWithoutFlagValues,
  hasFlag,
  isPipInstall,
  type ShellCommand,
} from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { isPipLike, simpleOnbuild } from "./util.ts";

const VALUE_FLAGS = [
  "abi",
  "b",
  "build",
  "e",
  "editable",
  "extra-index-url",
  "f",
  "find-links",
  "i",
  "index-url",
  "implementation",
  "no-binary",
  "only-binary",
  "platform",
  "prefix",
  "progress-bar",
  "proxy",
  "python",
  "python-version",
  "root",
  "root-user-action",
  "src",
  "t",
  "target",
  "trusted-host",
  "upgrade-strategy",
];
const VCS = [
  "git+file",
  "git+https",
  "git+ssh",
  "git+http",
  "git+git",
  "git",
  "hg+file",
  "hg+http",
  "hg+https",
  "hg+ssh",
  "hg+static-http",
  "svn",
  "svn+svn",
  "svn+http",
  "svn+https",
  "svn+ssh",
  "bzr+http",
  "bzr+https",
  "bzr+ssh",
  "bzr+sftp",
  "bzr+ftp",
  "bzr+lp",
];
const VERSION_SYMBOLS = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="];

function packages(cmd: ShellCommand): string[] {
  const args = argsWithoutFlagValues(cmd, VALUE_FLAGS);
  let i = args.indexOf("install");
  if (i < 0) return [];
  while (args[i] === "install") i++;
  return args.slice(i);
}

function isVcs(p: string): boolean {
  return VCS.some((v) => p.startsWith(v));
}

function versionFixed(p: string): boolean {
  return (
    VERSION_SYMBOLS.some((s) => p.includes(s)) ||
    (isVcs(p) && p.includes("@")) ||
    p.endsWith(".whl") ||
    p.endsWith(".tar.gz") ||
    (!isVcs(p) && p.includes("/"))
  );
}

function forgot(cmd: ShellCommand): boolean {
  if (!isPipInstall(cmd)) return false;
  if (hasFlag(cmd, "constraint") || hasFlag(cmd, "c")) return false;
  if (packages(cmd).every(versionFixed)) return false;
  const a = cmd.args;
  if (a.includes("--requirement") || a.includes("-r") || a.includes(".")) return false;
  return true;
}

export const DL3013: Rule = {
  code: "DL3013",
  source: "hadolint",
  severity: "warning",
  requires: isPipLike,
  message:
    "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`",
  explanation:
    "Unpinned pip packages change between builds. Pin versions, use a requirements or constraints file, or install local paths and wheels.",
  examples: {
    bad: "FROM python:3.12\nRUN pip install --no-cache-dir django",
    good: "FROM python:3.12\nRUN pip install --no-cache-dir django==5.1",
  },
  check: simpleOnbuild("RUN", (i) => i.keyword === "RUN" && runShell(i).commands.some(forgot)),
};
