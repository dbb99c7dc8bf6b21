import { parseIgnorePragma } from "../pragmas.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL1001: Rule = {
  code: "DL1001",
  source: "hadolint",
  severity: "ignore",
  message: "Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`.",
  explanation:
    "Inline ignore pragmas hide findings where reviewers do not look. Off by default; enable it (for example with `--warning DL1001`) to require that exceptions live in the configuration file.",
  examples: {
    bad: "# hadolint ignore=DL3006\nFROM ubuntu",
    good: "FROM ubuntu:24.04",
  },
  check: simple((i) => i.keyword === "COMMENT" && parseIgnorePragma(i.text) !== null),
};
