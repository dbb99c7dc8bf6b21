import { copiesContextRoot, INSTALLER_COMMANDS, installers } from "./slipway.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const SW1001: Rule = {
  code: "SW1001",
  source: "slipway",
  severity: "warning",
  requires: INSTALLER_COMMANDS,
  message:
    "The whole build context is copied before dependencies are installed; any source change re-runs the install",
  explanation:
    "BuildKit reuses a layer only if everything before it is unchanged. `COPY . .` before `npm ci`/`pip install -r`/`go mod download` ties the dependency layer to every source file, so each edit reinstalls all dependencies.",
  fix: "Copy only the dependency manifests (package.json and lockfile, requirements.txt, go.mod/go.sum...) first, install, then `COPY . .`.",
  examples: {
    bad: "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci",
    good: "FROM node:22\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    let copyLine: number | null = null;
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") copyLine = null;
      else if (copiesContextRoot(i) && copyLine === null) copyLine = i.range.line;
      else if (copyLine !== null && installers(i).some((x) => x.fromManifest)) {
        out.push({ line: copyLine });
        copyLine = null;
      }
    }
    return out;
  },
};
