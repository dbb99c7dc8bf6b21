import { parseCopy, parseFrom, parsePairs } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

interface Stage {
  line: number;
  name: string;
  alias: string | null;
}

export const DL3049: Rule = {
  code: "DL3049",
  source: "hadolint",
  severity: "info",
  message: "Label `<label>` is missing.",
  explanation:
    "With a label schema configured, every stage that can end up as an image must define each schema label (a stage built on a labelled stage inherits its labels).",
  examples: {
    bad: "# label-schema: {maintainer: text}\nFROM alpine:3.20",
    good: '# label-schema: {maintainer: text}\nFROM alpine:3.20\nLABEL maintainer="ops"',
  },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const label of Object.keys(ctx.settings.labelSchema)) {
      let cur: Stage | null = null;
      const good: Stage[] = [];
      let bad: Stage[] = [];
      for (const i of codeInstructions(ctx)) {
        if (i.keyword === "FROM") {
          const b = parseFrom(i);
          const st: Stage = { line: i.range.line, name: b.name, alias: b.alias };
          cur = st;
          if (good.some((g) => g.alias !== null && g.alias === st.name)) good.push(st);
          else bad.push(st);
        } else if (i.keyword === "COPY" && cur) {
          const src = parseCopy(i).from;
          if (src !== null) bad = bad.filter((s) => s.alias !== src);
        } else if (i.keyword === "LABEL" && cur) {
          if (parsePairs(i).some(([k]) => k === label)) {
            const c: Stage = cur;
            const curName = c.alias ?? c.name;
            bad = bad.filter((s) => s.alias !== curName && s !== c);
            good.push(c);
          }
        }
      }
      for (const s of bad) out.push({ line: s.line, message: `Label \`${label}\` is missing.` });
    }
    return out;
  },
};
