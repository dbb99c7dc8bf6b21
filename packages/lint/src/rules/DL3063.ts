import { parseFrom } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3063: Rule = {
  code: "DL3063",
  source: "hadolint",
  severity: "warning",
  message: "stage name should not be a reserved word",
  explanation:
    "`scratch` and `context` have special meanings in FROM and --from; do not use them as stage names.",
  examples: { bad: "FROM alpine:3.20 AS scratch", good: "FROM alpine:3.20 AS base" },
  check: simple("FROM", (i) => {
    if (i.keyword !== "FROM") return false;
    const a = parseFrom(i).alias;
    return a === "scratch" || a === "context";
  }),
};
