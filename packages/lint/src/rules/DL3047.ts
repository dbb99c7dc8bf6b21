import { runShell } from "../parser/instructions.ts";
import { cmdHasArgs, hasAnyFlag, hasFlag } from "../parser/shell.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3047: Rule = {
  code: "DL3047",
  source: "hadolint",
  severity: "info",
  requires: ["wget"],
  message:
    "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
  explanation: "wget's default progress output floods build logs.",
  examples: {
    bad: "FROM debian:12\nRUN wget https://example.com/a.tgz",
    good: "FROM debian:12\nRUN wget -nv https://example.com/a.tgz",
  },
  check: simpleOnbuild(
    "RUN",
    (i) =>
      i.keyword === "RUN" &&
      runShell(i).commands.some(
        (c) =>
          c.name === "wget" &&
          !hasFlag(c, "progress") &&
          !(
            hasAnyFlag(c, ["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"]) ||
            cmdHasArgs(c, "wget", ["-nv"])
          ),
      ),
  ),
};
