import { type CheckConfig, parseCheckOptions } from "./buildkit/check.ts";
import { type LintOptions, type LintOptionsInput, lintOptionsSchema } from "./config.ts";
import { parseDockerfile } from "./parser/dockerfile.ts";
import type { Dockerfile, Instruction } from "./parser/types.ts";
import { collectPragmas, isIgnored } from "./pragmas.ts";
import { rules as allRules } from "./rules/index.ts";
import type { LabelType, Rule, RuleContext, RuleSettings, Severity } from "./rules/types.ts";
import { commandsMet } from "./rules/util.ts";

export type Level = Exclude<Severity, "ignore">;

/** One finding, with hadolint's JSON fields plus end positions. */
export interface Finding {
  code: string;
  level: Level;
  line: number;
  column: number;
  endLine: number;
  message: string;
  file?: string;
}

export const SEVERITY_RANK: Record<Severity, number> = {
  error: 0,
  warning: 1,
  info: 2,
  style: 3,
  ignore: 4,
};

export interface LintResult {
  findings: Finding[];
  doc: Dockerfile;
}

/** Lints Dockerfile text and returns findings sorted by line. Pure: no I/O, never throws on input. */
export function lint(text: string, options: LintOptionsInput = {}): Finding[] {
  return lintDetailed(text, options).findings;
}

/**
 * BuildKit's file-wide check options: `options.check` when given (like the
 * BUILDKIT_DOCKERFILE_CHECK build argument), else the `# check=` parser directive.
 */
function fileCheckConfig(doc: Dockerfile, override: string | undefined): CheckConfig | null {
  if (override !== undefined) return parseCheckOptions(override);
  const d = doc.directives.find((x) => x.name === "check");
  if (!d) return null;
  const sp = d.value.indexOf(" ");
  return parseCheckOptions(sp < 0 ? d.value : d.value.slice(0, sp));
}

/** Options after validation, with the lookups the lint loop needs; cached per options object. */
interface Prepared {
  opts: LintOptions;
  settings: RuleSettings;
  /** The rules that run, with the level they report at. */
  active: { rule: Rule; level: Level }[];
}

function prepare(opts: LintOptions): Prepared {
  const labelSchema: Record<string, LabelType> = {};
  for (const [k, v] of Object.entries(opts.labelSchema)) labelSchema[k] = v === "" ? "text" : v;
  const override = new Map<string, Level>();
  for (const level of ["style", "info", "warning", "error"] as const)
    for (const c of opts.override[level] ?? []) override.set(c, level);
  const ignored = new Set(opts.ignored);
  const active: Prepared["active"] = [];
  for (const rule of allRules) {
    if (opts.sources && !opts.sources.includes(rule.source)) continue;
    if (ignored.has(rule.code)) continue;
    const level = override.get(rule.code) ?? rule.severity;
    if (level !== "ignore") active.push({ rule, level });
  }
  return {
    opts,
    settings: {
      trustedRegistries: opts.trustedRegistries,
      labelSchema,
      strictLabels: opts.strictLabels,
    },
    active,
  };
}

let defaults: Prepared | null = null;
const preparedCache = new WeakMap<object, Prepared>();

function prepared(options: LintOptionsInput): Prepared {
  let isEmpty = true;
  for (const _ in options) {
    isEmpty = false;
    break;
  }
  if (isEmpty) {
    defaults ??= prepare(lintOptionsSchema.parse({}));
    return defaults;
  }
  let p = preparedCache.get(options);
  if (!p) {
    p = prepare(lintOptionsSchema.parse(options));
    preparedCache.set(options, p);
  }
  return p;
}

/** The end line of the instruction starting on `line` (instructions are in line order), else `line`. */
function endLineAt(instrs: Instruction[], line: number): number {
  let lo = 0;
  let hi = instrs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = (instrs[mid] as Instruction).range;
    if (r.line === line) return r.endLine;
    if (r.line < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return line;
}

/** True when some comment could be a `# hadolint ...` pragma. */
function hasPragmaComments(instrs: Instruction[]): boolean {
  for (const i of instrs) if (i.keyword === "COMMENT" && i.text.includes("hadolint")) return true;
  return false;
}

export function lintDetailed(text: string, options: LintOptionsInput = {}): LintResult {
  const { opts, settings, active } = prepared(options);
  const doc = parseDockerfile(text);
  const findings: Finding[] = [];
  for (const p of doc.problems)
    findings.push({
      code: "DL1000",
      level: "error",
      line: p.line,
      column: p.column,
      endLine: p.line,
      message: p.message,
    });
  const ctx: RuleContext = {
    doc,
    instructions: doc.instructions,
    settings,
    dockerignore: opts.dockerignore,
    baseImageEnv: opts.baseImageEnv,
  };
  const check = fileCheckConfig(doc, opts.check);
  ctx.pragmaComments = hasPragmaComments(doc.instructions);
  const pragmas =
    !opts.disableIgnorePragma && ctx.pragmaComments ? collectPragmas(doc.instructions) : null;
  for (const a of active) {
    const rule = a.rule;
    let level = a.level;
    if (rule.requires && !commandsMet(ctx, rule.requires)) continue;
    if (rule.source === "buildkit" && check) {
      if (check.skipAll || check.skip.has(rule.code)) continue;
      if (check.error) level = "error";
    }
    let raw: ReturnType<Rule["check"]>;
    try {
      raw = rule.check(ctx);
    } catch (e) {
      findings.push({
        code: rule.code,
        level: "error",
        line: 1,
        column: 1,
        endLine: 1,
        message: `internal error in rule ${rule.code}: ${e instanceof Error ? e.message : String(e)}`,
      });
      continue;
    }
    for (const f of raw) {
      if (pragmas && isIgnored(pragmas, rule.code, f.line)) continue;
      findings.push({
        code: rule.code,
        level,
        line: f.line,
        column: f.column ?? 1,
        endLine: endLineAt(doc.instructions, f.line),
        message: f.message ?? rule.message,
      });
    }
  }
  findings.sort((a, b) => a.line - b.line);
  return { findings, doc };
}
