import { INSTALLER_COMMANDS, installers } from "./slipway.ts";
import type { Rule } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const SW1004: Rule = {
  code: "SW1004",
  source: "slipway",
  severity: "info",
  requires: INSTALLER_COMMANDS,
  message:
    "Single stage installs system packages and language dependencies; split into stages so BuildKit can run them in parallel",
  explanation:
    "BuildKit runs independent stages concurrently and only the final stage ends up in the image. One stage that installs OS packages, fetches language dependencies and builds serialises all of it and ships the toolchain.",
  fix: "Move dependency download and the build into their own stages (`FROM base AS deps`, `FROM base AS build`) and `COPY --from` only the results.",
  examples: {
    bad: "FROM node:22\nRUN apt-get update && apt-get install -y python3\nCOPY package.json .\nRUN npm ci",
    good: "FROM node:22 AS deps\nCOPY package.json .\nRUN npm ci\nFROM node:22\nCOPY --from=deps /node_modules /node_modules",
  },
  check(ctx) {
    const froms = ctx.instructions.filter((i) => i.keyword === "FROM");
    if (froms.length !== 1) return [];
    const tools = new Set<string>();
    for (const i of codeInstructions(ctx))
      for (const x of installers(i)) tools.add(x.fromManifest ? "lang" : "os");
    return tools.size === 2 ? [{ line: (froms[0] as { range: { line: number } }).range.line }] : [];
  },
};
