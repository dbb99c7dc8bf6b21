import { stripVTControlCharacters } from "node:util";

/**
 * A step's log chunks (as BuildKit sent them: arbitrary pieces of its output) as the lines a
 * terminal would have shown: ANSI escapes removed, `\r` redraws (progress bars) collapsed to what
 * stayed on screen, each line timed by the chunk it began in. The step detail sends these lines.
 */

export interface LogChunk {
  at: string | null;
  stream: "stdout" | "stderr" | "other";
  text: string;
}

export interface LogLine {
  /** Milliseconds from the step's start to the chunk the line began in, when both are known. */
  offsetMs: number | null;
  stream: LogChunk["stream"];
  text: string;
}

function shown(line: string): string {
  // what a terminal leaves after `\r` redraws: the last non-empty rewrite
  const parts = line.split("\r");
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]) return parts[i] as string;
  return "";
}

export function logLines(chunks: readonly LogChunk[], startedAt: string | null): LogLine[] {
  const start = startedAt ? Date.parse(startedAt) : Number.NaN;
  const offsetOf = (at: string | null) => {
    const t = at ? Date.parse(at) : Number.NaN;
    return Number.isFinite(t) && Number.isFinite(start) ? Math.max(0, t - start) : null;
  };
  const lines: LogLine[] = [];
  let pending: LogLine | null = null;
  const flush = () => {
    if (pending) lines.push({ ...pending, text: shown(pending.text) });
    pending = null;
  };
  for (const chunk of chunks) {
    // another stream's output does not continue this stream's unfinished line
    if (pending && (pending as LogLine).stream !== chunk.stream) flush();
    const pieces = stripVTControlCharacters(chunk.text).split("\n");
    pieces.forEach((piece, index) => {
      const last = index === pieces.length - 1;
      if (last && piece === "") return; // the chunk ended its line
      if (!pending) pending = { offsetMs: offsetOf(chunk.at), stream: chunk.stream, text: "" };
      pending.text += piece;
      if (!last) flush();
    });
  }
  flush();
  return lines;
}

/**
 * Lines as the step panel draws them: the text in runs of one stream (a run is one text node,
 * not an element per line) and the times as a gutter column of the same lines. A step's 64 KiB
 * of output as one element per line cost the build page ~60 ms and 280 KB (bench/web).
 */
export interface LogView {
  /** Each line's time from the step's start (`+1.2s`, '' when unknown), one per line. */
  gutter: string;
  /** Consecutive lines of one stream, each ending in a newline but the last line of all. */
  runs: { stream: LogLine["stream"]; text: string }[];
  lineCount: number;
}

export function logView(lines: readonly LogLine[]): LogView {
  const runs: LogView["runs"] = [];
  lines.forEach((line, index) => {
    const text = index < lines.length - 1 ? `${line.text}\n` : line.text;
    const last = runs.at(-1);
    if (last && last.stream === line.stream) last.text += text;
    else runs.push({ stream: line.stream, text });
  });
  const time = (l: LogLine) => (l.offsetMs === null ? "" : `+${(l.offsetMs / 1000).toFixed(1)}s`);
  return { gutter: lines.map(time).join("\n"), runs, lineCount: lines.length };
}
