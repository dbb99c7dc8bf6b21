import { parseArg, parsePairs } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

/** Variable names a value references as `${NAME}` or `$NAME` (hadolint's two forms). */
function referenced(value: string): Set<string> {
  const out = new Set<string>();
  if (!value.includes("$")) return out;
  for (const m of value.matchAll(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g))
    out.add((m[1] ?? m[2]) as string);
  return out;
}

export const DL3044: Rule = {
  code: "DL3044",
  source: "hadolint",
  severity: "error",
  message:
    "Do not refer to an environment variable within the same `ENV` statement where it is defined.",
  explanation:
    "Within one ENV instruction, references use the value from before the instruction, not the one being set, which is rarely what was meant. Split it into two ENV instructions.",
  examples: {
    bad: "FROM alpine:3.20\nENV A=/opt B=$A/bin",
    good: "FROM alpine:3.20\nENV A=/opt\nENV B=$A/bin",
  },
  check(ctx) {
    const known = new Set<string>();
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword === "ARG") known.add(parseArg(i).name);
      if (i.keyword !== "ENV") continue;
      const pairs = parsePairs(i);
      // A variable can only be referenced by another pair of the same ENV.
      if (pairs.length < 2) {
        for (const [k] of pairs) known.add(k);
        continue;
      }
      const refSets = pairs.map(([, value]) => referenced(value));
      const counts = new Map<string, number>();
      for (const set of refSets) for (const n of set) counts.set(n, (counts.get(n) ?? 0) + 1);
      const bad = pairs.some(([name], idx) => {
        const others = (counts.get(name) ?? 0) - (refSets[idx]?.has(name) ? 1 : 0);
        return others > 0 && !known.has(name);
      });
      for (const [k] of pairs) known.add(k);
      if (bad) out.push({ line: i.range.line });
    }
    return out;
  },
};
