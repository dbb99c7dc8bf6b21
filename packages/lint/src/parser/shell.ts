/**
 * A small POSIX/bash shell reader for RUN instructions.
 *
 * Why not sh-syntax (mvdan/sh as WASM): its API is asynchronous (the WASM module returns
 * Promises), while `lint()` is a pure synchronous function, and a call into WASM per RUN costs
 * more than the whole lint of a typical instruction. Rules only need the list of simple commands
 * (name, arguments, flags) in source order and whether a pipe occurs, which this reader provides
 * in one linear pass. It understands quoting, escapes, `$VAR`/`${...}`/`$(...)`/backticks
 * (commands inside substitutions are listed too, after the command that contains them), `&&`,
 * `||`, `;`, `|`, `&`, subshells, brace groups, if/while/until/for/case, function definitions,
 * redirections (their targets are not arguments) and heredocs inside the script.
 *
 * Argument text follows hadolint's simplification of ShellCheck words: quotes are removed,
 * `$VAR` becomes `${VAR}`, `$(cmd)` becomes `${cmd}` with spaces removed, and backticks and
 * arithmetic become `${VAR}`.
 */

export interface ShellCommand {
  name: string;
  /** Arguments after the command name, simplified. */
  args: string[];
  /** Flags parsed from the arguments the way hadolint does (`-abc` gives a, b, c). */
  flags: { flag: string; index: number }[];
}

export interface ParsedShell {
  original: string;
  commands: ShellCommand[];
  hasPipes: boolean;
}

// Character codes used by the lexer (it scans with charCodeAt: no one-character strings).
const SPACE = 32;
const TAB = 9;
const CR = 13;
const NL = 10;
const BACKSLASH = 92;
const SQUOTE = 39;
const DQUOTE = 34;
const DOLLAR = 36;
const BACKTICK = 96;
const HASH = 35;
const LT = 60;
const GT = 62;
const AMP = 38;
const PIPE = 124;
const SEMI = 59;
const LPAREN = 40;
const RPAREN = 41;
const LBRACE = 123;
const RBRACE = 125;
const DASH = 45;

/** Operator characters: ; & | ( ) < > */
function isOperator(c: number): boolean {
  return (
    c === SEMI || c === AMP || c === PIPE || c === LPAREN || c === RPAREN || c === LT || c === GT
  );
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

/**
 * A run of plain word characters: none of blanks, operators, quotes, escapes, expansions. Used
 * with `lastIndex` (sticky): the regex engine scans faster than a loop over character codes.
 */
const PLAIN_RUN = /[^ \t\r\n;&|()<>\\'"$`]*/y;

/** Index just after the `)` that closes a `$(` or `(` opened before `i`. */
function skipParens(s: string, i: number): number {
  let depth = 1;
  let quote = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === BACKSLASH && quote === DQUOTE) i++;
    } else if (c === BACKSLASH) i++;
    else if (c === SQUOTE || c === DQUOTE || c === BACKTICK) quote = c;
    else if (c === LPAREN) depth++;
    else if (c === RPAREN) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return n;
}

function skipBraces(s: string, i: number): number {
  let depth = 1;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return n;
}

/** `$@ $* $# $? $$ $! $-` */
function isSpecialParam(c: number): boolean {
  return c === 64 || c === 42 || c === HASH || c === 63 || c === DOLLAR || c === 33 || c === DASH;
}

const WS_RUN = /\s+/g;

class Lexer {
  i = 0;
  pendingHeredocs: { marker: string; strip: boolean }[] = [];
  constructor(readonly s: string) {}

  /** Reads a `$` expansion at `this.i` (pointing at `$`), returns its simplified text. */
  dollar(): string {
    const s = this.s;
    const n = s.charCodeAt(this.i + 1);
    if (n === LPAREN && s.charCodeAt(this.i + 2) === LPAREN) {
      this.i = skipParens(s, this.i + 2);
      if (s.charCodeAt(this.i) === RPAREN) this.i++;
      return "${VAR}";
    }
    if (n === LPAREN) {
      const start = this.i + 2;
      this.i = skipParens(s, start);
      const inner = s.slice(start, this.i - 1);
      this.sub(inner);
      return `\${${inner.replace(WS_RUN, "")}}`;
    }
    if (n === LBRACE) {
      const start = this.i + 2;
      this.i = skipBraces(s, start);
      return `\${${s.slice(start, this.i - 1)}}`;
    }
    if (n === SQUOTE) {
      const end = s.indexOf("'", this.i + 2);
      const e = end < 0 ? s.length : end;
      const v = s.slice(this.i + 2, e);
      this.i = e + 1;
      return v;
    }
    if (isNameStart(n)) {
      let j = this.i + 1;
      while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
      const v = `\${${s.slice(this.i + 1, j)}}`;
      this.i = j;
      return v;
    }
    if (isDigit(n) || isSpecialParam(n)) {
      this.i += 2;
      return `\${${s[this.i - 1]}}`;
    }
    this.i++;
    return "$";
  }

