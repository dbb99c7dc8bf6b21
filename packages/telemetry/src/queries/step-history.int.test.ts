/** stepHistory against the embedded engine: grouping per build, cached runs, tenancy. */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../clickhouse/embedded.ts";
import { migrateClickHouse } from "../clickhouse/migrate.ts";
import type { TelemetryStore } from "../clickhouse/store.ts";
import { type TelemetryEvent, telemetryEvent } from "../events/index.ts";
import { writeEvents } from "../write.ts";
import { stepHistory } from "./index.ts";

const ORG = `org-a-${randomUUID().slice(0, 8)}`;
const OTHER = `org-b-${randomUUID().slice(0, 8)}`;
const SINCE = new Date("2025-03-01T00:00:00Z");
let n = 0;
const digest = () => `sha256:${(++n).toString(16).padStart(64, "0")}`;

function step(
  orgId: string,
  o: { buildId: string; day: number; name: string; ms: number; cached?: boolean; error?: string },
): TelemetryEvent {
  const start = new Date(Date.UTC(2025, 2, o.day, 10, 0, n % 50)).toISOString();
  return telemetryEvent.parse({
    id: randomUUID(),
    schemaVersion: 1,
    orgId,
    projectId: "p1",
    time: start,
    type: "step",
    data: {
      buildId: o.buildId,
      digest: digest(),
      name: o.name,
      stage: "build",
      dockerfileLine: 4,
      startedAt: start,
      completedAt: new Date(Date.parse(start) + o.ms).toISOString(),
      cached: o.cached ?? false,
      error: o.error ?? null,
    },
  });
}

let dir: string;
let store: TelemetryStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "slipway-step-history-"));
  store = EmbeddedStore.open(join(dir, "clickhouse"));
  await migrateClickHouse(store);
  await writeEvents(
    store,
    [
      // b1: two platforms ran `RUN npm ci`; the slower one counts.
      step(ORG, { buildId: "b1", day: 2, name: "[linux/amd64 build 2/3] RUN npm ci", ms: 2000 }),
      step(ORG, { buildId: "b1", day: 2, name: "[linux/arm64 build 2/3] RUN  npm ci", ms: 5000 }),
      step(ORG, { buildId: "b2", day: 3, name: "[build 2/3] RUN npm ci", ms: 0, cached: true }),
      step(ORG, { buildId: "b3", day: 4, name: "[build 2/3] RUN npm ci", ms: 700, error: "x" }),
      step(ORG, { buildId: "b3", day: 4, name: "[build 3/3] COPY . .", ms: 10 }),
      step(ORG, { buildId: "b0", day: 0, name: "[build 2/3] RUN npm ci", ms: 9 }), // before since
      step(OTHER, { buildId: "b9", day: 3, name: "[build 2/3] RUN npm ci", ms: 99_999 }),
    ],
    { source: "seed" },
  );
});

afterAll(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("stepHistory", () => {
  it("returns one row per build, newest first, slowest vertex and all-cached", async () => {
    const rows = await stepHistory(store, {
      orgId: ORG,
      projectId: "p1",
      step: "RUN npm ci",
      since: SINCE,
    });
    expect(rows.map((r) => r.buildId)).toEqual(["b3", "b2", "b1"]);
    expect(rows[2]).toMatchObject({ durationMs: 5000, cached: false, vertices: 2, failed: false });
    expect(rows[1]).toMatchObject({ cached: true });
    expect(rows[0]).toMatchObject({ durationMs: 700, failed: true });
    expect(rows[0]?.startedAt).toMatch(/^2025-03-04T10:00:\d\dZ$/);
  });

  it("honours the limit and matches only that step", async () => {
    const rows = await stepHistory(store, {
      orgId: ORG,
      projectId: "p1",
      step: "COPY . .",
      since: SINCE,
      limit: 1,
    });
    expect(rows.map((r) => r.buildId)).toEqual(["b3"]);
  });

  it("never returns another org's rows, and refuses an empty org id", async () => {
    const other = await stepHistory(store, {
      orgId: OTHER,
      projectId: "p1",
      step: "RUN npm ci",
      since: SINCE,
    });
    expect(other.map((r) => r.buildId)).toEqual(["b9"]);
    const quoted = await stepHistory(store, {
      orgId: `${ORG}'`,
      projectId: "p1",
      step: "RUN npm ci",
      since: SINCE,
    });
    expect(quoted).toEqual([]);
    await expect(
      stepHistory(store, { orgId: "", projectId: "p1", step: "RUN npm ci", since: SINCE }),
    ).rejects.toThrow(/orgId is required/);
  });
});
