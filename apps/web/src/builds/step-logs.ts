import { omittedLogBytes, omittedLogEntry, type StepLog } from "@slipway/builder-core";

/**
 * A step's logs kept with its telemetry: ingest's `step` event refuses more than this many
 * characters of log text per step (packages/telemetry, STEP_LOG_MAX_CHARS). Longer output keeps
 * its head and its tail (where a failing command says why), with builder-core's entry saying how
 * much was left out between them.
 */
export const STEP_LOG_MAX_CHARS = 65_536;

type Entry = { at: string | null; stream: StepLog["stream"]; text: string };

export interface TelemetryStepLogs {
  logs: Entry[];
  logsTruncated: boolean;
}

const entryOf = (log: StepLog): Entry => ({
  at: log.at ?? null,
  stream: log.stream,
  text: log.text,
});
const marker = (bytes: number): Entry => ({ at: null, ...omittedLogEntry(bytes) });
/** The output an entry stands for: its text, or what the builder's own marker says it left out. */
const bytesOf = (log: StepLog) => omittedLogBytes(log) ?? Buffer.byteLength(log.text);

/** The first `n` characters of `text`, never half of a surrogate pair. */
function cutEnd(text: string, n: number): string {
  const out = text.slice(0, Math.max(0, n));
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

/** The last `n` characters of `text`, never half of a surrogate pair. */
function cutStart(text: string, n: number): string {
  const out = text.slice(text.length - Math.max(0, Math.min(n, text.length)));
  return /^[\uDC00-\uDFFF]/.test(out) ? out.slice(1) : out;
}

/** The entries from the start that fit in `room` characters (the last one cut to fit). */
function head(logs: readonly StepLog[], room: number): StepLog[] {
  const out: StepLog[] = [];
  for (const log of logs) {
    if (room <= 0) break;
    out.push(log.text.length > room ? { ...log, text: cutEnd(log.text, room) } : log);
    room -= log.text.length;
  }
  return out;
}

/** The entries from the end that fit in `room` characters (the first one cut to fit). */
function tail(logs: readonly StepLog[], room: number): StepLog[] {
  const out: StepLog[] = [];
  for (let i = logs.length - 1; i >= 0 && room > 0; i--) {
    const log = logs[i] as StepLog;
    out.unshift(log.text.length > room ? { ...log, text: cutStart(log.text, room) } : log);
    room -= log.text.length;
  }
  return out;
}

/** `logs` if they fit in `maxChars`, else their head and tail and how much was left out. */
export function stepLogsForTelemetry(
  logs: readonly StepLog[],
  truncated: boolean,
  maxChars = STEP_LOG_MAX_CHARS,
): TelemetryStepLogs {
  const chars = logs.reduce((n, log) => n + log.text.length, 0);
  if (chars <= maxChars) return { logs: logs.map(entryOf), logsTruncated: truncated };
  const total = logs.reduce((n, log) => n + bytesOf(log), 0);
  // the marker's own length counts; its number has at most `total`'s digits
  const room = maxChars - marker(total).text.length;
  const first = head(logs, Math.floor(room / 2));
  const last = tail(logs, room - Math.floor(room / 2));
  const kept = [...first, ...last].reduce((n, log) => n + bytesOf(log), 0);
  return {
    logs: [...first.map(entryOf), marker(total - kept), ...last.map(entryOf)],
    logsTruncated: true,
  };
}
