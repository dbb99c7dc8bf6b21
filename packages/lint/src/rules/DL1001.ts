import { parseIgnorePragma } from "../pragmas.ts";
import type { Rule } from "./types.ts";
import { perInstruction } from "./util.ts";

const pragmaComments = perInstruction(
  (i) =>
    i.keyword === "COMMENT" && i.text.includes("hadolint") && parseIgnorePragma(i.text) !== null,
);

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
  // (`pragmaComments` is false when no comment mentions hadolint; undefined outside `lint`.)
  check: (ctx) => (ctx.pragmaComments === false ? [] : pragmaComments(ctx.instructions, ctx)),
};
