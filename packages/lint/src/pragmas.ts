/** hadolint inline pragmas: `# hadolint ignore=DL3008,DL3015`, `global ignore=`, `stage ignore=`. */
import type { Instruction } from "./parser/types.ts";

const RULE_LIST = /^\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\s*(?:#.*)?$/;

function parse(text: string, prefix: "" | "global" | "stage"): string[] | null {
  const m = /^[ \t]*hadolint[ \t]+(.*)$/s.exec(text);
  if (!m) return null;
  let rest = m[1] as string;
  if (prefix) {
    const p = new RegExp(`^${prefix}[ \\t]+`).exec(rest);
    if (!p) return null;
    rest = rest.slice(p[0].length);
  }
  const ig = /^ignore[ \t]*=[ \t]*/.exec(rest);
  if (!ig) return null;
  const list = RULE_LIST.exec(rest.slice(ig[0].length));
  if (!list) return null;
  return (list[1] as string).split(",").map((s) => s.trim());
}

/** Codes of a line-level `hadolint ignore=` comment (text after `#`), or null. */
export function parseIgnorePragma(text: string): string[] | null {
  return parse(text, "");
}

export interface Pragmas {
  /** line -> codes ignored on that line */
  lines: Map<number, Set<string>>;
  global: Set<string>;
  /** sorted (start line, codes) for `stage ignore=` */
  stages: { line: number; codes: Set<string> }[];
}

export function collectPragmas(instrs: Instruction[]): Pragmas {
  const lines = new Map<number, Set<string>>();
  const global = new Set<string>();
  const stageMap = new Map<number, Set<string>>();
  for (const i of instrs) {
    if (i.keyword === "COMMENT") {
      const l = parse(i.text, "");
      if (l?.length) lines.set(i.range.line + 1, new Set(l));
      const g = parse(i.text, "global");
      if (g) for (const c of g) global.add(c);
      const s = parse(i.text, "stage");
      if (s?.length) stageMap.set(i.range.line + 1, new Set(s));
    } else if (i.keyword === "FROM" && !stageMap.has(i.range.line))
      stageMap.set(i.range.line, new Set());
  }
  const stages = [...stageMap]
    .map(([line, codes]) => ({ line, codes }))
    .sort((a, b) => a.line - b.line);
  return { lines, global, stages };
}

export function isIgnored(p: Pragmas, code: string, line: number): boolean {
  if (p.global.has(code)) return true;
  if (p.lines.get(line)?.has(code)) return true;
  let codes: Set<string> | undefined;
  for (const s of p.stages) {
    if (s.line < line) codes = s.codes;
    else break;
  }
  return codes?.has(code) ?? false;
}
