/** Typed model of a parsed Dockerfile. Lines and columns are 1-based. */

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A `--name=value` flag of FROM, RUN, COPY, ADD or HEALTHCHECK. */
export interface Flag {
  name: string;
  /** `null` for a bare flag such as `--link`. */
  value: string | null;
}

export interface Heredoc {
  marker: string;
  /** `<<-` strips leading tabs. */
  stripTabs: boolean;
  /** `<<"EOF"` / `<<'EOF'`: no expansion inside the body. */
  quoted: boolean;
  body: string;
  /** Line of the first body line (or the terminator when empty). */
  line: number;
  /** False when the file ended before the terminator. */
  terminated: boolean;
}

export interface Instruction {
  /** Upper-case keyword; `COMMENT` for a comment line, `DIRECTIVE` for a parser directive. */
  keyword: string;
  /** The keyword as written. */
  rawKeyword: string;
  range: Range;
  /**
   * Arguments after the keyword with line continuations joined the way hadolint's parser joins
   * them (escape + newline removed, indentation of the next line folded to one space) and comment
   * lines inside the continuation dropped. Heredoc bodies are not included.
   */
  text: string;
  /** Leading `--flags` (FROM, RUN, COPY, ADD, HEALTHCHECK only). */
  flags: Flag[];
  /** Text after the flags. */
  rest: string;
  /** Exec (JSON) form arguments when `rest` is a JSON array of strings. */
  json: string[] | null;
  heredocs: Heredoc[];
  /** The triggered instruction of an ONBUILD. */
  inner: Instruction | null;
  /**
   * Views derived on demand (parsed FROM, ENV pairs, RUN shell...) and shared by every rule that
   * asks for them; see `parser/instructions.ts`. Treat as read-only.
   */
  memo: Record<string, unknown> | null;
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

export interface Dockerfile {
  /** Every instruction, comments included, in source order. */
  instructions: Instruction[];
  directives: Directive[];
  escape: string;
  /** Lines of the (BOM-stripped, LF-normalised) source. */
  lines: string[];
  problems: ParseProblem[];
  /**
   * Instructions continued over a blank (whitespace-only) line: for each, the line where its
   * continuation ends (where BuildKit reports NoEmptyContinuation).
   */
  emptyContinuations: number[];
}
