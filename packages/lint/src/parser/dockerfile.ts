/**
 * Dockerfile parser.
 *
 * Why not dockerfile-ast: it is a well-kept parser, but (1) `dockerfile-utils`, one of the
 * linters we benchmark against, is built on it, so parsing with it alone already costs as much as
 * that whole linter and the 3x speed target is out of reach (measured: ~900 files/s for a bare
 * parse of the corpus), and (2) hadolint's results depend on details of its own parser
 * (language-docker) that dockerfile-ast models differently: how continuation lines are folded
 * into one line, that RUN heredocs replace the shell text, that exec-form arguments are joined
 * with spaces before the shell parser sees them, how FROM splits registry/name/tag/digest. This
 * parser is a single linear pass over the lines (no regex backtracking on long lines) that keeps
 * exactly the information the rules need and follows BuildKit's lexical rules: parser directives
 * (`# syntax=`, `# escape=`, `# check=`), either escape character, comment and blank lines inside
 * continuations, heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`) on RUN/COPY/ADD (also under ONBUILD), JSON
 * and shell forms, and leading `--flags`.
 */
import type { Directive, Dockerfile, Flag, Heredoc, Instruction, ParseProblem } from "./types.ts";

export const KNOWN_INSTRUCTIONS = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

const FLAG_INSTRUCTIONS = new Set(["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"]);
const HEREDOC_INSTRUCTIONS = new Set(["RUN", "COPY", "ADD"]);
const DIRECTIVE_NAMES = new Set(["syntax", "escape", "check"]);

/** JavaScript's `\s` for one character code. */
function isWs(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Index of the first `\s` character at or after `i` (or the length). */
function nextWs(s: string, i: number): number {
  while (i < s.length && !isWs(s.charCodeAt(i))) i++;
  return i;
}

/** Only `\s` characters (a line of non-breaking spaces, say). */
function isAllWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isWs(s.charCodeAt(i))) return false;
  return true;
}

/** Whether `toUpperCase` could change `s` (any a-z or non-ASCII character). */
function hasLowerAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127) return true;
  }
  return false;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}

function leadingWs(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index of the escape character that continues the line, or -1. */
function continuationIndex(line: string, esc: string): number {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t" || line[end - 1] === "\r"))
    end--;
  if (end > 0 && line[end - 1] === esc) return end - 1;
  return -1;
}

function parseDirective(line: string): { name: string; value: string } | null {
  let i = leadingWs(line);
  if (line[i] !== "#") return null;
  i++;
  while (line[i] === " " || line[i] === "\t") i++;
  const start = i;
  while (i < line.length && /[A-Za-z0-9_-]/.test(line[i] ?? "")) i++;
  const name = line.slice(start, i).toLowerCase();
  if (!name) return null;
  while (line[i] === " " || line[i] === "\t") i++;
  if (line[i] !== "=") return null;
  return { name, value: line.slice(i + 1).trim() };
}

/** Heredoc markers in an instruction line, outside quotes. */
export function findHeredocMarkers(
  text: string,
): { marker: string; stripTabs: boolean; quoted: boolean; index: number }[] {
  const out: { marker: string; stripTabs: boolean; quoted: boolean; index: number }[] = [];
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c !== "<" || text[i + 1] !== "<" || text[i + 2] === "<" || text[i - 1] === "<") continue;
    let j = i + 2;
    let stripTabs = false;
    if (text[j] === "-") {
      stripTabs = true;
      j++;
    }
    const q = text[j];
    if (q === '"' || q === "'") {
      const close = text.indexOf(q, j + 1);
      if (close > j + 1) {
        out.push({ marker: text.slice(j + 1, close), stripTabs, quoted: true, index: i });
        i = close;
      }
      continue;
    }
    const start = j;
    if (!/[A-Za-z_]/.test(text[j] ?? "")) continue;
    while (j < text.length && !/[\s<>|;&()'"]/.test(text[j] ?? "")) j++;
    out.push({ marker: text.slice(start, j), stripTabs, quoted: false, index: i });
    i = j - 1;
  }
  return out;
}

function splitFlags(text: string, allowFlags: boolean): { flags: Flag[]; rest: string } {
  let flags: Flag[] = NO_FLAGS;
  let i = leadingWs(text);
  if (allowFlags) {
    while (text.startsWith("--", i) && i + 2 < text.length && !isWs(text.charCodeAt(i + 2))) {
      let j = i + 2;
      let quote = "";
      while (j < text.length) {
        const c = text[j];
        if (quote) {
          if (c === quote) quote = "";
        } else if (c === '"' || c === "'") quote = c;
        else if (c === " " || c === "\t") break;
        j++;
      }
      const tok = text.slice(i + 2, j);
      const eq = tok.indexOf("=");
      if (flags === NO_FLAGS) flags = [];
      flags.push(
        eq < 0 ? { name: tok, value: null } : { name: tok.slice(0, eq), value: tok.slice(eq + 1) },
      );
      i = j;
      while (text[i] === " " || text[i] === "\t") i++;
    }
  }
  return { flags, rest: text.slice(i).trimEnd() };
}

function parseJsonArray(rest: string): string[] | null {
  const t = rest.trim();
  if (!t.startsWith("[") || !t.endsWith("]")) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    return null;
  }
  return null;
}

