import {
  hasCacheOrTmpfsMountWith,
  parseFrom,
  parsePairs,
  runShell,
} from "../parser/instructions.ts";
import { isPipInstall, type ShellCommand } from "../parser/shell.ts";
import type { Instruction } from "../parser/types.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { isPipLike, withOnbuild } from "./util.ts";

const TRUTHY = new Set(["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"]);

function isWrapper(c: ShellCommand, w: string): boolean {
  if (c.name.includes(w)) return true;
  if (!c.name.startsWith("python")) return false;
  for (let i = 0; i + 1 < c.args.length; i++)
    if (c.args[i] === "-m" && c.args[i + 1] === w) return true;
  return false;
}

function forgot(c: ShellCommand): boolean {
  return (
    isPipInstall(c) &&
    !c.args.includes("--no-cache-dir") &&
    !isWrapper(c, "pipx") &&
    !isWrapper(c, "pipenv")
  );
}

function envInScript(script: string): boolean {
  const at = script.indexOf("PIP_NO_CACHE_DIR=");
  if (at < 0) return false;
  const after = script.slice(at + "PIP_NO_CACHE_DIR=".length);
  return [...TRUTHY].some((t) => after.startsWith(t));
}

export const DL3042: Rule = {
  code: "DL3042",
  source: "hadolint",
  severity: "warning",
  requires: isPipLike,
  message: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
  explanation:
    "pip keeps downloaded wheels in ~/.cache/pip, which ends up in the layer. Use `--no-cache-dir`, `PIP_NO_CACHE_DIR=1`, or a cache mount on ~/.cache/pip (faster rebuilds too).",
  examples: {
    bad: "FROM python:3.12\nRUN pip install django==5.1",
    good: "FROM python:3.12\nRUN pip install --no-cache-dir django==5.1",
  },
  check: withOnbuild((instrs: Instruction[]) => {
    // stage name -> PIP_NO_CACHE_DIR set
    const noCache = new Map<string, boolean>();
    let current: string | null = null;
    let started = false;
    const out: RuleFinding[] = [];
    for (const i of instrs) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        const name = b.alias ?? b.name;
        const parent = started ? (noCache.get(b.name) ?? false) : undefined;
        current = name;
        if (parent !== undefined) noCache.set(name, parent);
        started = true;
      } else if (i.keyword === "ENV") {
        const pairs = parsePairs(i);
        const v = pairs.find(([k]) => k === "PIP_NO_CACHE_DIR");
        if (v && TRUTHY.has(v[1])) noCache.set(current ?? "\u0000none", true);
      } else if (i.keyword === "RUN") {
        if (noCache.get(current ?? "\u0000none") === true) continue;
        const sh = runShell(i);
        if (envInScript(sh.original)) continue;
        if (!sh.commands.some(forgot)) continue;
        if (hasCacheOrTmpfsMountWith(i, ".cache/pip")) continue;
        out.push({ line: i.range.line });
      }
    }
    return out;
  }),
};
