import { Webhooks } from "@octokit/webhooks";
import examples from "@octokit/webhooks-examples";
import { writeEvents } from "@slipway/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, stepEvent, waitFor } from "./testing.ts";

const SECRET = "webhook-secret-for-tests";
const SERVICE_TOKEN = "svc_".padEnd(40, "x");
let h: Harness;

type Example = { name: string; examples: Record<string, unknown>[] };
const payloads = (name: string) =>
  ((examples as unknown as Example[]).find((e) => e.name === name)?.examples ?? []) as {
    action: string;
    workflow_job?: { id: number; steps: unknown[]; status: string };
    workflow_run?: { id: number };
  }[];

beforeAll(async () => {
  h = await createHarness({ server: { serviceToken: SERVICE_TOKEN } });
  await h.database.db.org.update({
    where: { id: h.org.id },
    data: { githubWebhookSecret: SECRET },
  });
});
afterAll(async () => {
  await h?.close();
});

async function deliver(
  event: string,
  payload: unknown,
  opts: { secret?: string; slug?: string } = {},
) {
  const body = JSON.stringify(payload);
  const signature = await new Webhooks({ secret: opts.secret ?? SECRET }).sign(body);
  return h.app.inject({
    method: "POST",
    url: `/v1/github/webhook/${opts.slug ?? h.org.slug}`,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": signature,
    },
    payload: body,
  });
}

describe("POST /v1/github/webhook", () => {
  it("stores workflow_job deliveries (real example payloads) with steps and queue time", async () => {
    const worker = h.startWorker();
    const jobs = payloads("workflow_job");
    expect(jobs.length).toBeGreaterThan(3);
    for (const p of jobs) {
      const res = await deliver("workflow_job", p);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ status: "accepted", steps: p.workflow_job?.steps.length });
    }
    // Deliveries of the same job in the same status are the same event (same id).
    const distinct = new Set(
      jobs.map((p) => {
        const j = p.workflow_job as unknown as Record<string, unknown>;
        const repo = (p as unknown as { repository: { full_name: string } }).repository.full_name;
        return `${repo}:${j.run_id}:${j.run_attempt}:${j.id}:${j.status}`;
      }),
    ).size;
    expect(distinct).toBeGreaterThan(3);
    const completed = jobs.find((p) => p.workflow_job?.status === "completed");
    await waitFor(
      async () => {
        const rows = await h.store.query<{ n: number }>(
          "SELECT count() AS n FROM runner_jobs_v1 FINAL WHERE org_id = {o:String}",
          { o: h.org.id },
        );
        return Number(rows[0]?.n) === distinct;
      },
      20_000,
      "runner jobs stored",
    );
    const [job] = await h.store.query<Record<string, unknown>>(
      `SELECT workflow, labels, runner_name, runner_group, queue_ms, duration_ms, conclusion, run_attempt
       FROM runner_jobs_v1 FINAL WHERE org_id = {o:String} AND job_id = {j:UInt64} AND status = 'completed' LIMIT 1`,
      { o: h.org.id, j: completed?.workflow_job?.id ?? 0 },
    );
    expect(job).toMatchObject({
      workflow: "CodeQL",
      labels: ["ubuntu-latest"],
      runner_name: "GitHub Actions 5",
      queue_ms: 60_000,
    });
    const [steps] = await h.store.query<{ n: number }>(
      "SELECT count() AS n FROM runner_steps_v1 FINAL WHERE org_id = {o:String}",
      { o: h.org.id },
    );
    expect(Number(steps?.n)).toBeGreaterThan(10);
    // Re-delivery of the same payload stores nothing new.
    await deliver("workflow_job", completed);
    await new Promise((r) => setTimeout(r, 300));
    const [again] = await h.store.query<{ n: number }>(
      "SELECT count() AS n FROM runner_jobs_v1 FINAL WHERE org_id = {o:String}",
      { o: h.org.id },
    );
    expect(Number(again?.n)).toBe(distinct);
    await worker.close();
  });

  it("answers 401 for a bad signature, an unknown org and an org without a secret", async () => {
    const [p] = payloads("workflow_job");
    const bad = await deliver("workflow_job", p, { secret: "wrong" });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatch(/does not match/);
    const unknown = await deliver("workflow_job", p, { slug: "no-such-org" });
    expect(unknown.statusCode).toBe(401);
    const noSecret = await deliver("workflow_job", p, { slug: h.otherOrg.slug });
    expect(noSecret.json().error).toMatch(/no GitHub webhook secret/);
  });

  it("accepts workflow_run, acknowledges unhandled types as ignored", async () => {
    const [run] = payloads("workflow_run");
    const res = await deliver("workflow_run", run);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe("accepted");
    const push = await deliver("push", { ref: "refs/heads/main" });
    expect(push.statusCode).toBe(202);
    expect(push.json()).toMatchObject({ status: "ignored", reason: /push is not handled/ });
  });
});