  backtick(): string {
    const s = this.s;
    let j = this.i + 1;
    while (j < s.length && s.charCodeAt(j) !== BACKTICK) {
      if (s.charCodeAt(j) === BACKSLASH) j++;
      j++;
    }
    this.sub(s.slice(this.i + 1, j).replace(/\\`/g, "`"));
    this.i = j + 1;
    return "${VAR}";
  }

  doubleQuoted(): string {
    const s = this.s;
    const n = s.length;
    this.i++;
    let out = "";
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (c === DQUOTE) {
        this.i++;
        return out;
      }
      if (c === BACKSLASH) {
        const next = s.charCodeAt(this.i + 1);
        if (next === NL) {
          this.i += 2;
          continue;
        }
        if (next === DQUOTE || next === BACKSLASH || next === DOLLAR || next === BACKTICK) {
          out += s[this.i + 1];
          this.i += 2;
          continue;
        }
        out += "\\";
        this.i++;
        continue;
      }
      if (c === DOLLAR) {
        out += this.dollar();
        continue;
      }
      if (c === BACKTICK) {
        out += this.backtick();
        continue;
      }
      let j = this.i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d === DQUOTE || d === BACKSLASH || d === DOLLAR || d === BACKTICK) break;
        j++;
      }
      out += s.slice(this.i, j);
      this.i = j;
    }
    return out;
  }

  /** Command substitutions met by `word()` (null when none); reset by `word()`. */
  subs: string[] | null = null;

  /** Reads a word; its command substitutions are left in `this.subs`. */
  word(): string {
    const s = this.s;
    const n = s.length;
    let out = "";
    this.subs = null;
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (c === SPACE || c === TAB || c === CR || c === NL || isOperator(c)) break;
      if (c === BACKSLASH) {
        if (this.i + 1 < n && s.charCodeAt(this.i + 1) !== NL) out += s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === SQUOTE) {
        const end = s.indexOf("'", this.i + 1);
        const e = end < 0 ? n : end;
        out += s.slice(this.i + 1, e);
        this.i = e + 1;
        continue;
      }
      if (c === DQUOTE) {
        out += this.doubleQuoted();
        continue;
      }
      if (c === DOLLAR) {
        out += this.dollar();
        continue;
      }
      if (c === BACKTICK) {
        out += this.backtick();
        continue;
      }
      // The rest of the plain run, found by the regex engine (faster than a loop here).
      PLAIN_RUN.lastIndex = this.i + 1;
      PLAIN_RUN.test(s);
      const j = PLAIN_RUN.lastIndex;
      out += s.slice(this.i, j);
      this.i = j;
    }
    return out;
  }

  /** Where `dollar`/`backtick` record a command substitution. */
  sub(text: string): void {
    if (this.subs) this.subs.push(text);
    else this.subs = [text];
  }

  readHeredocBodies(): void {
    const s = this.s;
    for (const h of this.pendingHeredocs) {
      while (this.i < s.length) {
        let end = s.indexOf("\n", this.i);
        if (end < 0) end = s.length;
        let line = s.slice(this.i, end);
        this.i = end + 1;
        if (h.strip) line = line.replace(/^\t+/, "");
        if (line.trimEnd() === h.marker) break;
      }
    }
    this.pendingHeredocs = [];
  }

  redirectTarget(op: string): string {
    const s = this.s;
    while (isSpace(s.charCodeAt(this.i))) this.i++;
    const c = s.charCodeAt(this.i);
    if (this.i >= s.length || c === NL || (isOperator(c) && c !== LPAREN)) return "";
    const w = this.word();
    if (op === "<<" || op === "<<-") this.pendingHeredocs.push({ marker: w, strip: op === "<<-" });
    return w;
  }

  /** The redirection operator at `this.i` (which is at `<`, `>` or `&>`). */
  redirOp(c: number): string {
    const s = this.s;
    const c1 = s.charCodeAt(this.i + 1);
    const c2 = s.charCodeAt(this.i + 2);
    if (c === LT) {
      if (c1 === LT) return c2 === LT ? "<<<" : c2 === DASH ? "<<-" : "<<";
      if (c1 === GT) return "<>";
      if (c1 === AMP) return "<&";
      return "<";
    }
    if (c === GT) {
      if (c1 === GT) return ">>";
      if (c1 === AMP) return ">&";
      if (c1 === PIPE) return ">|";
      return ">";
    }
    // `&>` or `&>>`
    return c2 === GT ? "&>>" : "&>";
  }

  /** Kind of the last token read by `next()`: 0 end, 1 word, 2 operator, 3 redirection. */
  kind = 0;
  /** Text of the last token (word text after simplification, or the operator). */
  tv = "";
  /** Command substitutions inside the last word token, or null. */
  tsubs: string[] | null = null;

  /** Reads the next token into kind/tv/tsubs and returns its kind. */
  next(): number {
    const s = this.s;
    const n = s.length;
    while (this.i < n) {
      const c = s.charCodeAt(this.i);
      if (c === SPACE || c === TAB || c === CR) {
        this.i++;
        continue;
      }
      if (c === BACKSLASH && s.charCodeAt(this.i + 1) === NL) {
        this.i += 2;
        continue;
      }
      if (c === NL) {
        this.i++;
        if (this.pendingHeredocs.length) this.readHeredocBodies();
        return this.op(";");
      }
      if (c === HASH) {
        const end = s.indexOf("\n", this.i);
        this.i = end < 0 ? n : end;
        continue;
      }
      const c1 = s.charCodeAt(this.i + 1);
      if (c === LT || c === GT || (c === AMP && c1 === GT)) {
        const op = this.redirOp(c);
        this.i += op.length;
        if (op === "<&" || op === ">&") {
          // fd duplication: `2>&1`, `>&-`
          let j = this.i;
          while (j < n) {
            const d = s.charCodeAt(j);
            if (!isDigit(d) && d !== DASH) break;
            j++;
          }
          if (j > this.i) {
            this.i = j;
            return this.redir(op);
          }
        }
        this.redirectTarget(op);
        return this.redir(op);
      }
      if (c === LPAREN && c1 === LPAREN) {
        // arithmetic command `(( ... ))` where a command can start
        if (this.kind === 0 || this.kind === 2) {
          this.i = skipParens(s, this.i + 2);
          if (s.charCodeAt(this.i) === RPAREN) this.i++;
          continue;
        }
      }
      if (isOperator(c)) {
        let op: string;
        if (c === AMP && c1 === AMP) op = "&&";
        else if (c === PIPE && c1 === PIPE) op = "||";
        else if (c === SEMI && c1 === SEMI) op = ";;";
        else if (c === SEMI && c1 === AMP) op = ";&";
        else if (c === PIPE && c1 === AMP) op = "|&";
        else op = s[this.i] as string;
        this.i += op.length;
        return this.op(op);
      }
      // fd-prefixed redirection such as `2>file`
      if (isDigit(c)) {
        let j = this.i;
        while (j < n && isDigit(s.charCodeAt(j))) j++;
        const d = s.charCodeAt(j);
        if (d === LT || d === GT) {
          this.i = j;
          continue;
        }
      }
      this.tv = this.word();
      this.kind = 1;
      this.tsubs = this.subs;
      return 1;
    }
    this.kind = 0;
    return 0;
  }

  op(v: string): number {
    this.kind = 2;
    this.tv = v;
    this.tsubs = null;
    return 2;
  }

  redir(v: string): number {
    this.kind = 3;
    this.tv = v;
    this.tsubs = null;
    return 3;
  }

  /** Whether the next token is the operator `)` (used for `name() { ... }`), without reading it. */
  nextIsCloseParen(): boolean {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR) i++;
      else if (c === BACKSLASH && s.charCodeAt(i + 1) === NL) i += 2;
      else return c === RPAREN;
    }
    return false;
  }
}

