import { parseMounts } from "../parser/instructions.ts";
import { INSTALLER_COMMANDS, installers } from "./slipway.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const SW1002: Rule = {
  code: "SW1002",
  source: "slipway",
  severity: "info",
  requires: INSTALLER_COMMANDS,
  message:
    "Package install without a BuildKit cache mount; every rebuild downloads all packages again",
  explanation:
    "When this layer is rebuilt, the package manager starts from an empty cache. A `RUN --mount=type=cache` keeps downloads between builds on the builder without putting them in the image.",
  fix: "Add `--mount=type=cache,target=<cache dir>` to the RUN (for example /var/cache/apt and /var/lib/apt for apt-get, /root/.npm for npm, /root/.cache/pip for pip).",
  examples: {
    bad: "FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt",
    good: "FROM python:3.12\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      const found = installers(i);
      if (!found.length) continue;
      if (parseMounts(i).some((m) => m.type === "cache")) continue;
      out.push({
        line: i.range.line,
        message: `${SW1002.message} (${found.map((f) => f.tool).join(", ")}: cache ${found[0]?.cache})`,
      });
    }
    return out;
  },
};
