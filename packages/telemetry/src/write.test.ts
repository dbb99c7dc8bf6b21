import { describe, expect, it } from "vitest";
import { parseTelemetryEvent, type TelemetryEvent } from "./events/index.ts";
import { COLUMNS, encodeEvents, eventToRow, rowTsv } from "./write.ts";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
function step(data: Record<string, unknown>, over: Record<string, unknown> = {}): TelemetryEvent {
  const r = parseTelemetryEvent({
    id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8",
    schemaVersion: 1,
    type: "step",
    orgId: "org\t1",
    projectId: "proj\\1",
    time: "2025-01-31T12:00:05.1Z",
    data: {
      buildId: "b1",
      digest: digest("a"),
      name: "[build 3/5] RUN npm ci",
      stage: "build",
      dockerfileLine: 3,
      startedAt: "2025-01-31T12:00:00Z",
      completedAt: "2025-01-31T12:00:05.5Z",
      cached: false,
      error: null,
      ...data,
    },
    ...over,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
}

describe("encodeEvents (TabSeparated)", () => {
  it("writes a step exactly as the generic row path does, escapes included", () => {
    const events = [
      step({}),
      step({
        name: "RUN echo 'a\tb'\nline \\ two",
        stage: null,
        platform: "linux/arm/v7",
        dockerfileLine: null,
        startedAt: null,
        completedAt: null,
        cached: true,
        error: "exit 1:\ttab\\",
        inputs: [digest("b"), digest("c")],
      }),
      step({}, { time: "2025-01-31T14:00:05+02:00" }),
    ];
    const encoded = encodeEvents(events, "cli").get("build_steps_v1");
    const generic = events
      .map((e) => rowTsv(COLUMNS.build_steps_v1, eventToRow(e, "cli").row))
      .join("");
    expect(encoded).toMatchObject({ rows: 3, format: "TabSeparated" });
    expect(encoded?.data).toBe(generic);
    const [first, second] = (encoded?.data ?? "").split("\n");
    // The tab in the org id is escaped: still one field per column.
    expect(first?.split("\t")).toHaveLength(COLUMNS.build_steps_v1.length);
    expect(first?.startsWith("org\\t1\tproj\\\\1\tb1\t")).toBe(true);
    expect(second).toContain(
      "RUN echo 'a\\tb'\\nline \\\\ two\t\\N\tlinux/arm/v7\t\\N\t\\N\t\\N\t\\N\ttrue",
    );
    expect(second).toContain(`['${digest("b")}','${digest("c")}']`);
  });

  it("writes a step's logs as escaped compact JSON, the same on both paths; no logs as ''", () => {
    const logs = [
      { at: "2025-01-31T12:00:01.5Z", stream: "stdout", text: "line 1\n\tindented\r\n" },
      { stream: "stderr", text: 'back\\slash "quoted" ünïcødé ✓ 𝄞 \u0000 \\N' },
    ];
    const withLogs = step({ logs, logsTruncated: true });
    const events = [withLogs, step({}), step({ logs: [], logsTruncated: true })];
    const encoded = encodeEvents(events, "builder").get("build_steps_v1")?.data ?? "";
    const generic = events
      .map((e) => rowTsv(COLUMNS.build_steps_v1, eventToRow(e, "builder").row))
      .join("");
    expect(encoded).toBe(generic);
    const lines = encoded.split("\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    const at = (column: string) => COLUMNS.build_steps_v1.indexOf(column);
    const fields = lines.map((l) => l.split("\t"));
    // Still one field per column: the logs' tabs and newlines are JSON-escaped, backslashes
    // TSV-escaped on top.
    for (const f of fields) expect(f).toHaveLength(COLUMNS.build_steps_v1.length);
    const stored = fields[0]?.[at("logs")] ?? "";
    const json = stored.replace(/\\(.)/g, (_, c: string) => (c === "\\" ? "\\" : `\\${c}`));
    expect(stored).not.toMatch(/[\t\n\r]/);
    expect(JSON.parse(json)).toEqual([
      logs[0],
      { at: null, stream: "stderr", text: logs[1]?.text },
    ]);
    expect(stored).toBe(
      JSON.stringify(withLogs.type === "step" && withLogs.data.logs).replaceAll("\\", "\\\\"),
    );
    expect(fields.map((f) => f[at("logs_truncated")])).toEqual(["true", "false", "true"]);
    // No logs (absent or []) are stored as '' on both paths.
    expect(fields.slice(1).map((f) => f[at("logs")])).toEqual(["", ""]);
    expect(eventToRow(events[1] as TelemetryEvent, "cli").row).toMatchObject({
      logs: "",
      logs_truncated: false,
    });
  });

  it("writes a step that skipped the schema (an old queued webhook event) like the generic path", () => {
    const raw = structuredClone(step({})) as { data: Record<string, unknown> };
    delete raw.data.inputs;
    delete raw.data.platform;
    delete raw.data.logs;
    delete raw.data.logsTruncated;
    const e = raw as unknown as TelemetryEvent;
    const encoded = encodeEvents([e], "github").get("build_steps_v1")?.data;
    // The generic path writes the missing array as \N (stored as [], its default); this as [].
    const generic = rowTsv(COLUMNS.build_steps_v1, eventToRow(e, "github").row);
    expect(encoded).toBe(generic.replace("\t\\N\tgithub\n", "\t[]\tgithub\n"));
    expect(encoded).not.toContain("undefined");
    // Missing logs fields are written as no logs, not truncated, on both paths.
    expect(encoded).toContain("\t\tfalse\t[]\tgithub\n");
  });
});