/** Builds an instruction from `KEYWORD rest` text (used for ONBUILD's inner instruction too). */
function buildInstruction(
  logical: string,
  range: Instruction["range"],
  heredocs: Heredoc[],
  problems: ParseProblem[] | null,
): Instruction {
  const ws = leadingWs(logical);
  const k = nextWs(logical, ws);
  const rawKeyword = logical.slice(ws, k);
  const keyword = hasLowerAscii(rawKeyword) ? rawKeyword.toUpperCase() : rawKeyword;
  const text = logical.slice(k).trim();
  if (problems && !KNOWN_INSTRUCTIONS.has(keyword)) {
    problems.push({
      line: range.line,
      column: range.column,
      message: `unknown instruction: ${rawKeyword.length > 40 ? `${rawKeyword.slice(0, 40)}...` : rawKeyword}`,
    });
  }
  const { flags, rest } = splitFlags(text, FLAG_INSTRUCTIONS.has(keyword));
  const instr: Instruction = {
    keyword,
    rawKeyword,
    range,
    text,
    flags,
    rest,
    json: null,
    heredocs,
    inner: null,
    memo: null,
  };
  if (keyword === "ONBUILD") {
    instr.inner = buildInstruction(text, range, heredocs, null);
  } else if (
    keyword === "RUN" ||
    keyword === "CMD" ||
    keyword === "ENTRYPOINT" ||
    keyword === "SHELL" ||
    keyword === "COPY" ||
    keyword === "ADD" ||
    keyword === "VOLUME"
  ) {
    instr.json = parseJsonArray(rest);
  } else if (keyword === "HEALTHCHECK") {
    const m = /^CMD\s+/i.exec(rest);
    if (m) instr.json = parseJsonArray(rest.slice(m[0].length));
  }
  return instr;
}

const NO_HEREDOCS: Heredoc[] = [];
const NO_FLAGS: Flag[] = [];

/** The instruction keyword (upper case) that decides about heredocs; ONBUILD's inner one. */
function heredocKeyword(line: string, ws: number, logical: string): string {
  const kwEnd = nextWs(line, ws);
  const kw = line.slice(ws, kwEnd).toUpperCase();
  if (kw !== "ONBUILD") return kw;
  const rest = logical.slice(kwEnd);
  let a = 0;
  while (a < rest.length && isWs(rest.charCodeAt(a))) a++;
  return rest.slice(a, nextWs(rest, a)).toUpperCase();
}

