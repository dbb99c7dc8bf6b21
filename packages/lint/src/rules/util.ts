import { runShell } from "../parser/instructions.ts";
import { isWrapper, unwrapCommand } from "../parser/shell.ts";
import type { Instruction } from "../parser/types.ts";
import type { RuleContext, RuleFinding } from "./types.ts";

/** Names of the commands of every RUN and ONBUILD RUN (and of the commands wrappers run). */
export function commandNames(ctx: RuleContext): Set<string> {
  if (ctx.commandNames) return ctx.commandNames;
  const names = new Set<string>();
  for (const i of ctx.instructions) {
    const run = i.keyword === "RUN" ? i : i.inner?.keyword === "RUN" ? i.inner : null;
    if (!run) continue;
    for (const c of runShell(run).commands) {
      names.add(c.name);
      if (isWrapper(c.name)) names.add(unwrapCommand(c).name);
    }
  }
  ctx.commandNames = names;
  return names;
}

/** Whether a rule's `requires` can be met by the document's commands. */
export function commandsMet(ctx: RuleContext, req: readonly string[] | ((n: string) => boolean)) {
  const names = commandNames(ctx);
  if (typeof req === "function") {
    for (const n of names) if (req(n)) return true;
    return false;
  }
  for (const n of req) if (names.has(n)) return true;
  return false;
}

/** Commands that can be a pip install (`pip3 install`, `python -m pip install`). */
export function isPipLike(name: string): boolean {
  return name.startsWith("pip") || name.startsWith("python");
}

export type InstructionCheck = (instrs: Instruction[], ctx: RuleContext) => RuleFinding[];

/** The ONBUILD-triggered instructions, unwrapped, each keeping its ONBUILD line. */
export function onbuildInstructions(instrs: Instruction[]): Instruction[] {
  const out: Instruction[] = [];
  for (const i of instrs) if (i.keyword === "ONBUILD" && i.inner) out.push(i.inner);
  return out;
}

/** The ONBUILD-triggered instructions of the document, computed once per lint. */
export function onbuildOf(ctx: RuleContext): Instruction[] {
  ctx.onbuild ??= onbuildInstructions(ctx.instructions);
  return ctx.onbuild;
}

/** Runs a check on the instructions and again on the ONBUILD-triggered ones (as hadolint does). */
export function withOnbuild(check: InstructionCheck): (ctx: RuleContext) => RuleFinding[] {
  return (ctx) => {
    const top = check(ctx.instructions, ctx);
    const ob = onbuildOf(ctx);
    return ob.length ? top.concat(check(ob, ctx)) : top;
  };
}

/** A rule that flags each instruction for which `bad` is true. */
export function perInstruction(
  bad: (i: Instruction, ctx: RuleContext) => boolean,
): InstructionCheck {
  return (instrs, ctx) => {
    const out: RuleFinding[] = [];
    for (const i of instrs) if (bad(i, ctx)) out.push({ line: i.range.line });
    return out;
  };
}

export function simple(bad: (i: Instruction, ctx: RuleContext) => boolean) {
  const c = perInstruction(bad);
  return (ctx: RuleContext) => c(ctx.instructions, ctx);
}

export function simpleOnbuild(bad: (i: Instruction, ctx: RuleContext) => boolean) {
  return withOnbuild(perInstruction(bad));
}

export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:/.test(p);
}
