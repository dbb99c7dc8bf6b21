import {
  COLUMNS,
  encodeEvents,
  encodeRows,
  eventToRow,
  parseTelemetryEvent,
  rowTsv,
  type TelemetryEvent,
} from "@slipway/telemetry";
import { describe, expect, it } from "vitest";
import { parseQueuedBatch, ROWS_ENCODING, type RowsBatchJob, V1_COLUMNS } from "./queues.ts";
import { stepEvent } from "./testing.ts";

const valid = (orgId: string): TelemetryEvent => {
  const r = parseTelemetryEvent(stepEvent(orgId, "p1"));
  if (!r.ok) throw new Error("test event invalid");
  return r.event;
};

function rowsJob(orgId: string, events: TelemetryEvent[]): RowsBatchJob {
  const tables: RowsBatchJob["tables"] = {};
  for (const [t, r] of encodeEvents(events, "builder")) tables[t] = { rows: r.rows, data: r.data };
  return {
    orgId,
    source: "builder",
    receivedAt: new Date().toISOString(),
    sender: "t",
    encoding: ROWS_ENCODING,
    events: events.length,
    tables,
  };
}

describe("parseQueuedBatch (the worker's check of a queued batch)", () => {
  it("takes encoded rows of the batch's org as they are", () => {
    const r = parseQueuedBatch(rowsJob("org-a", [valid("org-a"), valid("org-a")]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.events).toBe(2);
    expect(r.rows.get("build_steps_v1")?.rows).toBe(2);
  });

  it("refuses rows of another org, miscounted rows and unknown tables", () => {
    const foreign = parseQueuedBatch(rowsJob("org-a", [valid("org-a"), valid("org-b")]));
    expect(foreign).toMatchObject({
      ok: false,
      issues: [
        { path: "tables.build_steps_v1", message: expect.stringMatching(/not of org org-a/) },
      ],
    });
    const job = rowsJob("org-a", [valid("org-a")]);
    const miscounted = parseQueuedBatch({ ...job, events: 3 });
    expect(miscounted.ok).toBe(false);
    const unknown = parseQueuedBatch({ ...job, tables: { users: job.tables.build_steps_v1 } });
    expect(unknown.ok).toBe(false);
  });

  it("queues TabSeparated rows, and an org id that merely starts like the batch's is foreign", () => {
    const job = rowsJob("org-a", [valid("org-a")]);
    expect(job.encoding).toBe("TabSeparated/v2");
    expect(job.tables.build_steps_v1?.data.split("\t")[0]).toBe("org-a");
    expect(parseQueuedBatch(rowsJob("org-a", [valid("org-ab")]))).toMatchObject({ ok: false });
    const r = parseQueuedBatch(job);
    expect(r.ok && r.rows.get("build_steps_v1")?.format).toBe("TabSeparated");
  });

  it("reads v2 rows over COLUMNS (with the step logs), v1 rows over the columns before them", () => {
    // v1: the columns batches were written with before migration 0008 (no step logs).
    expect(V1_COLUMNS.build_steps_v1).toEqual([
      "org_id",
      "project_id",
      "build_id",
      "event_id",
      "time",
      "digest",
      "name",
      "stage",
      "platform",
      "dockerfile_line",
      "started_at",
      "completed_at",
      "duration_ms",
      "cached",
      "error",
      "inputs",
      "source",
    ]);
    expect(V1_COLUMNS.builds_v1).toBe(COLUMNS.builds_v1);
    expect(COLUMNS.build_steps_v1).toEqual(expect.arrayContaining(["logs", "logs_truncated"]));
    const v2 = parseQueuedBatch(rowsJob("org-a", [valid("org-a")]));
    expect(v2.ok && v2.rows.get("build_steps_v1")?.columns).toBe(COLUMNS.build_steps_v1);
    const v1Rows = rowTsv(V1_COLUMNS.build_steps_v1, eventToRow(valid("org-a"), "cli").row);
    const v1 = parseQueuedBatch({
      ...rowsJob("org-a", [valid("org-a")]),
      encoding: "TabSeparated/v1",
      tables: { build_steps_v1: { rows: 1, data: v1Rows } },
    });
    expect(v1.ok && v1.rows.get("build_steps_v1")).toEqual({
      columns: V1_COLUMNS.build_steps_v1,
      data: v1Rows,
      rows: 1,
      format: "TabSeparated",
    });
  });

  it("still reads batches queued as JSONCompactEachRow/v1 (before TabSeparated), org-checked", () => {
    const jsonJob = (orgId: string, events: TelemetryEvent[]) => {
      const rows = encodeRows(
        V1_COLUMNS.build_steps_v1,
        events.map((e) => eventToRow(e, "builder").row),
      );
      return {
        ...rowsJob(orgId, events),
        encoding: "JSONCompactEachRow/v1",
        tables: { build_steps_v1: { rows: rows.rows, data: rows.data } },
      };
    };
    const ok = parseQueuedBatch(jsonJob("org-a", [valid("org-a"), valid("org-a")]));
    expect(ok).toMatchObject({ ok: true, events: 2 });
    expect(ok.ok && ok.rows.get("build_steps_v1")?.format).toBe("JSONCompactEachRow");
    expect(ok.ok && ok.rows.get("build_steps_v1")?.columns).toBe(V1_COLUMNS.build_steps_v1);
    const foreign = parseQueuedBatch(jsonJob("org-a", [valid("org-a"), valid("org-b")]));
    expect(foreign).toMatchObject({ ok: false });
  });

  it("still accepts event payloads (webhooks) and checks their org and type", () => {
    const base = { orgId: "org-a", source: "github", receivedAt: new Date().toISOString() };
    const ok = parseQueuedBatch({ ...base, sender: "gh", events: [valid("org-a")] });
    expect(ok).toMatchObject({ ok: true, events: 1 });
    const bad = parseQueuedBatch({
      ...base,
      sender: "gh",
      events: [valid("org-b"), { ...valid("org-a"), type: "nope" }],
    });
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.issues.map((i) => i.path)).toEqual(["events.0.orgId", "events.1.type"]);
  });
});
