/**
 * A static replay of what BuildKit's Dockerfile frontend does before it runs a build (the part
 * `docker build --check` lints): the global ARGs, each stage's base (another stage, scratch or an
 * external image), and, per instruction, the words BuildKit expands with the stage's environment
 * at that point. The BuildKit checks in `src/rules/buildkit/` read this model; it is computed once
 * per document and only when one of them runs.
 *
 * What a linter cannot see is the ENV of external base images (BuildKit reads it from the
 * registry): variables that may come from there are reported as `unknown` rather than unset, and
 * values that depend on them contain {@link UNKNOWN_CHAR}. `LintOptions.baseImageEnv` can supply
 * the ENV of named images.
 */
import { KNOWN_INSTRUCTIONS } from "../parser/dockerfile.ts";
import type { Dockerfile, Instruction } from "../parser/types.ts";
import { type CheckConfig, checkConfigFromComments } from "./check.ts";
import { suggest } from "./suggest.ts";
import { type Expansion, expandWord, splitWords, UNKNOWN, type VarLookup } from "./words.ts";

/** PATH BuildKit sets when the base image has none (scratch). */
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** Build arguments BuildKit never turns into environment variables. */
const NON_ENV_ARGS = new Set(["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]);

export type WordRole =
  | "env-key"
  | "env-value"
  | "label"
  | "arg-value"
  | "workdir"
  | "source"
  | "dest"
  | "flag"
  | "heredoc"
  | "mount"
  | "user"
  | "volume"
  | "stopsignal";

/** A variable a word reads that is not set where it is read. */
export interface UndefinedRef {
  name: string;
  /** False when the variable may come from an external base image's ENV. */
  certain: boolean;
  /** BuildKit's "did you mean" among the variables set at that point ("" when none). */
  suggestion: string;
}

export interface BkWord {
  role: WordRole;
  raw: string;
  /** The word after expansion (see `Expansion.result`). */
  result: string;
  /** BuildKit would refuse the word. */
  error: boolean;
  undefined: UndefinedRef[];
}

export interface KeyValue {
  key: string;
  value: string;
  /** Legacy `KEY value` form (no `=`). */
  noDelim: boolean;
}

export interface BkCommand {
  instr: Instruction;
  stage: BkStage;
  words: BkWord[];
  /** CMD/ENTRYPOINT: a SHELL instruction is in effect. */
  shellSet: boolean;
  /** WORKDIR: a WORKDIR was already set in this stage or the stages it builds on. */
  workdirSet: boolean;
  /** EXPOSE: the ports after expansion. */
  ports: string[];
  /** ENV/ARG: the (expanded) keys declared. */
  keys: string[];
  /** ENV/LABEL: pairs in the legacy `KEY value` form. */
  legacy: number;
}

export interface BkStage {
  index: number;
  from: Instruction;
  /** FROM arguments after the flags: `[image]` or `[image, AS, name]`. */
  args: string[];
  /** Lower-cased stage name, "" when unnamed. */
  name: string;
  /** The base image as written, and expanded with the global ARGs. */
  baseName: string;
  base: Expansion;
  platform: string | null;
  platformExp: Expansion | null;
  parent: BkStage | null;
  commands: BkCommand[];
  env: Map<string, string | typeof UNKNOWN>;
  envUnknown: boolean;
  /** Variable lookup in `env` (unknown names are UNKNOWN when the base image's ENV is unknown). */
  lookup: VarLookup;
  buildArgs: Set<string>;
  shellSet: boolean;
  workdirSet: boolean;
}

export interface BkModel {
  doc: Dockerfile;
  escape: string;
  /** Global ARG values with no build arguments given (BuildKit's defaults plus the meta ARGs). */
  globalArgs: GlobalArgs;
  /** Names of global ARGs, also those without a value. */
  declaredArgs: Set<string>;
  stages: BkStage[];
  commands: BkCommand[];
  /** Check options from the comments right above an instruction. */
  local(instr: Instruction): CheckConfig | null;
}

export interface ModelOptions {
  /** ENV (`KEY=value` strings, as in an image config) of external base images, by FROM name. */
  baseImageEnv?: Record<string, string[]> | undefined;
}

/** BuildKit's built-in platform ARGs; values are those of a linux/amd64 build. */
const DEFAULT_ARGS: ReadonlyMap<string, string> = new Map([
  ["BUILDPLATFORM", "linux/amd64"],
  ["BUILDOS", "linux"],
  ["BUILDOSVERSION", ""],
  ["BUILDARCH", "amd64"],
  ["BUILDVARIANT", ""],
  ["TARGETPLATFORM", "linux/amd64"],
  ["TARGETOS", "linux"],
  ["TARGETOSVERSION", ""],
  ["TARGETARCH", "amd64"],
  ["TARGETVARIANT", ""],
  ["TARGETSTAGE", "default"],
]);

const WS = /\s+/;

function fields(s: string): string[] {
  const t = s.trim();
  return t ? t.split(WS) : [];
}

/** ENV / LABEL pairs split the way BuildKit's parseNameVal splits them. */
export function keyValues(rest: string, esc: string): KeyValue[] {
  const words = splitWords(rest, esc);
  if (!words.length) return [];
  if (!(words[0] as string).includes("=")) {
    const t = rest.trim();
    const m = WS.exec(t);
    if (!m) return [];
    return [{ key: t.slice(0, m.index), value: t.slice(m.index + m[0].length), noDelim: true }];
  }
  const out: KeyValue[] = [];
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq < 0) continue;
    out.push({ key: w.slice(0, eq), value: w.slice(eq + 1), noDelim: false });
  }
  return out;
}

