/**
 * BuildKit's word expansion (the `shell.Lex.ProcessWord` step the Dockerfile frontend applies to
 * the arguments of ADD, COPY, ENV, LABEL, WORKDIR, USER, VOLUME, STOPSIGNAL, ARG defaults, RUN
 * mount options and FROM), reimplemented to know which variables a word reads.
 *
 * Semantics kept from BuildKit: `'...'` is literal, `"..."` expands and lets the escape character
 * escape `"`, `$` and itself, the escape character outside quotes takes the next character
 * literally, `$name`, `${name}`, `${name:-word}` / `-` / `:+` / `+` / `:?` / `?` / `%` / `%%` /
 * `#` / `##` / `/pat/repl` / `//pat/repl`. Every variable a word names counts as read, also inside
 * a default that is not used (`${A:-$B}` reads A and B), which is what BuildKit's UndefinedVar
 * reports on.
 *
 * Values can be unknown (a variable that may come from a base image's ENV, which a static linter
 * cannot see): they expand to {@link UNKNOWN_CHAR}, so callers can tell a known prefix from an
 * unknown one.
 */

/** Stand-in character for text whose value is unknown. */
export const UNKNOWN_CHAR = "\u0000";
/** Lookup result for a variable that may exist with an unknown value. */
export const UNKNOWN = Symbol("unknown");

export interface VarLookup {
  /** A value, `undefined` when the variable is not set, {@link UNKNOWN} when it cannot be known. */
  get(name: string): string | undefined | typeof UNKNOWN;
}

export interface Expansion {
  result: string;
  /** Variables that were found. */
  matched: string[];
  /** Variables that are not set. */
  unmatched: string[];
  /** Variables whose presence is unknown. */
  unknown: string[];
  /** BuildKit would refuse the word (bad substitution, unterminated quote...). */
  error: boolean;
}

class Expander {
  i = 0;
  matched: string[] = [];
  unmatched: string[] = [];
  unknown: string[] = [];
  error = false;
  constructor(
    readonly s: string,
    readonly env: VarLookup,
    readonly esc: string,
    readonly skipQuotes: boolean,
  ) {}

  lookup(name: string): string | undefined {
    const v = this.env.get(name);
    if (v === UNKNOWN) {
      if (!this.unknown.includes(name)) this.unknown.push(name);
      return UNKNOWN_CHAR;
    }
    if (v === undefined) {
      if (!this.unmatched.includes(name)) this.unmatched.push(name);
      return undefined;
    }
    if (!this.matched.includes(name)) this.matched.push(name);
    return v;
  }

