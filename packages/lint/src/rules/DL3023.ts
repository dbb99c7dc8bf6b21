import { parseCopy, parseFrom } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3023: Rule = {
  code: "DL3023",
  source: "hadolint",
  severity: "error",
  message: "`COPY --from` cannot reference its own `FROM` alias",
  explanation: "A stage cannot copy from itself; reference an earlier stage.",
  examples: {
    bad: "FROM debian:12 AS app\nCOPY --from=app /a /b",
    good: "FROM debian:12 AS base\nFROM debian:12 AS app\nCOPY --from=base /a /b",
  },
  check(ctx) {
    let alias: string | null | undefined;
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") alias = parseFrom(i).alias;
      else if (i.keyword === "COPY" && alias !== undefined) {
        const src = parseCopy(i).from;
        if (src !== null && alias !== null && alias === src) out.push({ line: i.range.line });
      }
    }
    return out;
  },
};
