import { copiesContextRoot } from "./slipway.ts";
import type { Rule, RuleFinding } from "./types.ts";

export const SW1003: Rule = {
  code: "SW1003",
  source: "slipway",
  severity: "warning",
  message:
    "The context root is copied but there is no .dockerignore; .git, node_modules and build output are sent and copied",
  explanation:
    "Without .dockerignore the client sends the whole directory to BuildKit and `COPY .` invalidates the cache whenever any file changes, including .git.",
  fix: "Add a .dockerignore next to the Dockerfile listing .git, node_modules, build output and local env files.",
  examples: {
    bad: "FROM node:22\nCOPY . /app",
    good: "# with .dockerignore: .git node_modules dist\nFROM node:22\nCOPY . /app",
  },
  check(ctx) {
    if (ctx.dockerignore !== null) return [];
    const first = ctx.instructions.find(copiesContextRoot);
    return first ? ([{ line: first.range.line }] satisfies RuleFinding[]) : [];
  },
};
