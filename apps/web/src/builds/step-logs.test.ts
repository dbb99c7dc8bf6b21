import { describe, expect, it } from "vitest";
import { STEP_LOG_MAX_CHARS, stepLogsForTelemetry } from "./step-logs";

const at = "2026-01-02T03:04:05.000Z";

describe("stepLogsForTelemetry", () => {
  it("keeps every entry (time, stream, text) when they fit", () => {
    expect(
      stepLogsForTelemetry(
        [
          { at, stream: "stdout", text: "hello\n" },
          { stream: "stderr", text: "warn\n" },
        ],
        false,
      ),
    ).toEqual({
      logs: [
        { at, stream: "stdout", text: "hello\n" },
        { at: null, stream: "stderr", text: "warn\n" },
      ],
      logsTruncated: false,
    });
  });

  it("keeps the head that fits and says the rest was left out", () => {
    const out = stepLogsForTelemetry(
      [
        { stream: "stdout", text: "a".repeat(6) },
        { stream: "stdout", text: "b".repeat(6) },
        { stream: "stdout", text: "c" },
      ],
      false,
      10,
    );
    expect(out).toEqual({
      logs: [
        { at: null, stream: "stdout", text: "aaaaaa" },
        { at: null, stream: "stdout", text: "bbbb" },
      ],
      logsTruncated: true,
    });
    const total = (logs: { text: string }[]) => logs.reduce((n, l) => n + l.text.length, 0);
    const huge = stepLogsForTelemetry([{ stream: "other", text: "x".repeat(100_000) }], false);
    expect(total(huge.logs)).toBe(STEP_LOG_MAX_CHARS);
    expect(huge.logsTruncated).toBe(true);
  });

  it("passes on the builder's own truncation, and never cuts a surrogate pair in half", () => {
    expect(stepLogsForTelemetry([], true)).toEqual({ logs: [], logsTruncated: true });
    const out = stepLogsForTelemetry([{ stream: "stdout", text: "ab🐳" }], false, 3);
    expect(out.logs[0]?.text).toBe("ab");
    expect(out.logsTruncated).toBe(true);
  });
});
