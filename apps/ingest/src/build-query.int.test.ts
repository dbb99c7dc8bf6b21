/** GET /v1/query/builds/:buildId/lint and /v1/query/steps/history: answers, bad input, tenancy. */
import { parseTelemetryEvent, type TelemetryEvent, writeEvents } from "@slipway/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, stepEvent } from "./testing.ts";

const SERVICE_TOKEN = "svc_".padEnd(40, "y");
let h: Harness;

const parsed = (input: unknown): TelemetryEvent => {
  const r = parseTelemetryEvent(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.event;
};

const lint = (orgId: string, projectId: string, buildId: string, code: string, line: number) =>
  parsed({
    id: crypto.randomUUID(),
    schemaVersion: 1,
    type: "lint.finding",
    orgId,
    projectId,
    time: "2026-01-01T12:00:00.000Z",
    data: { buildId, code, level: "warning", line, message: `finding ${code}` },
  });

beforeAll(async () => {
  h = await createHarness({ server: { serviceToken: SERVICE_TOKEN } });
  const step = (orgId: string, projectId: string, buildId: string, name: string) => {
    const e = stepEvent(orgId, projectId) as { data: Record<string, unknown> };
    e.data.buildId = buildId;
    e.data.name = name;
    return parsed(e);
  };
  await writeEvents(
    h.store,
    [
      step(h.org.id, h.project.id, "b1", "[build 2/4] RUN npm ci"),
      step(h.org.id, h.project.id, "b2", "[build 2/4] RUN  npm ci"),
      step(h.org.id, h.project.id, "b2", "[build 3/4] COPY . ."),
      step(h.otherOrg.id, h.otherProject.id, "b9", "[build 2/4] RUN npm ci"),
      lint(h.org.id, h.project.id, "b1", "DL3008", 4),
      lint(h.org.id, h.project.id, "b1", "DL3059", 7),
      lint(h.org.id, h.project.id, "b2", "DL3008", 4),
      lint(h.otherOrg.id, h.otherProject.id, "b1", "DL9999", 1),
    ],
    { source: "cli" },
  );
});
afterAll(async () => {
  await h?.close();
});

const get = (url: string, token = SERVICE_TOKEN) =>
  h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

describe("GET /v1/query/builds/:buildId/lint", () => {
  it("answers the build's findings only, of the asked org only", async () => {
    const res = await get(`/v1/query/builds/b1/lint?orgId=${h.org.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const codes = (res.json().findings as { code: string }[]).map((f) => f.code).sort();
    expect(codes).toEqual(["DL3008", "DL3059"]);
    // Org B has a finding on a build with the same id: it never shows up for org A, nor A's for B.
    const other = await get(`/v1/query/builds/b1/lint?orgId=${h.otherOrg.id}`);
    expect((other.json().findings as { code: string }[]).map((f) => f.code)).toEqual(["DL9999"]);
  });

  it("refuses an API token of another org and a bad limit", async () => {
    const res = await get(`/v1/query/builds/b1/lint?orgId=${h.org.id}`, h.otherOrgToken);
    expect(res.statusCode).toBe(403);
    const bad = await get(`/v1/query/builds/b1/lint?orgId=${h.org.id}&limit=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/^limit:/);
  });
});

describe("GET /v1/query/steps/history", () => {
  it("answers one row per build that ran the normalised step", async () => {
    const q = `orgId=${h.org.id}&projectId=${h.project.id}&since=2025-12-01`;
    const res = await get(`/v1/query/steps/history?${q}&step=${encodeURIComponent("RUN npm ci")}`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json().rows as { buildId: string }[]).map((r) => r.buildId).sort()).toEqual([
      "b1",
      "b2",
    ]);
  });

  it("needs a project and a step, and stays in the org", async () => {
    const missing = await get(`/v1/query/steps/history?orgId=${h.org.id}&step=x`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatch(/projectId/);
    const noStep = await get(`/v1/query/steps/history?orgId=${h.org.id}&projectId=p`);
    expect(noStep.json().error).toMatch(/step/);
    const other = await get(
      `/v1/query/steps/history?orgId=${h.otherOrg.id}&projectId=${h.project.id}&since=2025-12-01&step=RUN%20npm%20ci`,
    );
    expect(other.json().rows).toEqual([]);
  });
});
