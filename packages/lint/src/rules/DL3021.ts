import { dropQuotes, parseCopy } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simple } from "./util.ts";

export const DL3021: Rule = {
  code: "DL3021",
  source: "hadolint",
  severity: "error",
  message: "COPY with more than 2 arguments requires the last argument to end with /",
  explanation:
    "With several sources the destination must be a directory, written with a trailing slash.",
  examples: { bad: "FROM alpine:3.20\nCOPY a b /app", good: "FROM alpine:3.20\nCOPY a b /app/" },
  check: simple("COPY", (i) => {
    if (i.keyword !== "COPY") return false;
    const c = parseCopy(i);
    if (c.sources.length <= 1) return false;
    return !(c.target.length > 0 && dropQuotes(c.target).endsWith("/"));
  }),
};
