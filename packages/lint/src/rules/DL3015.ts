import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3015: Rule = {
  code: "DL3015",
  source: "hadolint",
  severity: "info",
  requires: ["apt-get"],
  message: "Avoid additional packages by specifying `--no-install-recommends`",
  explanation:
    "Recommended packages make images bigger and builds slower. Install only what you need.",
  examples: {
    bad: "FROM debian:12\nRUN apt-get install -y curl=7.88.1",
    good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          cmdHasArgs(c, "apt-get", ["install"]) &&
          !(
            hasFlag(c, "no-install-recommends") || c.args.includes("APT::Install-Recommends=false")
          ),
      ),
  ),
};
