import { dropQuotes, parseCopy, parseFrom } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions, isWindowsAbsolute } from "./util.ts";

export const DL3045: Rule = {
  code: "DL3045",
  source: "hadolint",
  severity: "warning",
  message: "`COPY` to a relative destination without `WORKDIR` set.",
  explanation:
    "A relative COPY destination depends on the base image's working directory. Set WORKDIR in the stage (or in a stage it builds on) or use an absolute path.",
  examples: {
    bad: "FROM node:22\nCOPY package.json .",
    good: "FROM node:22\nWORKDIR /app\nCOPY package.json .",
  },
  check(ctx) {
    const workdirSet = new Map<string, boolean>();
    let current: string | null = null;
    let started = false;
    const out: RuleFinding[] = [];
    const NONE = "\u0000none";
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        const name = b.alias ?? b.name;
        if (started) workdirSet.set(name, workdirSet.get(b.name) ?? false);
        current = name;
        started = true;
      } else if (i.keyword === "WORKDIR") workdirSet.set(current ?? NONE, true);
      else if (i.keyword === "COPY") {
        if (workdirSet.get(current ?? NONE) === true) continue;
        const dest = dropQuotes(parseCopy(i).target);
        if (dest.startsWith("/") || isWindowsAbsolute(dest) || dest.startsWith("$")) continue;
        out.push({ line: i.range.line });
      }
    }
    return out;
  },
};