/** ARG names and values (BuildKit's parseNameOrNameVal + parseArg). */
export function argPairs(rest: string, esc: string): { key: string; value: string | null }[] {
  return splitWords(rest, esc).map((w) => {
    const eq = w.indexOf("=");
    return eq < 0 ? { key: w, value: null } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

/** Preceding comments of each instruction, as BuildKit's parser collects them (PrevComment). */
function prevComments(doc: Dockerfile): Map<Instruction, string[]> {
  const out = new Map<Instruction, string[]>();
  let comments: string[] = [];
  for (const i of doc.instructions) {
    if (i.keyword === "DIRECTIVE") continue;
    if (i.keyword === "COMMENT") {
      const raw = doc.lines[i.range.line - 1] ?? "";
      const c = raw.slice(1).trim();
      if (c === "") comments = [];
      else comments.push(c);
      continue;
    }
    if (comments.length) out.set(i, comments);
    comments = [];
  }
  return out;
}

function csvFields(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 44 && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const HEREDOC_SOURCE = /^<<-?(["']?)([^"']+)\1$/;
const NONE: UndefinedRef[] = [];
const NO_WORDS: BkWord[] = [];
const NO_STRINGS: string[] = [];
const NO_VARS: VarLookup = { get: () => undefined };

class StageLookup implements VarLookup {
  constructor(readonly st: BkStage) {}
  get(name: string): string | undefined | typeof UNKNOWN {
    const v = this.st.env.get(name);
    if (v !== undefined) return v;
    return this.st.envUnknown ? UNKNOWN : undefined;
  }
}

class GlobalLookup implements VarLookup {
  constructor(readonly args: GlobalArgs) {}
  get(name: string): string | undefined {
    return this.args.get(name);
  }
}

/**
 * Global ARG values: the meta ARGs over BuildKit's built-in platform ARGs (shared, not copied per
 * document).
 */
export class GlobalArgs {
  private readonly own = new Map<string, string>();
  constructor(readonly target: string) {}

  get(name: string): string | undefined {
    const v = this.own.get(name);
    if (v !== undefined) return v;
    if (name === "TARGETSTAGE") return this.target || "default";
    return DEFAULT_ARGS.get(name);
  }

  has(name: string): boolean {
    return this.own.has(name) || DEFAULT_ARGS.has(name);
  }

  set(name: string, value: string): void {
    this.own.set(name, value);
  }

  keys(): string[] {
    const out = [...DEFAULT_ARGS.keys()];
    for (const k of this.own.keys()) if (!DEFAULT_ARGS.has(k)) out.push(k);
    return out;
  }
}

function addUndefined(out: UndefinedRef[], st: BkStage, name: string, certain: boolean): void {
  if (st.buildArgs.has(name) || NON_ENV_ARGS.has(name)) return;
  out.push({ name, certain, suggestion: suggest(name, st.env.keys()) });
}

class Builder {
  readonly escape: string;
  readonly globalArgs: GlobalArgs;
  readonly declaredArgs = new Set<string>();
  readonly stages: BkStage[] = [];
  readonly commands: BkCommand[] = [];
  private readonly byName = new Map<string, BkStage>();
  private readonly globalLookup: VarLookup;

  constructor(
    readonly doc: Dockerfile,
    readonly opts: ModelOptions,
  ) {
    this.escape = doc.escape;
    let last: Instruction | undefined;
    for (const i of doc.instructions) if (i.keyword === "FROM") last = i;
    this.globalArgs = new GlobalArgs(last ? stageName(fields(last.rest)) : "");
    this.globalLookup = new GlobalLookup(this.globalArgs);
  }

  build(): void {
    let stage: BkStage | null = null;
    for (const i of this.doc.instructions) {
      if (i.keyword === "COMMENT" || i.keyword === "DIRECTIVE") continue;
      if (i.keyword === "FROM") {
        stage = this.startStage(i);
        continue;
      }
      if (!KNOWN_INSTRUCTIONS.has(i.keyword)) continue;
      if (!stage) {
        if (i.keyword === "ARG") this.metaArg(i);
        continue;
      }
      this.dispatch(stage, i);
    }
  }

  metaArg(i: Instruction): void {
    for (const { key, value } of argPairs(i.rest, this.escape)) {
      if (value !== null)
        this.globalArgs.set(key, expandWord(value, this.globalLookup, this.escape).result);
      this.declaredArgs.add(key);
    }
  }

  startStage(i: Instruction): BkStage {
    const args = fields(i.rest);
    const baseName = args[0] ?? "";
    const base = expandWord(baseName, this.globalLookup, this.escape);
    const platformFlag = i.flags.find((f) => f.name === "platform");
    const platform = platformFlag ? (platformFlag.value ?? "") : null;
    const st: BkStage = {
      index: this.stages.length,
      from: i,
      args,
      name: stageName(args),
      baseName,
      base,
      platform,
      platformExp: platform ? expandWord(platform, this.globalLookup, this.escape) : null,
      parent: this.byName.get(base.result) ?? null,
      commands: [],
      env: new Map(),
      envUnknown: false,
      lookup: NO_VARS,
      buildArgs: new Set(),
      shellSet: false,
      workdirSet: false,
    };
    const p = st.parent;
    if (p) {
      st.env = new Map(p.env);
      st.envUnknown = p.envUnknown;
      st.buildArgs = new Set(p.buildArgs);
      st.shellSet = p.shellSet;
      st.workdirSet = p.workdirSet;
    } else if (base.result === "scratch") st.env.set("PATH", DEFAULT_PATH);
    else {
      const known = this.opts.baseImageEnv?.[base.result];
      if (known) {
        for (const kv of known) {
          const eq = kv.indexOf("=");
          st.env.set(eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? "" : kv.slice(eq + 1));
        }
        if (!st.env.has("PATH")) st.env.set("PATH", DEFAULT_PATH);
      } else {
        st.env.set("PATH", UNKNOWN);
        st.envUnknown = true;
      }
    }
    st.lookup = new StageLookup(st);
    this.stages.push(st);
    if (st.name) this.byName.set(st.name, st);
    return st;
  }

  word(st: BkStage, role: WordRole, raw: string, skipQuotes = false): BkWord {
    const exp = skipQuotes
      ? expandWord(raw, st.lookup, "\\", true)
      : expandWord(raw, st.lookup, this.escape);
    let undef: UndefinedRef[] = NONE;
    if (exp.unmatched.length || exp.unknown.length) {
      undef = [];
      for (const n of exp.unmatched) addUndefined(undef, st, n, true);
      for (const n of exp.unknown) addUndefined(undef, st, n, false);
    }
    return { role, raw, result: exp.result, error: exp.error, undefined: undef };
  }

  /** Records the expansion of one word of `cmd`. */
  w(cmd: BkCommand, role: WordRole, raw: string, skipQuotes = false): BkWord {
    const word = this.word(cmd.stage, role, raw, skipQuotes);
    if (cmd.words === NO_WORDS) cmd.words = [];
    cmd.words.push(word);
    return word;
  }

  flag(cmd: BkCommand, name: string): void {
    for (const f of cmd.instr.flags)
      if (f.name === name) {
        if (f.value) this.w(cmd, "flag", f.value);
        return;
      }
  }

  dispatch(st: BkStage, i: Instruction): void {
    const cmd: BkCommand = {
      instr: i,
      stage: st,
      words: NO_WORDS,
      shellSet: st.shellSet,
      workdirSet: st.workdirSet,
      ports: NO_STRINGS,
      keys: NO_STRINGS,
      legacy: 0,
    };
    st.commands.push(cmd);
    this.commands.push(cmd);
    switch (i.keyword) {
      case "ENV": {
        // All words are expanded before any of the values is set.
        const kvs = keyValues(i.rest, this.escape);
        const vals: string[] = [];
        cmd.keys = [];
        for (const kv of kvs) {
          if (kv.noDelim) cmd.legacy++;
          cmd.keys.push(this.w(cmd, "env-key", kv.key).result);
          vals.push(this.w(cmd, "env-value", kv.value).result);
        }
        for (let k = 0; k < vals.length; k++) st.env.set(cmd.keys[k] as string, vals[k] as string);
        break;
      }
      case "LABEL":
        for (const kv of keyValues(i.rest, this.escape)) {
          if (kv.noDelim) cmd.legacy++;
          this.w(cmd, "label", kv.key);
          this.w(cmd, "label", kv.value);
        }
        break;
      case "ARG":
        cmd.keys = [];
        for (const { key, value } of argPairs(i.rest, this.escape)) {
          cmd.keys.push(key);
          let v: string | null = value;
          if (v !== null) v = this.w(cmd, "arg-value", v).result;
          else if (this.globalArgs.has(key)) v = this.globalArgs.get(key) as string;
          if (v !== null && !NON_ENV_ARGS.has(key)) st.env.set(key, v);
          st.buildArgs.add(key);
        }
        break;
      case "WORKDIR":
        this.w(cmd, "workdir", i.rest);
        st.workdirSet = true;
        break;
      case "COPY":
      case "ADD": {
        const heredocs = i.heredocs.length ? new Map(i.heredocs.map((h) => [h.marker, h])) : null;
        this.flag(cmd, "chown");
        this.flag(cmd, "chmod");
        if (i.keyword === "ADD") this.flag(cmd, "checksum");
        const parts = i.json ?? fields(i.rest);
        for (let k = 0; k < parts.length; k++) {
          const p = parts[k] as string;
          const isLast = k === parts.length - 1;
          const hd = p.startsWith("<<") ? HEREDOC_SOURCE.exec(p) : null;
          if (hd && !isLast && !i.json) {
            const h = heredocs?.get(hd[2] as string);
            if (h && !h.quoted) this.w(cmd, "heredoc", h.body, true);
            continue;
          }
          this.w(cmd, isLast ? "dest" : "source", p);
        }
        break;
      }
      case "RUN":
        for (const f of i.flags) {
          if (f.name !== "mount" || !f.value) continue;
          for (const field of csvFields(f.value)) {
            const eq = field.indexOf("=");
            if (eq >= 0) this.w(cmd, "mount", field.slice(eq + 1));
          }
        }
        break;
      case "USER":
        this.w(cmd, "user", i.rest);
        break;
      case "VOLUME":
        for (const v of i.json ?? fields(i.rest)) this.w(cmd, "volume", v);
        break;
      case "STOPSIGNAL":
        this.w(cmd, "stopsignal", i.rest);
        break;
      case "EXPOSE":
        cmd.ports = [];
        for (const p of fields(i.rest))
          for (const port of fields(expandWord(p, st.lookup, this.escape).result))
            cmd.ports.push(port);
        break;
      case "SHELL":
        if (i.json?.length) st.shellSet = true;
        break;
    }
  }
}

function stageName(args: string[]): string {
  return args.length === 3 && (args[1] as string).toLowerCase() === "as"
    ? (args[2] as string).toLowerCase()
    : "";
}

/**
 * The BuildKit model of a document. Not memoised here (a WeakMap keyed by documents keeps them
 * alive through young-generation GCs and slows garbage collection down): the rules keep it on
 * their RuleContext.
 */
export function buildkitModel(doc: Dockerfile, opts: ModelOptions = {}): BkModel {
  const b = new Builder(doc, opts);
  b.build();
  let comments: Map<Instruction, string[]> | null = null;
  const localCache = new Map<Instruction, CheckConfig | null>();
  const model: BkModel = {
    doc,
    escape: b.escape,
    globalArgs: b.globalArgs,
    declaredArgs: b.declaredArgs,
    stages: b.stages,
    commands: b.commands,
    local(instr) {
      const known = localCache.get(instr);
      if (known !== undefined) return known;
      comments ??= prevComments(doc);
      const c = comments.get(instr);
      const cfg = c ? checkConfigFromComments(c) : null;
      localCache.set(instr, cfg);
      return cfg;
    },
  };
  return model;
}
