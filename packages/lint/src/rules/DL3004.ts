import { runShell } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const DL3004: Rule = {
  code: "DL3004",
  source: "hadolint",
  severity: "error",
  requires: ["sudo"],
  message:
    "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
  explanation:
    "sudo has TTY and signal-forwarding behaviour that does not suit containers. RUN already runs as the current USER; switch USER, or use gosu in entrypoints.",
  examples: {
    bad: "FROM debian:12\nRUN sudo apt-get update",
    good: "FROM debian:12\nUSER root\nRUN apt-get update",
  },
  check: simpleOnbuild(
    "RUN",
    (i) => i.keyword === "RUN" && runShell(i).commands.some((c) => c.name === "sudo"),
  ),
};
