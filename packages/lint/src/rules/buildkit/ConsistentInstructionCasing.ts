import { buildkitRule, Findings, model } from "./util.ts";

const LOWER = 1;
const UPPER = 2;
const MIXED = 3;

/** LOWER when `s` equals its lower-case form, UPPER when (only) its upper-case form, else MIXED. */
function casing(s: string): number {
  let hasLower = false;
  let hasUpper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) hasLower = true;
    else if (c >= 65 && c <= 90) hasUpper = true;
    else if (c > 127) return s === s.toLowerCase() ? LOWER : s === s.toUpperCase() ? UPPER : MIXED;
  }
  if (!hasUpper) return LOWER;
  return hasLower ? MIXED : UPPER;
}

function report(f: Findings, line: number, name: string, want: number): void {
  const c = casing(name);
  // A keyword without letters equals both its cases: it matches either majority.
  if (c === want || (c === LOWER && name === name.toUpperCase())) return;
  f.add(
    line,
    `Command '${name}' should match the case of the command majority (${want === LOWER ? "lowercase" : "uppercase"})`,
    null,
  );
}

export const ConsistentInstructionCasing = buildkitRule(
  "ConsistentInstructionCasing",
  "All commands within the Dockerfile should use the same casing (either upper or lower)",
  {
    explanation:
      "Instruction keywords should be all upper case or all lower case, and the same in the whole file. The case used by most self-consistent instructions (FROM and the instructions of the stages) is the expected one; on a tie, upper case.",
    examples: {
      bad: 'From alpine\nRun echo hello > /greeting.txt\nEntRYpOiNT ["cat", "/greeting.txt"]',
      good: 'FROM alpine\nRUN echo hello > /greeting.txt\nENTRYPOINT ["cat", "/greeting.txt"]',
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "ConsistentInstructionCasing");
      let lower = 0;
      let upper = 0;
      for (const st of m.stages) {
        const c = casing(st.from.rawKeyword);
        if (c === LOWER) lower++;
        else if (c === UPPER) upper++;
        for (const cmd of st.commands) {
          const k = casing(cmd.instr.rawKeyword);
          if (k === LOWER) lower++;
          else if (k === UPPER) upper++;
        }
      }
      const majorityLower = lower > upper;
      const want = majorityLower ? LOWER : UPPER;
      for (const st of m.stages) {
        report(f, st.from.range.line, st.from.rawKeyword, want);
        for (const cmd of st.commands) report(f, cmd.instr.range.line, cmd.instr.rawKeyword, want);
      }
      return f.out;
    },
  },
);
