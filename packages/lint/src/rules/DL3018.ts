import { runShell } from "../parser/instructions.ts";
import { argsWithoutFlagValues, cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3018: Rule = {
  code: "DL3018",
  source: "hadolint",
  severity: "warning",
  requires: ["apk"],
  message:
    "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
  explanation:
    "Unpinned apk packages change between builds. Pin `package=version` (or `~`, `<`, `>` constraints).",
  examples: {
    bad: "FROM alpine:3.20\nRUN apk add --no-cache curl",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    for (const c of runShell(i).commands) {
      if (!cmdHasArgs(c, "apk", ["add"])) continue;
      for (const p of argsWithoutFlagValues(c, ["t", "virtual", "repository", "X"])) {
        if (p === "add") continue;
        if (!(["=", "~", ">", "<"].some((s) => p.includes(s)) || p.endsWith(".apk"))) return true;
      }
    }
    return false;
  }),
};
