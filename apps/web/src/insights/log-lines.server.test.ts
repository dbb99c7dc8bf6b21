import { describe, expect, it } from "vitest";
import { logLines, logView } from "./log-lines.server";

const start = "2026-01-02T03:04:05.000Z";
const at = (ms: number) => new Date(Date.parse(start) + ms).toISOString();

describe("logLines", () => {
  it("joins chunks into lines, each timed by the chunk it began in", () => {
    expect(
      logLines(
        [
          { at: at(100), stream: "stdout", text: "fetch 1\nfetch " },
          { at: at(1_500), stream: "stdout", text: "2\ndone\n" },
        ],
        start,
      ),
    ).toEqual([
      { offsetMs: 100, stream: "stdout", text: "fetch 1" },
      { offsetMs: 100, stream: "stdout", text: "fetch 2" },
      { offsetMs: 1_500, stream: "stdout", text: "done" },
    ]);
  });

  it("keeps stderr apart, drops ANSI colours and keeps what a \\r redraw left on screen", () => {
    expect(
      logLines(
        [
          { at: null, stream: "stdout", text: "progress 10%\rprogress 99%\r" },
          { at: null, stream: "stderr", text: "\u001b[31mnpm ERR!\u001b[0m boom\n" },
          { at: null, stream: "stdout", text: "\n\nafter" },
        ],
        start,
      ),
    ).toEqual([
      { offsetMs: null, stream: "stdout", text: "progress 99%" },
      { offsetMs: null, stream: "stderr", text: "npm ERR! boom" },
      { offsetMs: null, stream: "stdout", text: "" },
      { offsetMs: null, stream: "stdout", text: "" },
      { offsetMs: null, stream: "stdout", text: "after" },
    ]);
  });

  it("has no times without the step's start, never negative ones, and nothing for no output", () => {
    expect(logLines([{ at: at(5), stream: "other", text: "x" }], null)[0]?.offsetMs).toBeNull();
    expect(logLines([{ at: at(-50), stream: "other", text: "x" }], start)[0]?.offsetMs).toBe(0);
    expect(logLines([], start)).toEqual([]);
  });
});

describe("logView", () => {
  it("joins lines of one stream into runs, with a gutter line per line", () => {
    expect(
      logView([
        { offsetMs: 100, stream: "stdout", text: "a" },
        { offsetMs: 1_250, stream: "stdout", text: "" },
        { offsetMs: null, stream: "stderr", text: "boom" },
        { offsetMs: 61_000, stream: "stdout", text: "b" },
      ]),
    ).toEqual({
      gutter: "+0.1s\n+1.3s\n\n+61.0s",
      runs: [
        { stream: "stdout", text: "a\n\n" },
        { stream: "stderr", text: "boom\n" },
        { stream: "stdout", text: "b" },
      ],
      lineCount: 4,
    });
    expect(logView([])).toEqual({ gutter: "", runs: [], lineCount: 0 });
  });
});
