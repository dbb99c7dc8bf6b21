import { parseArg, parseFrom, parsePairs } from "../parser/instructions.ts";
import type { Instruction } from "../parser/types.ts";

/**
 * Variables known when a RUN runs, tracked the way hadolint's DL3033/DL3041 track them: ENV per
 * stage (a stage built FROM another stage inherits its ENV), ARG names globally.
 */
export class VarTracker {
  private stageIdx = 0;
  private aliases = new Map<number, string>();
  private envs = new Map<number, Set<string>>([[0, new Set()]]);
  private args = new Set<string>();

  step(i: Instruction): void {
    if (i.keyword === "ENV") {
      const set = this.envs.get(this.stageIdx);
      if (set) for (const [k] of parsePairs(i)) set.add(k);
    } else if (i.keyword === "ARG") this.args.add(parseArg(i).name);
    else if (i.keyword === "FROM") {
      const b = parseFrom(i);
      let parent = -1;
      for (const [idx, a] of this.aliases)
        if (a === b.name) {
          parent = idx;
          break;
        }
      this.stageIdx++;
      this.aliases.set(this.stageIdx, b.alias ?? "");
      this.envs.set(this.stageIdx, new Set(parent >= 0 ? this.envs.get(parent) : []));
    }
  }

  defines(pkg: string): boolean {
    for (const v of this.envs.get(this.stageIdx) ?? []) if (pkg.includes(`\${${v}}`)) return true;
    for (const v of this.args) if (pkg.includes(`\${${v}}`)) return true;
    return false;
  }
}

/** `name-version` check shared by yum and dnf rules. */
export function rpmVersionFixed(pkg: string, vars: VarTracker): boolean {
  const parts = pkg.split("-");
  if (parts.length <= 1) return false;
  if (pkg.endsWith(".rpm")) return true;
  if (pkg.includes("$")) return vars.defines(pkg);
  const rest = parts.slice(1);
  return rest.every((p) => /^[0-9A-Za-z.~^_:+]*$/.test(p)) && rest.some((p) => /^[0-9]/.test(p));
}