  /** Reads until `stop` (consumed) or the end when `stop` is "". */
  word(stop: string): string {
    const s = this.s;
    let out = "";
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (stop && c === stop) {
        this.i++;
        return out;
      }
      if (c === "$") out += this.dollar();
      else if (c === "'" && !this.skipQuotes) out += this.single();
      else if (c === '"' && !this.skipQuotes) out += this.double();
      else if (c === this.esc) {
        this.i++;
        if (this.i >= s.length) break;
        out += s[this.i];
        this.i++;
      } else {
        out += c;
        this.i++;
      }
    }
    if (stop) this.error = true;
    return out;
  }

  single(): string {
    const end = this.s.indexOf("'", this.i + 1);
    if (end < 0) {
      this.error = true;
      const v = this.s.slice(this.i + 1);
      this.i = this.s.length;
      return v;
    }
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }

  double(): string {
    const s = this.s;
    this.i++;
    let out = "";
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "$") {
        out += this.dollar();
        continue;
      }
      this.i++;
      if (c === this.esc) {
        const n = s[this.i];
        if (n === undefined) continue;
        if (n === '"' || n === "$" || n === this.esc) {
          out += n;
          this.i++;
          continue;
        }
      }
      out += c;
    }
    this.error = true;
    return out;
  }

  name(): string {
    const s = this.s;
    const start = this.i;
    const first = s[this.i];
    if (first === undefined) return "";
    if (first >= "0" && first <= "9") {
      while (this.i < s.length && (s[this.i] as string) >= "0" && (s[this.i] as string) <= "9")
        this.i++;
      return s.slice(start, this.i);
    }
    if ("@*#?-$!".includes(first)) {
      this.i++;
      return first;
    }
    while (this.i < s.length && /[\p{L}\p{Nd}_]/u.test(s[this.i] as string)) this.i++;
    return s.slice(start, this.i);
  }

  dollar(): string {
    const s = this.s;
    this.i++;
    if (s[this.i] !== "{") {
      const n = this.name();
      if (!n) return "$";
      return this.lookup(n) ?? "";
    }
    this.i++;
    const p = s[this.i];
    if (p === undefined || p === "{" || p === "}" || p === ":") {
      this.error = true;
      return "";
    }
    const n = this.name();
    let op = s[this.i];
    this.i++;
    if (op === "}") return this.lookup(n) ?? "";
    let nullIsUnset = false;
    if (op === ":") {
      nullIsUnset = true;
      op = s[this.i];
      this.i++;
    }
    if (op === "+" || op === "-" || op === "?" || op === "#" || op === "%") {
      if (nullIsUnset && (op === "#" || op === "%")) {
        this.error = true;
        return "";
      }
      const word = this.word("}");
      const v = this.lookup(n);
      const unset = v === undefined || (nullIsUnset && v === "");
      if (v === UNKNOWN_CHAR) return UNKNOWN_CHAR;
      if (op === "-") return unset ? word : (v as string);
      if (op === "+") return unset ? "" : word;
      if (op === "?") {
        if (unset) this.error = true;
        return v ?? "";
      }
      return trimPattern(v ?? "", word, op);
    }
    if (op === "/" && !nullIsUnset) {
      if (s[this.i] === "/") this.i++;
      this.word("/");
      this.word("}");
      // The pattern is a shell glob; the result is only known when the variable is unset.
      return this.lookup(n) === undefined ? "" : UNKNOWN_CHAR;
    }
    this.error = true;
    return "";
  }
}

/** `${v%pat}` and friends, for plain (wildcard-free) patterns; otherwise the result is unknown. */
function trimPattern(value: string, word: string, op: "#" | "%"): string {
  let pat = word;
  if (pat.startsWith(op)) pat = pat.slice(1);
  if (/[*?[\\]/.test(pat)) return UNKNOWN_CHAR;
  if (op === "%") return value.endsWith(pat) ? value.slice(0, value.length - pat.length) : value;
  return value.startsWith(pat) ? value.slice(pat.length) : value;
}

const NO_NAMES: string[] = [];

/** Expands one word the way BuildKit's `ProcessWordWithMatches` does. */
export function expandWord(
  word: string,
  env: VarLookup,
  esc = "\\",
  skipQuotes = false,
): Expansion {
  if (!word.includes("$") && !word.includes("'") && !word.includes('"') && !word.includes(esc))
    return {
      result: word,
      matched: NO_NAMES,
      unmatched: NO_NAMES,
      unknown: NO_NAMES,
      error: false,
    };
  const e = new Expander(word, env, esc, skipQuotes);
  const result = e.word("");
  return {
    result,
    matched: e.matched,
    unmatched: e.unmatched,
    unknown: e.unknown,
    error: e.error,
  };
}

/**
 * Splits Dockerfile arguments at unquoted whitespace, keeping quotes and escapes (BuildKit's
 * parseWords). A word is its source text, except that an escape character ending the input is
 * dropped.
 */
export function splitWords(rest: string, esc = "\\"): string[] {
  const words: string[] = [];
  const n = rest.length;
  const e = esc.charCodeAt(0);
  let start = -1;
  let blankOk = false;
  let quote = 0;
  let dropLast = false;
  for (let i = 0; i < n; i++) {
    const c = rest.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === e && quote !== 39) {
        if (i + 1 === n) {
          quote = 0;
          dropLast = true;
          continue;
        }
        i++;
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      if (start >= 0 && (blankOk || i > start)) words.push(rest.slice(start, i));
      start = -1;
      blankOk = false;
      continue;
    }
    if (start < 0) start = i;
    if (c === 39 || c === 34) {
      quote = c;
      blankOk = true;
    } else if (c === e) {
      if (i + 1 === n) {
        dropLast = true;
        continue;
      }
      i++;
    }
  }
  if (start >= 0) {
    const w = rest.slice(start, dropLast ? n - 1 : n);
    if (blankOk || w) words.push(w);
  }
  return words;
}

/** Go's `%q` for the strings BuildKit quotes in its messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}
