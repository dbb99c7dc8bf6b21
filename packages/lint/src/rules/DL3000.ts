import { dropQuotes } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { isWindowsAbsolute, simple } from "./util.ts";

export const DL3000: Rule = {
  code: "DL3000",
  source: "hadolint",
  severity: "error",
  message: "Use absolute WORKDIR",
  explanation:
    "A relative WORKDIR depends on the previous working directory, which makes the Dockerfile hard to follow and breaks when base images change. Paths that start with a variable are accepted.",
  examples: { bad: "FROM alpine:3.20\nWORKDIR app", good: "FROM alpine:3.20\nWORKDIR /app" },
  check: simple("WORKDIR", (i) => {
    if (i.keyword !== "WORKDIR") return false;
    const p = dropQuotes(i.rest);
    return !(p.startsWith("$") || p.startsWith("/") || isWindowsAbsolute(p));
  }),
};
