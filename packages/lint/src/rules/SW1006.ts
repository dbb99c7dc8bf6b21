import { parseArgs, parsePairs } from "../parser/instructions.ts";
import { isSensitiveName } from "./DL3064.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const SW1006: Rule = {
  code: "SW1006",
  source: "slipway",
  severity: "error",
  message:
    "Secret passed through ARG/ENV; it is stored in the image metadata and changes the cache key",
  explanation:
    "Build arguments and ENV values end up in `docker history` and image config, and a rotated token invalidates every layer after it. BuildKit secret mounts expose the value to one RUN only, without storing it.",
  fix: "Use `RUN --mount=type=secret,id=<name>` and pass it with `--secret id=<name>,env=<VAR>`.",
  examples: {
    bad: "FROM node:22\nARG NPM_TOKEN\nRUN npm ci",
    good: "FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword !== "ARG" && i.keyword !== "ENV") continue;
      const names =
        i.keyword === "ARG"
          ? parseArgs(i).map((a) => a.name)
          : i.keyword === "ENV"
            ? parsePairs(i).map(([k]) => k)
            : [];
      const bad = names.filter(isSensitiveName);
      if (bad.length)
        out.push({ line: i.range.line, message: `${SW1006.message}: ${bad.join(", ")}` });
    }
    return out;
  },
};