/** Reserved words and grouping tokens skipped where a command name would be. */
function isSkippedAtCommandStart(v: string): boolean {
  switch (v) {
    case "if":
    case "then":
    case "else":
    case "elif":
    case "fi":
    case "do":
    case "done":
    case "while":
    case "until":
    case "!":
    case "{":
    case "}":
    case "esac":
    case "time":
      return true;
    default:
      return false;
  }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

const NO_FLAGS: { flag: string; index: number }[] = [];

/** A simple command; its flags are worked out when first asked for (most never are). */
class Command implements ShellCommand {
  args: string[] = [];
  private parsedFlags: { flag: string; index: number }[] | null = null;
  constructor(public name: string) {}
  get flags(): { flag: string; index: number }[] {
    this.parsedFlags ??= commandFlags(this.args);
    return this.parsedFlags;
  }
  toJSON() {
    return { name: this.name, args: this.args, flags: this.flags };
  }
}

export function commandFlags(args: readonly string[]): { flag: string; index: number }[] {
  let flags: { flag: string; index: number }[] | null = null;
  for (let index = 0; index < args.length; index++) {
    const a = args[index] as string;
    if (a.charCodeAt(0) !== DASH || a === "--" || a === "-") continue;
    flags ??= [];
    if (a.charCodeAt(1) === DASH) {
      const eq = a.indexOf("=");
      flags.push({ flag: eq < 0 ? a.slice(2) : a.slice(2, eq), index });
    } else {
      // One flag per code point, like `for (const ch of ...)`.
      for (let j = 1; j < a.length; j++) {
        const c = a.charCodeAt(j);
        if (c >= 0xd800 && c <= 0xdbff && j + 1 < a.length) {
          const d = a.charCodeAt(j + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            flags.push({ flag: a.slice(j, j + 2), index });
            j++;
            continue;
          }
        }
        flags.push({ flag: a[j] as string, index });
      }
    }
  }
  return flags ?? NO_FLAGS;
}

function collect(script: string, out: ShellCommand[], depth: number): boolean {
  const lx = new Lexer(script);
  let hasPipes = false;
  let cur: ShellCommand | null = null;
  let mode: "normal" | "skipToOp" | "casePattern" | "caseWord" | "caseIn" | "dbracket" = "normal";
  // (No inner closures here: this runs for every RUN, and tsx names each closure it creates.)
  for (let kind = lx.next(); kind !== 0; kind = lx.next()) {
    if (kind === 3) continue;
    const v = lx.tv;
    if (kind === 2) {
      if (v === "|" || v === "|&") hasPipes = true;
      if (mode === "casePattern") {
        if (v === ")") mode = "normal";
        continue;
      }
      if (mode === "skipToOp" || mode === "caseWord" || mode === "caseIn") {
        if (v === ";" || v === "&&" || v === "||") mode = "normal";
        if (mode !== "normal") continue;
      }
      if (v === "(" && cur !== null) {
        const c: ShellCommand = cur;
        // function definition `name() { ... }`
        if (c.args.length === 0 && lx.nextIsCloseParen()) {
          out.splice(out.indexOf(c), 1);
          cur = null;
          lx.next();
          continue;
        }
      }
      cur = null;
      if (v === ";;" || v === ";&") mode = "casePattern";
      continue;
    }
    const subs = lx.tsubs;
    if (subs && depth <= 20)
      for (const sub of subs) if (collect(sub, out, depth + 1)) hasPipes = true;
    if (mode === "casePattern") {
      if (v === "esac") mode = "normal";
      continue;
    }
    if (mode === "dbracket") {
      if (v === "]]") mode = "normal";
      continue;
    }
    if (mode === "skipToOp") {
      if (v === "do") mode = "normal";
      continue;
    }
    if (mode === "caseWord") {
      mode = "caseIn";
      continue;
    }
    if (mode === "caseIn") {
      if (v === "in") mode = "casePattern";
      continue;
    }
    if (cur === null) {
      if (isSkippedAtCommandStart(v)) continue;
      if (v === "for" || v === "select" || v === "function") {
        mode = "skipToOp";
        continue;
      }
      if (v === "case") {
        mode = "caseWord";
        continue;
      }
      if (v === "[[") {
        mode = "dbracket";
        continue;
      }
      if (v.includes("=") && ASSIGNMENT.test(v)) continue;
      const c: ShellCommand = new Command(v);
      out.push(c);
      cur = c;
      continue;
    }
    (cur as ShellCommand).args.push(v);
  }
  return hasPipes;
}

/**
 * Parses a shell script into its simple commands. Not cached here: the rules get each RUN's parse
 * from `runShell`, which memoises it on the instruction.
 */
export function parseShell(script: string): ParsedShell {
  const commands: ShellCommand[] = [];
  const hasPipes = collect(script, commands, 0);
  return { original: script, commands, hasPipes };
}

// ---- helpers mirroring the command queries hadolint's rules use ----

export function cmdHasArgs(
  cmd: ShellCommand,
  names: string | readonly string[],
  args: readonly string[],
): boolean {
  const ok = typeof names === "string" ? cmd.name === names : names.includes(cmd.name);
  return ok && cmd.args.some((a) => args.includes(a));
}

export function hasFlag(cmd: ShellCommand, flag: string): boolean {
  return cmd.flags.some((f) => f.flag === flag);
}

export function hasAnyFlag(cmd: ShellCommand, flags: readonly string[]): boolean {
  return cmd.flags.some((f) => flags.includes(f.flag));
}

export function countFlag(cmd: ShellCommand, flag: string): number {
  return cmd.flags.filter((f) => f.flag === flag).length;
}

/** Arguments that are not themselves flags. */
export function argsNoFlags(cmd: ShellCommand, drop: Set<number> = new Set()): string[] {
  const flagIdx = new Set(cmd.flags.map((f) => f.index));
  return cmd.args.filter((_, i) => !flagIdx.has(i) && !drop.has(i));
}

/** Indices of the values of the given flags (the argument after a flag without `=`). */
export function flagValueIndices(cmd: ShellCommand, flags: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const f of cmd.flags) {
    if (!flags.includes(f.flag)) continue;
    if ((cmd.args[f.index] as string).includes("=")) continue;
    out.add(f.index + 1);
  }
  return out;
}

