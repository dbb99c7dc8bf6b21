import { dropQuotes, parseCopy, parseFrom } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3022: Rule = {
  code: "DL3022",
  source: "hadolint",
  severity: "warning",
  message: "`COPY --from` should reference a previously defined `FROM` alias",
  explanation:
    "`COPY --from=name` must name an earlier stage (or its index). An image reference (containing `:`) is accepted.",
  examples: {
    bad: "FROM golang:1.23\nCOPY --from=build /out /out",
    good: "FROM golang:1.23 AS build\nRUN go build -o /out .\nFROM alpine:3.20\nCOPY --from=build /out /out",
  },
  check(ctx) {
    const names = new Set<string>();
    let count = 0;
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        const a = parseFrom(i).alias;
        if (a) names.add(a);
        count++;
      } else if (i.keyword === "COPY") {
        const src = parseCopy(i).from;
        if (src === null) continue;
        if (dropQuotes(src).includes(":") || names.has(src)) continue;
        if (/^\d+/.test(src) && Number.parseInt(src, 10) < count) continue;
        out.push({ line: i.range.line });
      }
    }
    return out;
  },
};