/** Parses Dockerfile text. Never throws; problems are reported in `problems`. */
export function parseDockerfile(source: string): Dockerfile {
  let text = source;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const problems: ParseProblem[] = [];
  const nul = text.indexOf("\u0000");
  if (nul >= 0) {
    const line = text.slice(0, nul).split("\n").length;
    problems.push({ line, column: 1, message: "file looks binary (contains NUL bytes)" });
    return {
      instructions: [],
      directives: [],
      escape: "\\",
      lines: [],
      problems,
      emptyContinuations: [],
    };
  }
  const lines = text.split("\n");
  if (text.includes("\r"))
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
    }
  const directives: Directive[] = [];
  const emptyContinuations: number[] = [];
  // The element after a final newline is not a line.
  const realLines = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  const instructions: Instruction[] = [];
  let escapeChar = "\\";

  // Parser directives: leading `# name=value` comments, before any blank line or instruction.
  let i = 0;
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const d = parseDirective(lines[i] as string);
    if (!d || !DIRECTIVE_NAMES.has(d.name) || seen.has(d.name)) break;
    seen.add(d.name);
    directives.push({ name: d.name, value: d.value, line: i + 1 });
    if (d.name === "escape" && (d.value === "`" || d.value === "\\")) escapeChar = d.value;
  }
  const directiveLines = i;
  i = 0;

  while (i < lines.length) {
    const line = lines[i] as string;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const ws = leadingWs(line);
    const range = { line: i + 1, column: ws + 1, endLine: i + 1, endColumn: line.length + 1 };
    if (line.charCodeAt(ws) === 35) {
      const isDirective = i < directiveLines;
      const text = line.slice(ws + 1);
      instructions.push({
        keyword: isDirective ? "DIRECTIVE" : "COMMENT",
        rawKeyword: "#",
        range,
        text,
        flags: NO_FLAGS,
        rest: text,
        json: null,
        heredocs: NO_HEREDOCS,
        inner: null,
        memo: null,
      });
      i++;
      continue;
    }
    // Join continuation lines.
    let logical = "";
    let cur = line;
    let last = i;
    let emptyContinuation = false;
    for (;;) {
      const ci = continuationIndex(cur, escapeChar);
      if (ci < 0) {
        logical += cur;
        break;
      }
      logical += cur.slice(0, ci);
      let j = last + 1;
      while (j < lines.length) {
        const l = lines[j] as string;
        if (isBlank(l)) {
          if (j < realLines) emptyContinuation = true;
          j++;
          continue;
        }
        const lw = leadingWs(l);
        if (l[lw] === "#") {
          j++;
          continue;
        }
        break;
      }
      if (j >= lines.length) {
        last = lines.length - 1;
        break;
      }
      const next = lines[j] as string;
      // A line of other Unicode whitespace is content here, but blank for the BuildKit check.
      if (!emptyContinuation && isAllWs(next)) emptyContinuation = true;
      const lw = leadingWs(next);
      if (lw > 0) logical += " ";
      cur = next.slice(lw);
      last = j;
    }
    if (emptyContinuation) emptyContinuations.push(Math.min(last + 1, realLines));
    // Heredocs.
    let heredocs: Heredoc[] = NO_HEREDOCS;
    if (logical.includes("<<") && HEREDOC_INSTRUCTIONS.has(heredocKeyword(line, ws, logical))) {
      for (const m of findHeredocMarkers(logical)) {
        const bodyLines: string[] = [];
        let j = last + 1;
        let terminated = false;
        while (j < lines.length) {
          let l = lines[j] as string;
          if (m.stripTabs) l = l.replace(/^\t+/, "");
          if (l === m.marker) {
            terminated = true;
            break;
          }
          bodyLines.push(l);
          j++;
        }
        if (heredocs === NO_HEREDOCS) heredocs = [];
        heredocs.push({
          marker: m.marker,
          stripTabs: m.stripTabs,
          quoted: m.quoted,
          body: bodyLines.join("\n"),
          line: last + 2,
          terminated,
        });
        if (!terminated) {
          problems.push({
            line: i + 1,
            column: ws + 1,
            message: `unterminated heredoc: no line "${m.marker}" before the end of the file`,
          });
          last = lines.length - 1;
          break;
        }
        last = j;
      }
    }
    range.endLine = last + 1;
    range.endColumn = (lines[last] ?? "").length + 1;
    instructions.push(buildInstruction(logical, range, heredocs, problems));
    i = last + 1;
  }
  return { instructions, directives, escape: escapeChar, lines, problems, emptyContinuations };
}
