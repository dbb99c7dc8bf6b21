import { runShell } from "../parser/instructions.ts";
import { argsWithoutFlagValues, cmdHasArgs } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3008: Rule = {
  code: "DL3008",
  source: "hadolint",
  severity: "warning",
  requires: ["apt-get"],
  message:
    "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
  explanation:
    "Unpinned packages make the image depend on the day it was built. Pin `package=version`; release pins (`pkg/stable`) and local `.deb` files are accepted.",
  examples: {
    bad: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl",
    good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8",
  },
  check: simpleOnbuild("RUN", (i) => {
    if (i.keyword !== "RUN") return false;
    for (const c of runShell(i).commands) {
      if (!cmdHasArgs(c, "apt-get", ["install"])) continue;
      for (const p of argsWithoutFlagValues(c, ["t", "target-release"])) {
        if (p === "install") continue;
        if (!(p.includes("=") || p.includes("/") || p.endsWith(".deb"))) return true;
      }
    }
    return false;
  }),
};
