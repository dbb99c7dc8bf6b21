import { parseFrom } from "../parser/instructions.ts";
import type { Rule, RuleFinding } from "./types.ts";
import { codeInstructions } from "./util.ts";

export const DL3006: Rule = {
  code: "DL3006",
  source: "hadolint",
  severity: "warning",
  message: "Always tag the version of an image explicitly",
  explanation:
    "An untagged image means `latest`, which changes under you. Pin a tag (or a digest). Stage names, `scratch` and variables are accepted.",
  examples: { bad: "FROM debian", good: "FROM debian:12" },
  check(ctx) {
    const aliases = new Set<string>();
    const out: RuleFinding[] = [];
    for (const i of codeInstructions(ctx)) {
      if (i.keyword !== "FROM") continue;
      const b = parseFrom(i);
      if (b.alias) aliases.add(b.alias);
      if (b.name === "scratch" || b.digest !== null || b.tag !== null) continue;
      if (b.name.startsWith("$") || aliases.has(b.name)) continue;
      out.push({ line: i.range.line });
    }
    return out;
  },
};
