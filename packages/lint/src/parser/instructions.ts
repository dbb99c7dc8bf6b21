/** Typed views of single instructions, following the field splits hadolint's parser makes. */
import { type ParsedShell, parseShell } from "./shell.ts";
import type { Instruction } from "./types.ts";

export interface BaseImage {
  registry: string | null;
  /** Image name without registry, e.g. `library/ubuntu`. */
  name: string;
  tag: string | null;
  digest: string | null;
  alias: string | null;
  platform: string | null;
}

/**
 * Derived views of one instruction, computed on first use and shared by every rule that asks:
 * rules ask for the same parse of the same instruction many times (17 rules read FROM, 34 the RUN
 * shell). A class with every slot declared, so all memo objects share one shape.
 */
export class Memo {
  [key: string]: unknown;
  from: BaseImage | undefined = undefined;
  pairs: [string, string][] | undefined = undefined;
  arg: { name: string; value: string | null } | undefined = undefined;
  args: { name: string; value: string | null }[] | undefined = undefined;
  copy: CopyArgs | undefined = undefined;
  mounts: Mount[] | undefined = undefined;
  shell: ParsedShell | undefined = undefined;
  installers: unknown = undefined;
}

/** The memo of an instruction (created on first use). */
export function memoOf(instr: Instruction): Memo {
  instr.memo ??= new Memo();
  return instr.memo as Memo;
}

/** Index of the first char in `chars` outside `${...}`, or -1. */
function indexOutsideExpansion(s: string, chars: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (c === "}" && depth > 0) depth--;
    else if (depth === 0 && chars.includes(c)) return i;
  }
  return -1;
}

export function parseFrom(instr: Instruction): BaseImage {
  const m = memoOf(instr);
  m.from ??= computeFrom(instr);
  return m.from;
}

function computeFrom(instr: Instruction): BaseImage {
  const platformFlag = instr.flags.find((f) => f.name === "platform");
  const toks = instr.rest.split(/\s+/).filter(Boolean);
  let ref = toks[0] ?? "";
  const alias = toks.length >= 3 && toks[1]?.toUpperCase() === "AS" ? (toks[2] ?? null) : null;
  let registry: string | null = null;
  const dot = indexOutsideExpansion(ref, ".");
  if (dot > 0) {
    const slash = ref.indexOf("/", dot + 1);
    if (slash > dot + 1) {
      registry = ref.slice(0, slash);
      ref = ref.slice(slash + 1);
    }
  }
  let name = ref;
  let tag: string | null = null;
  let digest: string | null = null;
  const at = indexOutsideExpansion(ref, "@");
  if (at >= 0) {
    digest = ref.slice(at + 1);
    name = ref.slice(0, at);
  }
  const colon = indexOutsideExpansion(name, ":");
  if (colon >= 0) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  return {
    registry,
    name,
    tag,
    digest,
    alias,
    platform: platformFlag ? (platformFlag.value ?? "") : null,
  };
}

/** Reads one key or value of ENV/LABEL: quoted parts are unquoted and concatenated. */
function readValue(s: string, pos: number, stopAtEq: boolean, esc: string): [string, number] {
  let out = "";
  let i = pos;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '"' || c === "'") {
      i++;
      while (i < s.length && s[i] !== c) {
        if (s[i] === esc && s[i + 1] === c) {
          out += c;
          i += 2;
          continue;
        }
        out += s[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === " " || c === "\t" || (stopAtEq && c === "=")) break;
    if (c === esc && (s[i + 1] === " " || s[i + 1] === '"' || s[i + 1] === "'")) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return [out, i];
}

/** Key/value pairs of ENV and LABEL (`k=v k2="v 2"` or the legacy `k v`). */
export function parsePairs(instr: Instruction, esc = "\\"): [string, string][] {
  if (esc !== "\\") return computePairs(instr, esc);
  const m = memoOf(instr);
  m.pairs ??= computePairs(instr);
  return m.pairs;
}

function computePairs(instr: Instruction, esc = "\\"): [string, string][] {
  const s = instr.rest;
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === " " || s[i] === "\t") i++;
    if (i >= s.length) break;
    const [key, j] = readValue(s, i, true, esc);
    i = j;
    if (s[i] === "=") {
      const [value, k] = readValue(s, i + 1, false, esc);
      pairs.push([key, value]);
      i = k;
    } else {
      pairs.push([key, s.slice(i).trim()]);
      break;
    }
  }
  return pairs;
}

export function parseArg(instr: Instruction): { name: string; value: string | null } {
  const m = memoOf(instr);
  m.arg ??= computeArg(instr);
  return m.arg;
}

function computeArg(instr: Instruction): { name: string; value: string | null } {
  const s = instr.rest;
  const eq = s.indexOf("=");
  const ws = s.search(/\s/);
  if (eq > 0 && (ws < 0 || eq < ws)) return { name: s.slice(0, eq), value: s.slice(eq + 1) };
  return { name: ws < 0 ? s : s.slice(0, ws), value: null };
}

/** All `ARG` names declared by one instruction (BuildKit allows `ARG a b=1`). */
export function parseArgs(instr: Instruction): { name: string; value: string | null }[] {
  const m = memoOf(instr);
  m.args ??= computeArgs(instr);
  return m.args;
}

