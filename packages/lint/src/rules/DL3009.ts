import { hasCacheOrTmpfsMountWith, parseFrom, runShell } from "../parser/instructions.ts";
import { cmdHasArgs } from "../parser/shell.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { withOnbuild } from "./util.ts";

export const DL3009: Rule = {
  code: "DL3009",
  source: "hadolint",
  severity: "info",
  requires: ["apt", "apt-get", "aptitude"],
  message: "Delete the apt lists (/var/lib/apt/lists) after installing something",
  explanation:
    "`apt-get update` downloads package lists that stay in the layer. Remove them in the same RUN (`rm -rf /var/lib/apt/lists/*`) or put them on a cache mount. Stages that are neither the final one nor used by a later stage are not reported.",
  examples: {
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
  },
  check: withOnbuild((instrs) => {
    const forgets: { line: number; stage: number }[] = [];
    const stageAliases: (string | null)[] = [];
    const usedAsBase = new Set<string>();
    let stage = -1;
    for (const i of instrs) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        usedAsBase.add(b.name);
        stage++;
        stageAliases[stage] = b.alias;
      } else if (i.keyword === "RUN") {
        const cmds = runShell(i).commands;
        const update = cmds.some(
          (c) =>
            cmdHasArgs(c, "apt", ["update"]) ||
            cmdHasArgs(c, "apt-get", ["update"]) ||
            cmdHasArgs(c, "aptitude", ["update"]),
        );
        const cleanup = cmds.some((c) => cmdHasArgs(c, "rm", ["-rf", "/var/lib/apt/lists/*"]));
        if (!(update && !cleanup)) continue;
        if (hasCacheOrTmpfsMountWith(i, "/var/lib/apt/lists")) continue;
        if (
          hasCacheOrTmpfsMountWith(i, "/var/lib/apt") &&
          hasCacheOrTmpfsMountWith(i, "/var/cache/apt")
        )
          continue;
        forgets.push({ line: i.range.line, stage });
      }
    }
    const out: RuleFinding[] = [];
    for (const f of forgets) {
      const alias = f.stage >= 0 ? stageAliases[f.stage] : null;
      if (f.stage === stage || (alias && usedAsBase.has(alias))) out.push({ line: f.line });
    }
    return out;
  }),
};
