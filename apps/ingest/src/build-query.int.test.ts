/**
 * GET /v1/query/builds/:buildId/lint, /v1/query/builds/:buildId/steps/:digest/logs and
 * /v1/query/steps/history: answers, bad input, tenancy.
 */
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

const DIGEST = `sha256:${"d".repeat(64)}`;
const LOGS = [
  { at: "2026-01-01T12:00:01.500Z", stream: "stdout", text: "added 812 packages\n" },
  { at: null, stream: "stderr", text: 'npm warn\ttab \\ back ünïcødé ✓ 𝄞 "quoted"\r\n' },
];

beforeAll(async () => {
  h = await createHarness({ server: { serviceToken: SERVICE_TOKEN } });
  const step = (
    orgId: string,
    projectId: string,
    buildId: string,
    name: string,
    extra: Record<string, unknown> = {},
  ) => {
    const e = stepEvent(orgId, projectId) as { data: Record<string, unknown> };
    e.data.buildId = buildId;
    e.data.name = name;
    Object.assign(e.data, extra);
    return parsed(e);
  };
  await writeEvents(
    h.store,
    [
      step(h.org.id, h.project.id, "b1", "[build 2/4] RUN npm ci"),
      step(h.org.id, h.project.id, "b2", "[build 2/4] RUN  npm ci"),
      step(h.org.id, h.project.id, "b2", "[build 3/4] COPY . ."),
      step(h.otherOrg.id, h.otherProject.id, "b9", "[build 2/4] RUN npm ci"),
      step(h.org.id, h.project.id, "b1", "[build 3/4] RUN npm test", {
        digest: DIGEST,
        logs: LOGS,
        logsTruncated: true,
      }),
      // Org B: a step with the same build id and digest, its own logs.
      step(h.otherOrg.id, h.otherProject.id, "b1", "[build 3/4] RUN npm test", {
        digest: DIGEST,
        logs: [{ stream: "stdout", text: "org B only" }],
      }),
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

describe("GET /v1/query/builds/:buildId/steps/:digest/logs", () => {
  const url = (o: { orgId?: string; projectId?: string; buildId?: string; digest?: string }) => {
    const q = new URLSearchParams();
    if (o.orgId !== undefined) q.set("orgId", o.orgId);
    if (o.projectId !== undefined) q.set("projectId", o.projectId);
    return `/v1/query/builds/${o.buildId ?? "b1"}/steps/${o.digest ?? DIGEST}/logs?${q}`;
  };
  const mine = () => ({ orgId: h.org.id, projectId: h.project.id });

  it("answers the step's logs, as stored, to the service token and the org's tokens", async () => {
    const body = {
      orgId: h.org.id,
      buildId: "b1",
      digest: DIGEST,
      logs: LOGS,
      logsTruncated: true,
    };
    const res = await get(url(mine()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(body);
    // The digest's colon may come percent-encoded.
    const encoded = await get(url({ ...mine(), digest: encodeURIComponent(DIGEST) }));
    expect(encoded.json()).toEqual(body);
    expect((await get(url(mine()), h.orgToken)).json()).toEqual(body);
    expect((await get(url(mine()), h.projectToken)).json()).toEqual(body);
  });

  it("answers 404 naming the step for an unknown digest, build or project", async () => {
    const other = `sha256:${"e".repeat(64)}`;
    const res = await get(url({ ...mine(), digest: other }));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: `no step ${other} in build b1` });
    const noBuild = await get(url({ ...mine(), buildId: "b7" }));
    expect(noBuild.statusCode).toBe(404);
    expect(noBuild.json()).toEqual({ error: `no step ${DIGEST} in build b7` });
    const otherProject = await get(url({ ...mine(), projectId: h.project2.id }));
    expect(otherProject.statusCode).toBe(404);
  });

  it("never gives org A's logs to org B", async () => {
    // Org B's token asking for org A: refused before any read.
    const asked = await get(url(mine()), h.otherOrgToken);
    expect(asked.statusCode).toBe(403);
    expect(asked.body).not.toContain("packages");
    // Org B's token in its own org, naming org A's project: not found.
    const own = await get(url({ orgId: h.otherOrg.id, projectId: h.project.id }), h.otherOrgToken);
    expect(own.statusCode).toBe(404);
    expect(own.body).not.toContain("packages");
    // Org B's own step (same build id and digest) holds only its own logs.
    const b = await get(
      url({ orgId: h.otherOrg.id, projectId: h.otherProject.id }),
      h.otherOrgToken,
    );
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().logs).toEqual([{ at: null, stream: "stdout", text: "org B only" }]);
    // A project token only reads its project, and needs it named.
    const project2 = await get(url({ ...mine(), projectId: h.project2.id }), h.projectToken);
    expect(project2.statusCode).toBe(403);
    const unnamed = await get(url({ orgId: h.org.id }), h.projectToken);
    expect(unnamed.statusCode).toBe(403);
    // No token, or an unknown one.
    const none = await h.app.inject({ method: "GET", url: url(mine()) });
    expect(none.statusCode).toBe(401);
    expect((await get(url(mine()), "slw_nope")).statusCode).toBe(401);
  });

  it("answers 400 naming the parameter: a bad digest, no project, no org", async () => {
    for (const bad of ["abc", `sha256:${"D".repeat(64)}`, `sha256:${"d".repeat(63)}`, "sha256:"]) {
      const res = await get(url({ ...mine(), digest: encodeURIComponent(bad) }));
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error).toMatch(/^digest: expected a digest like sha256:<64 hex/);
      expect(res.json().params).toEqual([{ param: "digest", message: expect.any(String) }]);
    }
    const noProject = await get(url({ orgId: h.org.id }));
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json().error).toMatch(/^projectId:/);
    const noOrg = await get(url({ projectId: h.project.id }));
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().error).toMatch(/^orgId:/);
  });
});