function computeArgs(instr: Instruction): { name: string; value: string | null }[] {
  const out: { name: string; value: string | null }[] = [];
  for (const [k, v] of parsePairsLoose(instr.rest)) out.push({ name: k, value: v });
  return out;
}

function parsePairsLoose(s: string): [string, string | null][] {
  const out: [string, string | null][] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === " " || s[i] === "\t") i++;
    if (i >= s.length) break;
    const [key, j] = readValue(s, i, true, "\\");
    i = j;
    if (s[i] === "=") {
      const [value, k] = readValue(s, i + 1, false, "\\");
      out.push([key, value]);
      i = k;
    } else out.push([key, null]);
  }
  return out;
}

export interface PortSpec {
  raw: string;
  /** null when the port is a variable. */
  start: number | null;
  end: number | null;
  protocol: string | null;
}

export function parsePorts(instr: Instruction): PortSpec[] {
  return instr.rest
    .split(/\s+/)
    .filter(Boolean)
    .map((raw) => {
      const slash = raw.indexOf("/");
      const portPart = slash >= 0 ? raw.slice(0, slash) : raw;
      const protocol = slash >= 0 ? raw.slice(slash + 1) : null;
      const m = /^(\d+)(?:-(\d+))?$/.exec(portPart);
      if (!m) return { raw, start: null, end: null, protocol };
      const start = Number(m[1]);
      return { raw, start, end: m[2] !== undefined ? Number(m[2]) : start, protocol };
    });
}

export interface CopyArgs {
  sources: string[];
  target: string;
  from: string | null;
  heredoc: boolean;
}

/** Sources and target of COPY/ADD. Quotes are kept (hadolint's rules strip them themselves). */
export function parseCopy(instr: Instruction): CopyArgs {
  const m = memoOf(instr);
  m.copy ??= computeCopy(instr);
  return m.copy;
}

function computeCopy(instr: Instruction): CopyArgs {
  const from = instr.flags.find((f) => f.name === "from");
  let parts: string[];
  if (instr.json) parts = instr.json;
  else if (instr.heredocs.length && instr.rest.trimStart().startsWith("<<")) {
    const toks = instr.rest.split(/\s+/).filter(Boolean);
    return {
      sources: toks.filter((t) => t.startsWith("<<")),
      target: toks.filter((t) => !t.startsWith("<<")).join(" "),
      from: from ? (from.value ?? "") : null,
      heredoc: true,
    };
  } else parts = instr.rest.split(/\s+/).filter(Boolean);
  return {
    sources: parts.slice(0, -1),
    target: parts[parts.length - 1] ?? "",
    from: from ? (from.value ?? "") : null,
    heredoc: false,
  };
}

export interface Mount {
  type: string;
  target: string;
  from: string | null;
  source: string | null;
  id: string | null;
}

export function parseMounts(instr: Instruction): Mount[] {
  const m = memoOf(instr);
  m.mounts ??= computeMounts(instr);
  return m.mounts;
}

function computeMounts(instr: Instruction): Mount[] {
  const out: Mount[] = [];
  for (const f of instr.flags) {
    if (f.name !== "mount" || f.value === null) continue;
    const m: Mount = { type: "bind", target: "", from: null, source: null, id: null };
    for (const kv of f.value.split(",")) {
      const eq = kv.indexOf("=");
      const k = (eq < 0 ? kv : kv.slice(0, eq)).trim().toLowerCase();
      const v = eq < 0 ? "" : kv.slice(eq + 1).replace(/^"|"$/g, "");
      if (k === "type") m.type = v;
      else if (k === "target" || k === "dst" || k === "destination") m.target = v;
      else if (k === "from") m.from = v;
      else if (k === "source" || k === "src") m.source = v;
      else if (k === "id") m.id = v;
    }
    out.push(m);
  }
  return out;
}

export function hasCacheOrTmpfsMountWith(instr: Instruction, fragment: string): boolean {
  return parseMounts(instr).some(
    (m) => (m.type === "cache" || m.type === "tmpfs") && m.target.includes(fragment),
  );
}

/**
 * The shell text hadolint analyses for a RUN: exec-form arguments joined with spaces; for
 * `RUN <<EOF` the heredoc body; for `RUN cmd <<EOF` only the text before the heredoc.
 */
export function runScriptText(instr: Instruction): string {
  if (instr.json) return instr.json.join(" ");
  const rest = instr.rest;
  if (instr.heredocs.length) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith("<<")) return (instr.heredocs[0]?.body ?? "").trim();
    const idx = rest.indexOf("<<");
    if (idx >= 0) return rest.slice(0, idx).trim();
  }
  return rest;
}

export function runShell(instr: Instruction): ParsedShell {
  const m = memoOf(instr);
  m.shell ??= computeShell(instr);
  return m.shell;
}

function computeShell(instr: Instruction): ParsedShell {
  return parseShell(runScriptText(instr));
}

/** Strips one pair of surrounding quotes (either kind, like hadolint's dropQuotes strips all). */
export function dropQuotes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === '"' || s[a] === "'")) a++;
  while (b > a && (s[b - 1] === '"' || s[b - 1] === "'")) b--;
  return s.slice(a, b);
}
