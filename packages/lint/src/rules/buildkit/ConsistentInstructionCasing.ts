import { buildkitRule, Findings, model } from "./util.ts";

const isConsistent = (s: string) => s === s.toLowerCase() || s === s.toUpperCase();

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
      const names: { line: number; name: string }[] = [];
      for (const st of m.stages) {
        names.push({ line: st.from.range.line, name: st.from.rawKeyword });
        for (const c of st.commands)
          names.push({ line: c.instr.range.line, name: c.instr.rawKeyword });
      }
      let lower = 0;
      let upper = 0;
      for (const { name } of names)
        if (isConsistent(name)) {
          if (name === name.toLowerCase()) lower++;
          else upper++;
        }
      const majorityLower = lower > upper;
      for (const { line, name } of names) {
        let casing = "";
        if (majorityLower && name.toLowerCase() !== name) casing = "lowercase";
        else if (!majorityLower && name.toUpperCase() !== name) casing = "uppercase";
        if (casing)
          f.add(
            line,
            `Command '${name}' should match the case of the command majority (${casing})`,
            null,
          );
      }
      return f.out;
    },
  },
);
