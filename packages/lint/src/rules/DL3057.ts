import { parseFrom } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { codeInstructions } from "./util.ts";

interface Stage {
  src: string;
  name: string;
  line: number;
}

export const DL3057: Rule = {
  code: "DL3057",
  source: "hadolint",
  severity: "ignore",
  message: "`HEALTHCHECK` instruction missing.",
  explanation:
    "Without HEALTHCHECK, orchestrators only know whether the process runs, not whether it works. Off by default.",
  examples: {
    bad: "FROM nginx:1.27",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1",
  },
  check(ctx) {
    let cur: Stage | null = null;
    const good = new Set<Stage>();
    let bad = new Set<Stage>();
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "FROM") {
        const b = parseFrom(i);
        const st: Stage = { src: b.name, name: b.alias ?? b.name, line: i.range.line };
        cur = st;
        if ([...good].some((g) => g.name === st.src)) good.add(st);
        else bad.add(st);
      } else if (i.keyword === "HEALTHCHECK" && cur) {
        const c: Stage = cur;
        // mark the current stage and the bad stages it builds on (its ancestors) as good
        const nowGood = new Set<Stage>();
        const visit = (from: Stage, pool: Set<Stage>) => {
          for (const s of pool)
            if (s.name === from.src && !nowGood.has(s)) {
              nowGood.add(s);
              visit(s, pool);
            }
        };
        visit(c, bad);
        for (const s of nowGood) good.add(s);
        good.add(c);
        bad = new Set([...bad].filter((s) => !nowGood.has(s) && s !== c));
      }
    }
    return [...bad].sort((a, b) => a.line - b.line).map((s) => ({ line: s.line }));
  },
};