describe("GET /v1/query", () => {
  const get = (url: string, token = SERVICE_TOKEN) =>
    h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    const events = Array.from({ length: 30 }, () => stepEvent(h.org.id, h.project.id));
    const { parseTelemetryEvent } = await import("@slipway/telemetry");
    await writeEvents(
      h.store,
      events.map((e) => {
        const r = parseTelemetryEvent(e);
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        return r.event;
      }),
      { source: "cli" },
    );
  });

  it("serves a build trace and the insight queries to the service token", async () => {
    const q = `orgId=${h.org.id}&since=2025-12-01`;
    const trace = await get(`/v1/query/builds/build-1/steps?orgId=${h.org.id}`);
    expect(trace.statusCode, trace.body).toBe(200);
    const steps = trace.json().steps as { startedAt: string }[];
    expect(steps.length).toBe(30);
    expect(steps.map((s) => s.startedAt)).toEqual([...steps.map((s) => s.startedAt)].sort());
    const slow = await get(`/v1/query/steps/slowest?${q}&projectId=${h.project.id}`);
    expect(slow.statusCode, slow.body).toBe(200);
    expect(slow.json().rows[0]).toMatchObject({
      step: expect.stringMatching(/^RUN step \d$/),
      runs: expect.any(Number),
    });
    for (const path of [
      "cache/hit-ratio",
      "builds/durations",
      "lint/rules",
      "runners/labels",
      "cache/size",
    ]) {
      const res = await get(`/v1/query/${path}?${q}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    }
    const hit = (await get(`/v1/query/cache/hit-ratio?${q}`)).json().rows;
    expect(hit[0]).toMatchObject({ steps: 30, cachedSteps: 10, hitRatio: 0.3333 });
    const labels = (await get(`/v1/query/runners/labels?orgId=${h.org.id}&since=2020-01-01`)).json()
      .rows;
    expect(labels.map((l: { label: string }) => l.label)).toContain("ubuntu-latest");
  });

  it("answers 400 naming the bad parameter, 401 without a valid token", async () => {
    const res = await get(`/v1/query/steps/slowest?orgId=${h.org.id}&since=tomorrowish`);
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .params.map((p: { param: string }) => p.param)
        .sort(),
    ).toEqual(["projectId", "since"]);
    const noOrg = await get("/v1/query/cache/size");
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().error).toMatch(/^orgId: /);
    expect((await get(`/v1/query/cache/size?orgId=${h.org.id}`, "wrong")).statusCode).toBe(401);
  });

  it("lets an API token read its own org only", async () => {
    const own = await get(
      `/v1/query/cache/hit-ratio?orgId=${h.org.id}&since=2025-12-01`,
      h.orgToken,
    );
    expect(own.statusCode).toBe(200);
    const other = await get(
      `/v1/query/cache/hit-ratio?orgId=${h.org.id}&since=2025-12-01`,
      h.otherOrgToken,
    );
    expect(other.statusCode).toBe(403);
    // Org B reading its own org sees none of org A's rows.
    const mine = await get(
      `/v1/query/builds/build-1/steps?orgId=${h.otherOrg.id}`,
      h.otherOrgToken,
    );
    expect(mine.json().steps).toEqual([]);
    const projectWide = await get(`/v1/query/cache/size?orgId=${h.org.id}`, h.projectToken);
    expect(projectWide.statusCode).toBe(403);
  });

  it("refuses project tokens on the org-wide runner data, even scoped to their project", async () => {
    const scoped = await get(
      `/v1/query/runners/labels?orgId=${h.org.id}&projectId=${h.project.id}&since=2020-01-01`,
      h.projectToken,
    );
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json().error).toMatch(/whole org.*project API token/);
    const unscoped = await get(
      `/v1/query/runners/labels?orgId=${h.org.id}&since=2020-01-01`,
      h.projectToken,
    );
    expect(unscoped.statusCode).toBe(403);
    // The same project token still reads its project's build insights, and org tokens the runners.
    const own = await get(
      `/v1/query/cache/hit-ratio?orgId=${h.org.id}&projectId=${h.project.id}&since=2025-12-01`,
      h.projectToken,
    );
    expect(own.statusCode).toBe(200);
    const org = await get(
      `/v1/query/runners/labels?orgId=${h.org.id}&since=2020-01-01`,
      h.orgToken,
    );
    expect(org.statusCode).toBe(200);
  });
});
