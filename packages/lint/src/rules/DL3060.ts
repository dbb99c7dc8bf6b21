import { hasCacheOrTmpfsMountWith, parseFrom, runShell } from "../parser/instructions.ts";
import { cmdHasArgs, type ShellCommand } from "../parser/shell.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { withOnbuild } from "./util.ts";

const install = (c: ShellCommand) => cmdHasArgs(c, "yarn", ["install"]);
const clean = (c: ShellCommand) =>
  c.name === "yarn" && c.args.includes("cache") && c.args.includes("clean");

export const DL3060: Rule = {
  code: "DL3060",
  source: "hadolint",
  severity: "info",
  requires: ["yarn"],
  message: "`yarn cache clean` missing after `yarn install` was run.",
  explanation:
    "yarn's cache stays in the layer. Run `yarn cache clean` after installing, or use a cache mount on the yarn cache (faster rebuilds too).",
  examples: {
    bad: "FROM node:22\nRUN yarn install",
    good: "FROM node:22\nRUN yarn install && yarn cache clean",
  },
  check: withOnbuild((instrs) => {
    const forgets: { line: number; stage: number }[] = [];
    const aliases: (string | null)[] = [];
    const names = new Set<string>();
    let stage = -1;
    for (const i of instrs) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        names.add(b.name);
        stage++;
        aliases[stage] = b.alias;
      } else if (i.keyword === "RUN") {
        const cmds = runShell(i).commands;
        const ins = cmds.findIndex(install);
        if (ins < 0) continue;
        const cl = cmds.findIndex(clean);
        if (cl < 0) {
          if (!hasCacheOrTmpfsMountWith(i, ".cache/yarn"))
            forgets.push({ line: i.range.line, stage });
        } else if (cl < ins) forgets.push({ line: i.range.line, stage });
      }
    }
    const out: RuleFinding[] = [];
    for (const f of forgets) {
      const a = f.stage >= 0 ? aliases[f.stage] : null;
      if (f.stage === stage || (a && names.has(a))) out.push({ line: f.line });
    }
    return out;
  }),
};
