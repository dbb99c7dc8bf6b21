import { parsePairs } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3050: Rule = {
  code: "DL3050",
  source: "hadolint",
  severity: "info",
  message: "Superfluous label(s) present.",
  explanation: "With `strict-labels`, only labels from the label schema may be set.",
  examples: {
    bad: '# label-schema: {version: semver}, strict-labels: true\nFROM alpine:3.20\nLABEL other="x"',
    good: '# label-schema: {version: semver}, strict-labels: true\nFROM alpine:3.20\nLABEL version="1.0.0"',
  },
  check: simple(
    (i, ctx) =>
      i.keyword === "LABEL" &&
      ctx.settings.strictLabels &&
      parsePairs(i).some(([k]) => !(k in ctx.settings.labelSchema)),
  ),
};