/** Non-flag arguments with the values of `valueFlags` removed (hadolint's dropFlagArg). */
export function argsWithoutFlagValues(cmd: ShellCommand, valueFlags: readonly string[]): string[] {
  return argsNoFlags(cmd, flagValueIndices(cmd, valueFlags));
}

/** Values given to a flag: `useradd -u 1000` gives ["1000"] for "u". */
export function flagArgs(cmd: ShellCommand, flag: string): string[] {
  const out: string[] = [];
  for (const f of cmd.flags) {
    if (f.flag !== flag) continue;
    const v = cmd.args[f.index + 1];
    if (v !== undefined) out.push(v);
  }
  return out;
}

export function isPipInstall(cmd: ShellCommand): boolean {
  const a = cmd.args;
  if (cmd.name.startsWith("pip") && !cmd.name.startsWith("pipenv") && a.includes("install"))
    return true;
  if (cmd.name.startsWith("python")) {
    for (let i = 0; i + 2 < a.length; i++)
      if (a[i] === "-m" && a[i + 1] === "pip" && a[i + 2] === "install") return true;
  }
  return false;
}

/** Wrappers that run the command given as their arguments (used by Slipway rules, not hadolint's). */
const WRAPPERS = new Set([
  "sudo",
  "env",
  "nice",
  "nohup",
  "time",
  "exec",
  "command",
  "xargs",
  "gosu",
  "su-exec",
]);

export function isWrapper(name: string): boolean {
  return WRAPPERS.has(name);
}

/** The command a wrapper like `sudo -E apt-get ...` or `env A=1 apt-get ...` really runs. */
export function unwrapCommand(cmd: ShellCommand): ShellCommand {
  let c = cmd;
  for (let guard = 0; guard < 4 && WRAPPERS.has(c.name); guard++) {
    const wrapper = c.name;
    let i = 0;
    while (i < c.args.length) {
      const a = c.args[i] as string;
      if (a.startsWith("-") || (wrapper === "env" && ASSIGNMENT.test(a))) i++;
      else if ((wrapper === "gosu" || wrapper === "su-exec") && i === 0) i++;
      else break;
    }
    const name = c.args[i];
    if (name === undefined) return c;
    const args = c.args.slice(i + 1);
    c = { name, args, flags: commandFlags(args) };
  }
  return c;
}

/** Kept for API compatibility: parses are no longer cached across documents. */
export function clearShellCache(): void {}
