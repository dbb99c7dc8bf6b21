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

/** The instructions without comments and parser directives (computed once per lint). */
export function codeInstructions(ctx: RuleContext): Instruction[] {
  if (!ctx.code) {
    const out: Instruction[] = [];
    for (const i of ctx.instructions)
      if (i.keyword !== "COMMENT" && i.keyword !== "DIRECTIVE") out.push(i);
    ctx.code = out;
  }
  return ctx.code;
}

const NO_INSTRUCTIONS: Instruction[] = [];

/** The (non-comment) instructions with one keyword, in order (index built once per lint). */
export function instructionsOf(ctx: RuleContext, keyword: string): Instruction[] {
  let m = ctx.byKeyword;
  if (!m) {
    m = new Map();
    for (const i of codeInstructions(ctx)) {
      const list = m.get(i.keyword);
      if (list) list.push(i);
      else m.set(i.keyword, [i]);
    }
    ctx.byKeyword = m;
  }
  return m.get(keyword) ?? NO_INSTRUCTIONS;
}

type Bad = (i: Instruction, ctx: RuleContext) => boolean;

/**
 * A rule that flags each instruction for which `bad` is true. `bad` is not called for comments
 * and parser directives (use `perInstruction` on `ctx.instructions` to see them). With a
 * `keyword`, it is only called for instructions with that keyword (`bad` may rely on it).
 */
export function simple(keywordOrBad: string | Bad, maybeBad?: Bad) {
  const keyword = typeof keywordOrBad === "string" ? keywordOrBad : null;
  const c = perInstruction((maybeBad ?? keywordOrBad) as Bad);
  return (ctx: RuleContext) =>
    c(keyword ? instructionsOf(ctx, keyword) : codeInstructions(ctx), ctx);
}

/** `simple`, plus the ONBUILD-triggered instructions (as hadolint does). */
export function simpleOnbuild(keywordOrBad: string | Bad, maybeBad?: Bad) {
  const keyword = typeof keywordOrBad === "string" ? keywordOrBad : null;
  const c = perInstruction((maybeBad ?? keywordOrBad) as Bad);
  return (ctx: RuleContext) => {
    const top = c(keyword ? instructionsOf(ctx, keyword) : codeInstructions(ctx), ctx);
    const ob = onbuildOf(ctx);
    return ob.length ? top.concat(c(ob, ctx)) : top;
  };
}

export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:/.test(p);
}
