import type { StepLog } from "@slipway/builder-core";

/**
 * A step's logs kept with its telemetry: ingest's `step` event refuses more than this many
 * characters of log text per step (packages/telemetry, STEP_LOG_MAX_CHARS). Steps that print
 * more keep their head; the step's error (kept apart) says how a failed one ended.
 */
export const STEP_LOG_MAX_CHARS = 65_536;

export interface TelemetryStepLogs {
  logs: { at: string | null; stream: StepLog["stream"]; text: string }[];
  logsTruncated: boolean;
}

/** The head of `logs` that fits in `maxChars`, and whether anything was left out. */
export function stepLogsForTelemetry(
  logs: readonly StepLog[],
  truncated: boolean,
  maxChars = STEP_LOG_MAX_CHARS,
): TelemetryStepLogs {
  const kept: TelemetryStepLogs["logs"] = [];
  let room = maxChars;
  let cut = truncated;
  for (const log of logs) {
    if (room <= 0) {
      cut = true;
      break;
    }
    let text = log.text.length > room ? log.text.slice(0, room) : log.text;
    // never half of a surrogate pair
    if (text.length < log.text.length && /[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    if (text.length < log.text.length) cut = true;
    kept.push({ at: log.at ?? null, stream: log.stream, text });
    room -= text.length;
  }
  return { logs: kept, logsTruncated: cut };
}
