import type { Instruction } from "../../parser/types.ts";
import { buildkitRule, Findings, model } from "./util.ts";

const ONCE = new Set(["CMD", "ENTRYPOINT", "HEALTHCHECK"]);

export const MultipleInstructionsDisallowed = buildkitRule(
  "MultipleInstructionsDisallowed",
  "Multiple instructions of the same type should not be used in the same stage",
  {
    explanation:
      "Only the last CMD, ENTRYPOINT and HEALTHCHECK of a stage take effect; the earlier one is reported. A stage may override those of the stage it is built on.",
    examples: {
      bad: 'FROM alpine\nENTRYPOINT ["echo", "Hello, Norway!"]\nENTRYPOINT ["echo", "Hello, Sweden!"]',
      good: 'FROM alpine\nENTRYPOINT ["echo", "Hello, Norway!\\nHello, Sweden!"]',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "MultipleInstructionsDisallowed");
      for (const st of m.stages) {
        const last = new Map<string, Instruction>();
        for (const c of st.commands) {
          const kw = c.instr.keyword;
          if (!ONCE.has(kw)) continue;
          const prev = last.get(kw);
          // Reported where the ignored instruction is, under the later one's check comments.
          if (prev)
            f.add(
              prev.range.line,
              `Multiple ${c.instr.rawKeyword} instructions should not be used in the same stage because only the last one will be used`,
              c.instr,
            );
          last.set(kw, c.instr);
        }
      }
      return f.out;
    },
  },
);
