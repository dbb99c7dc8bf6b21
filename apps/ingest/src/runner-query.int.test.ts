// GET /v1/query/runners/jobs and /v1/query/runners/daily: the dashboard's runners page.
import { randomUUID } from "node:crypto";
import { parseTelemetryEvent, writeEvents } from "@slipway/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./testing.ts";

const SERVICE_TOKEN = "svc_".padEnd(40, "r");
let h: Harness;

function jobEvent(orgId: string, n: number, label: string) {
  const queued = new Date(Date.UTC(2026, 0, 1 + (n % 3), 9, 0, n));
  const started = new Date(queued.getTime() + 1000 * (n + 1));
  const completed = new Date(started.getTime() + 60_000);
  const r = parseTelemetryEvent({
    id: randomUUID(),
    schemaVersion: 1,
    type: "runner.job",
    orgId,
    projectId: null,
    time: completed.toISOString(),
    data: {
      repository: "acme/api",
      workflow: "CI",
      runId: 1000 + n,
      runAttempt: 1,
      jobId: 5000 + n,
      jobName: `test ${n}`,
      labels: [label],
      runnerName: `runner-${n}`,
      runnerGroup: null,
      status: "completed",
      conclusion: "success",
      queuedAt: queued.toISOString(),
      startedAt: started.toISOString(),
      completedAt: completed.toISOString(),
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
}

beforeAll(async () => {
  h = await createHarness({ server: { serviceToken: SERVICE_TOKEN } });
  const events = Array.from({ length: 6 }, (_, n) =>
    jobEvent(h.org.id, n, n % 2 ? "ubuntu-latest" : "self-hosted"),
  );
  events.push(jobEvent(h.otherOrg.id, 99, "ubuntu-latest"));
  await writeEvents(h.store, events, { source: "github" });
});

afterAll(async () => {
  await h?.close();
});

const get = (url: string, token = SERVICE_TOKEN) =>
  h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

describe("runner queries for the dashboard", () => {
  it("lists the org's jobs newest first, limited, and none of another org's", async () => {
    const res = await get(`/v1/query/runners/jobs?orgId=${h.org.id}&since=2025-12-01&limit=4`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { jobId: number; queuedAt: string; queueMs: number }[];
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.queuedAt)).toEqual([...rows.map((r) => r.queuedAt)].sort().reverse());
    const all = (await get(`/v1/query/runners/jobs?orgId=${h.org.id}&since=2025-12-01`)).json()
      .rows as { jobId: number }[];
    expect(all.map((r) => r.jobId).sort()).toEqual([5000, 5001, 5002, 5003, 5004, 5005]);
  });

  it("sums minutes and queue time per day and label", async () => {
    const res = await get(`/v1/query/runners/daily?orgId=${h.org.id}&since=2025-12-01`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as {
      day: string;
      label: string;
      jobs: number;
      runMinutes: number;
    }[];
    expect(rows.reduce((n, r) => n + r.jobs, 0)).toBe(6);
    expect(new Set(rows.map((r) => r.label))).toEqual(new Set(["ubuntu-latest", "self-hosted"]));
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.day))).toBe(true);
    expect(rows.reduce((n, r) => n + r.runMinutes, 0)).toBeCloseTo(6, 1);
  });

  it("answers 400 naming a bad parameter and refuses project tokens and other orgs' tokens", async () => {
    const bad = await get(`/v1/query/runners/jobs?orgId=${h.org.id}&limit=5000`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().params.map((p: { param: string }) => p.param)).toEqual(["limit"]);
    for (const path of ["jobs", "daily"]) {
      const project = await get(`/v1/query/runners/${path}?orgId=${h.org.id}`, h.projectToken);
      expect(project.statusCode, path).toBe(403);
      const other = await get(`/v1/query/runners/${path}?orgId=${h.org.id}`, h.otherOrgToken);
      expect(other.statusCode, path).toBe(403);
      const own = await get(`/v1/query/runners/${path}?orgId=${h.org.id}`, h.orgToken);
      expect(own.statusCode, path).toBe(200);
    }
  });
});
