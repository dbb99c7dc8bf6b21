import { runShell } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3003: Rule = {
  code: "DL3003",
  source: "hadolint",
  severity: "warning",
  requires: ["cd"],
  message: "Use WORKDIR to switch to a directory",
  explanation:
    "`cd` only lasts for one RUN. WORKDIR sets the directory for every following instruction and documents it.",
  examples: {
    bad: "FROM alpine:3.20\nRUN cd /usr/src/app && make",
    good: "FROM alpine:3.20\nWORKDIR /usr/src/app\nRUN make",
  },
  check: simple(
    "RUN",
    (i) => i.keyword === "RUN" && runShell(i).commands.some((c) => c.name === "cd"),
  ),
};
