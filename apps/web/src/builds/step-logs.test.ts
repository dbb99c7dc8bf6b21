import { omittedLogEntry } from "@slipway/builder-core";
import { describe, expect, it } from "vitest";
import { STEP_LOG_MAX_CHARS, stepLogsForTelemetry } from "./step-logs";

const at = "2026-01-02T03:04:05.000Z";
const total = (logs: { text: string }[]) => logs.reduce((n, l) => n + l.text.length, 0);

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

  it("keeps the head and the tail that fit, and says how much was left out between", () => {
    const logs = [
      { at, stream: "stdout" as const, text: "a".repeat(100) },
      { stream: "stdout" as const, text: "b".repeat(100) },
      { stream: "stderr" as const, text: "error: the end" },
    ];
    const out = stepLogsForTelemetry(logs, false, 100);
    expect(out.logsTruncated).toBe(true);
    expect(total(out.logs)).toBeLessThanOrEqual(100);
    const [first, marker, ...rest] = out.logs;
    expect(first?.text).toMatch(/^a+$/);
    const left = 214 - total([first as { text: string }, ...rest]);
    expect(marker).toEqual({
      at: null,
      stream: "other",
      text: `[… ${left} bytes of output left out …]\n`,
    });
    // the end, where a failing command says why, is there in full
    expect(rest.at(-1)).toEqual({ at: null, stream: "stderr", text: "error: the end" });
    expect(rest[0]?.text).toMatch(/^b+$/);

    const huge = stepLogsForTelemetry([{ stream: "other", text: "x".repeat(100_000) }], false);
    expect(total(huge.logs)).toBeLessThanOrEqual(STEP_LOG_MAX_CHARS);
    expect(total(huge.logs)).toBeGreaterThan(STEP_LOG_MAX_CHARS - 100);
    expect(huge.logs.map((l) => l.stream)).toEqual(["other", "other", "other"]);
  });

  it("counts what the builder left out when its marker is cut out with the middle", () => {
    const logs = [
      { stream: "stdout" as const, text: "h".repeat(60) },
      omittedLogEntry(1_000_000),
      { stream: "stdout" as const, text: "t".repeat(60) },
    ];
    const out = stepLogsForTelemetry(logs, true, 100);
    const kept = total(out.logs.filter((l) => l.stream === "stdout"));
    expect(out.logs.filter((l) => l.stream === "other")).toEqual([
      { at: null, stream: "other", text: `[… ${1_000_120 - kept} bytes of output left out …]\n` },
    ]);
  });

  it("passes on the builder's own truncation, and never cuts a surrogate pair in half", () => {
    expect(stepLogsForTelemetry([], true)).toEqual({ logs: [], logsTruncated: true });
    const whale = "🐳".repeat(60);
    const out = stepLogsForTelemetry([{ stream: "stdout", text: whale }], false, 100);
    expect(out.logsTruncated).toBe(true);
    expect(out.logs[0]?.text).toMatch(/^(🐳)+$/u);
    expect(out.logs[2]?.text).toMatch(/^(🐳)+$/u);
  });
});
