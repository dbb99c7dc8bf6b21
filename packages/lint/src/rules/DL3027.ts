import { runShell } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3027: Rule = {
  code: "DL3027",
  source: "hadolint",
  severity: "warning",
  requires: ["apt"],
  message: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
  explanation:
    "`apt` has no stable command-line interface for scripts; `apt-get` and `apt-cache` do.",
  examples: {
    bad: "FROM debian:12\nRUN apt install -y curl",
    good: "FROM debian:12\nRUN apt-get install -y curl",
  },
  check: simpleOnbuild(
    "RUN",
    (i) => i.keyword === "RUN" && runShell(i).commands.some((c) => c.name === "apt"),
  ),
};
