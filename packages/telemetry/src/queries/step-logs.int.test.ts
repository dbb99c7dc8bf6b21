/**
 * getStepLogs against the embedded engine in a temp directory: logs with tabs, newlines,
 * backslashes, quotes and non-ASCII text come back exactly, through both write paths (the
 * TabSeparated rows ingest queues and the generic insert); one step only, of the asked org,
 * project and build only.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../clickhouse/embedded.ts";
import { migrateClickHouse } from "../clickhouse/migrate.ts";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { STEP_LOG_MAX_CHARS, type TelemetryEvent, telemetryEvent } from "../events/index.ts";
import { encodeEvents, TABLES, writeEvents } from "../write.ts";
import { getStepLogs } from "./index.ts";

const ORG = `org-a-${randomUUID().slice(0, 8)}`;
const OTHER = `org-b-${randomUUID().slice(0, 8)}`;
const digest = (c: string) => `sha256:${c.repeat(64)}`;

const TRICKY = [
  { at: "2025-03-01T10:00:07.125Z", stream: "stdout", text: "#5 [build 3/5] RUN npm ci\n" },
  { at: null, stream: "stderr", text: "tab\there, new\nline, back\\slash, \\N, \\t literal\r\n" },
  { at: null, stream: "other", text: `'single' "double" {"json":[1]} ünïcødé ✓ 𝄞 \u0000 end` },
  { at: "2025-03-01T10:00:08Z", stream: "stdout", text: "" },
] as const;

let n = 0;
function step(
  orgId: string,
  o: {
    projectId?: string;
    buildId?: string;
    digest: string;
    logs?: unknown;
    logsTruncated?: boolean;
    time?: string;
  },
): TelemetryEvent {
  const time = o.time ?? new Date(Date.UTC(2025, 2, 1, 10, 0, n++)).toISOString();
  return telemetryEvent.parse({
    id: randomUUID(),
    schemaVersion: 1,
    type: "step",
    orgId,
    projectId: o.projectId ?? "p1",
    time,
    data: {
      buildId: o.buildId ?? "b1",
      digest: o.digest,
      name: "[build 3/5] RUN npm ci",
      stage: "build",
      dockerfileLine: 3,
      startedAt: time,
      completedAt: time,
      cached: false,
      error: null,
      ...(o.logs !== undefined && { logs: o.logs }),
      ...(o.logsTruncated !== undefined && { logsTruncated: o.logsTruncated }),
    },
  });
}

let dir: string;
let store: TelemetryStore;
const big = [
  { stream: "stdout", text: "a".repeat(STEP_LOG_MAX_CHARS - 10) },
  { stream: "stderr", text: "b\tc\nd\\e ✓!" },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slipway-step-logs-"));
  store = EmbeddedStore.open(join(dir, "clickhouse"));
  await migrateClickHouse(store);
  // Through the TabSeparated rows ingest queues (encodeEvents + insertEncoded)...
  const viaTsv = [
    step(ORG, { digest: digest("a"), logs: TRICKY, logsTruncated: true }),
    step(ORG, { digest: digest("b") }), // printed nothing
    step(ORG, { digest: digest("c"), logs: big }),
    // Org B: the same project, build and digest names, other logs.
    step(OTHER, { digest: digest("a"), logs: [{ stream: "stdout", text: "org B's secret" }] }),
  ];
  for (const [table, rows] of encodeEvents(viaTsv, "builder")) {
    await store.insertEncoded(table, rows);
  }
  // ...and through the generic insert (writeEvents).
  await writeEvents(
    store,
    [
      step(ORG, { buildId: "b2", digest: digest("a"), logs: TRICKY }),
      step(ORG, { buildId: "b2", digest: digest("d"), logs: [] }),
    ],
    { source: "cli" },
  );
  // The same vertex in two platforms' builds: one printed, the later one did not.
  await writeEvents(
    store,
    [
      step(ORG, {
        buildId: "b5",
        digest: digest("a"),
        logs: [{ stream: "stdout", text: "amd64" }],
      }),
      step(ORG, { buildId: "b5", digest: digest("a"), time: "2025-03-02T00:00:00.000Z" }),
    ],
    { source: "builder" },
  );
  // A re-sent step (same event id) is one step.
  await writeEvents(store, viaTsv.slice(0, 1), { source: "builder" });
});

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const q = (o: Partial<Parameters<typeof getStepLogs>[1]> = {}) => ({
  orgId: ORG,
  projectId: "p1",
  buildId: "b1",
  digest: digest("a"),
  ...o,
});
const expected = TRICKY.map((l) => ({ ...l }));

describe("getStepLogs (embedded engine)", () => {
  it("round-trips logs with tabs, newlines, backslashes, quotes and unicode, both write paths", async () => {
    expect(await getStepLogs(store, q())).toEqual({ logs: expected, logsTruncated: true });
    expect(await getStepLogs(store, q({ buildId: "b2" }))).toEqual({
      logs: expected,
      logsTruncated: false,
    });
    const large = await getStepLogs(store, q({ digest: digest("c") }));
    expect(large?.logs.map((l) => l.text)).toEqual(big.map((l) => l.text));
    expect(large?.logs.reduce((a, l) => a + l.text.length, 0)).toBe(STEP_LOG_MAX_CHARS);
  });

  it("picks the row with logs when a build has the digest twice (two platforms)", async () => {
    expect(await getStepLogs(store, q({ buildId: "b5" }))).toEqual({
      logs: [{ at: null, stream: "stdout", text: "amd64" }],
      logsTruncated: false,
    });
  });

  it("answers no logs for a step that printed nothing ('' and '[]' alike)", async () => {
    expect(await getStepLogs(store, q({ digest: digest("b") }))).toEqual({
      logs: [],
      logsTruncated: false,
    });
    expect(await getStepLogs(store, q({ buildId: "b2", digest: digest("d") }))).toEqual({
      logs: [],
      logsTruncated: false,
    });
    // A row written with '[]' (not what the writers write, but read the same).
    await store.insert(TABLES.buildSteps, [
      {
        org_id: ORG,
        project_id: "p1",
        build_id: "b3",
        event_id: randomUUID(),
        time: "2025-03-01 10:00:00.000",
        digest: digest("e"),
        name: "x",
        cached: true,
        inputs: [],
        logs: "[]",
        source: "cli",
      },
    ]);
    expect(await getStepLogs(store, q({ buildId: "b3", digest: digest("e") }))).toEqual({
      logs: [],
      logsTruncated: false,
    });
  });

  it("returns null for another org, project or build, and for an unknown digest", async () => {
    // Org B asking for org A's step gets its own step (same names) or nothing, never A's logs.
    expect(await getStepLogs(store, q({ orgId: OTHER }))).toEqual({
      logs: [{ at: null, stream: "stdout", text: "org B's secret" }],
      logsTruncated: false,
    });
    expect(await getStepLogs(store, q({ orgId: OTHER, digest: digest("c") }))).toBeNull();
    expect(await getStepLogs(store, q({ orgId: `org-none-${randomUUID()}` }))).toBeNull();
    expect(await getStepLogs(store, q({ projectId: "p2" }))).toBeNull();
    expect(await getStepLogs(store, q({ buildId: "b9" }))).toBeNull();
    expect(await getStepLogs(store, q({ digest: digest("f") }))).toBeNull();
    // Values are bound, never spliced.
    expect(await getStepLogs(store, q({ digest: `${digest("a")}' OR '1'='1` }))).toBeNull();
    await expect(getStepLogs(store, q({ orgId: "" }))).rejects.toThrow(/orgId is required/);
  });

  it("throws, naming the step, when stored logs are not valid", async () => {
    await store.insert(TABLES.buildSteps, [
      {
        org_id: ORG,
        project_id: "p1",
        build_id: "b4",
        event_id: randomUUID(),
        time: "2025-03-01 10:00:00.000",
        digest: digest("9"),
        name: "x",
        cached: false,
        inputs: [],
        logs: '[{"stream":"stdin","text":"x"}]',
        source: "cli",
      },
    ]);
    await expect(getStepLogs(store, q({ buildId: "b4", digest: digest("9") }))).rejects.toThrow(
      `stored logs of step ${digest("9")} in build b4 are not valid`,
    );
  });
});
