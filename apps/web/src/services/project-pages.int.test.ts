// The project, cache, runner and webhook pages through their loaders and actions (what a form post
// without JavaScript reaches): validation next to fields, roles, tenancy, audit, ingest down.

import type { CacheUsage } from "@slipway/builder-core";
import { createSession } from "@slipway/db";
import { createProject, createTestDatabase, type TestDatabase } from "@slipway/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import * as cacheRoute from "../../app/routes/cache";
import * as settingsRoute from "../../app/routes/project-settings";
import * as newProjectRoute from "../../app/routes/projects-new";
import * as runnersRoute from "../../app/routes/runners";
import * as webhookRoute from "../../app/routes/webhooks";
import { getEnv } from "../env.server";
import {
  createTelemetryQueryClient,
  type QueryParams,
  setTelemetryQueryClient,
  TelemetryUnavailableError,
} from "../telemetry/query.server";
import { orgWithRoles } from "../testing/auth";
import { type CacheEngines, setCacheEngines } from "./cache.server";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof orgWithRoles>>;
let b: Awaited<ReturnType<typeof orgWithRoles>>;
let projectA: { id: string; slug: string };
const cookies = new Map<string, string>();
type Role = "OWNER" | "ADMIN" | "MEMBER" | "VIEWER";

// Loaders call getDb(); it keeps its client on globalThis, so point it at this file's database.
const holder = globalThis as typeof globalThis & { __slipwayWebDb?: unknown };

beforeAll(async () => {
  t = await createTestDatabase();
  holder.__slipwayWebDb = t.db;
  a = await orgWithRoles(t.db, "pages-a");
  b = await orgWithRoles(t.db, "pages-b");
  projectA = await createProject(t.db, {
    orgId: a.org.id,
    slug: "api",
    name: "API",
    settings: { platforms: ["linux/amd64", "linux/arm64"] },
  });
  for (const [key, org] of [
    ["a", a],
    ["b", b],
  ] as const) {
    for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const) {
      const { token } = await createSession(t.db, org.users[role].user.id);
      cookies.set(`${key}:${role}`, `__Host-slipway_session=${token}`);
    }
  }
});

afterAll(async () => {
  setTelemetryQueryClient(undefined);
  setCacheEngines(undefined);
  holder.__slipwayWebDb = undefined;
  await t?.drop();
});

// ---------------------------------------------------------------------------------------------
// Fakes for what is not PostgreSQL: ingest's answers and the builder pool.

const telemetryCalls: { path: string; params: QueryParams }[] = [];
let telemetryAnswers: Record<string, unknown> = {};

function fakeTelemetry() {
  setTelemetryQueryClient({
    async get<S extends z.ZodType>(path: string, params: QueryParams, schema: S) {
      telemetryCalls.push({ path, params });
      const answer = telemetryAnswers[path];
      if (answer === undefined) throw new TelemetryUnavailableError(`no answer for ${path}`);
      return schema.parse(answer) as z.output<S>;
    },
  });
}

/** Ingest is down: the real client against a port nothing listens on. */
function ingestDown() {
  setTelemetryQueryClient(
    createTelemetryQueryClient({
      baseUrl: "http://127.0.0.1:9",
      token: async () => "svc_test",
      timeoutMs: 2_000,
    }),
  );
}

const usage: CacheUsage = {
  records: [
    {
      id: "rec-small",
      type: "regular",
      description: "mount / from exec /bin/sh -c apk add curl",
      inUse: false,
      shared: false,
      sizeBytes: 1_000,
      lastUsedAt: "2026-01-02T00:00:00Z",
      usageCount: 3,
    },
    {
      id: "rec-big",
      type: "source.local",
      inUse: true,
      shared: true,
      sizeBytes: 9_000_000,
      usageCount: 12,
    },
  ],
  count: 2,
  totalBytes: 9_001_000,
  reclaimableBytes: 1_000,
  sharedBytes: 9_000_000,
  inUseBytes: 9_000_000,
};

const resets: { projectId: string; platform: string }[] = [];
let running = true;

beforeEach(() => {
  telemetryCalls.length = 0;
  telemetryAnswers = {};
  resets.length = 0;
  running = true;
  fakeTelemetry();
  const engines: CacheEngines = {
    cacheUsage: async (projectId) => (running && projectId === projectA.id ? usage : undefined),
    resetCache: async (projectId, platform) => {
      if (!running) return undefined;
      resets.push({ projectId, platform });
      return { deletedIds: ["rec-small", "rec-big"], reclaimedBytes: 9_001_000 };
    },
    builders: async (projectId) => ({
      engines:
        running && projectId === projectA.id
          ? [
              {
                id: "eng-main",
                platform: "linux/amd64",
                kind: "main",
                state: "ready",
                runningBuilds: 1,
                seededFrom: "main",
              },
            ]
          : [],
      snapshots: [],
    }),
  };
  setCacheEngines(engines);
});

// ---------------------------------------------------------------------------------------------
// Calling loaders and actions like React Router does.

type Outcome = { status: number; body: Record<string, unknown> | null; location?: string | null };

function toOutcome(value: unknown, fallback: number): Outcome {
  if (value instanceof Response) {
    return { status: value.status, body: null, location: value.headers.get("location") };
  }
  if (value && typeof value === "object" && "init" in value && "data" in value) {
    const init = (value as { init?: { status?: number } | null }).init;
    return {
      status: init?.status ?? 200,
      body: (value as { data: Record<string, unknown> }).data,
    };
  }
  return { status: fallback, body: value as Record<string, unknown> };
}

const bodyOf = (o: Outcome): Record<string, unknown> => o.body ?? {};
const errorsOf = (o: Outcome) => (o.body?.errors ?? {}) as Record<string, string>;

async function run(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return toOutcome(await fn(), 200);
  } catch (error) {
    if (error instanceof Error) throw error;
    return toOutcome(error, 500);
  }
}

function request(who: string, path: string, form?: Record<string, string | string[]>) {
  const headers = { cookie: cookies.get(who) ?? "" };
  if (!form) return new Request(`http://localhost${path}`, { headers });
  const body = new FormData();
  for (const [k, v] of Object.entries(form)) {
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  }
  return new Request(`http://localhost${path}`, { method: "POST", headers, body });
}

// Route functions take React Router's argument object; these tests give what they read.
type Args = { request: Request; params: Record<string, string>; context: unknown };
const call = (fn: (args: never) => Promise<unknown>, args: Args) => run(() => fn(args as never));

const page = (who: string, path: string, params: Record<string, string>) => ({
  request: request(who, path),
  params,
  context: {},
});
const post = (
  who: string,
  path: string,
  params: Record<string, string>,
  form: Record<string, string | string[]>,
) => ({ request: request(who, path, form), params, context: {} });

const auditCount = (orgId: string, action: string) =>
  t.db.auditEvent.count({ where: { orgId, action } });

const goodSettings = {
  intent: "settings",
  builderSize: "MEDIUM",
  platforms: ["linux/amd64", "linux/arm64"],
  autoscalingEnabled: "on",
  buildsPerBuilder: "2",
  maxBuilders: "3",
  cacheSizeLimitGiB: "30",
  cacheRetentionDays: "10",
  lintPolicy: "FAIL_ON_ERROR",
};

// ---------------------------------------------------------------------------------------------

describe("new project page", () => {
  const params = { orgSlug: "pages-a" };
  it("creates and redirects to the settings; a taken name answers 409 next to the field", async () => {
    const created = await call(
      newProjectRoute.action,
      post("a:MEMBER", "/orgs/pages-a/projects/new", params, { name: "Web App", slug: "" }),
    );
    expect(created.status).toBe(302);
    expect(created.location).toBe("/orgs/pages-a/projects/web-app/settings?created=1");
    const taken = await call(
      newProjectRoute.action,
      post("a:MEMBER", "/orgs/pages-a/projects/new", params, { name: "Web App", slug: "" }),
    );
    expect(taken.status).toBe(409);
    expect(errorsOf(taken).name).toMatch(/already has a project/);
    const invalid = await call(
      newProjectRoute.action,
      post("a:MEMBER", "/orgs/pages-a/projects/new", params, { name: "", slug: "BAD SLUG" }),
    );
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body?.allErrors as object)).toEqual(["name"]);
  });

  it("is refused to viewers (403) and to other orgs (404)", async () => {
    expect(
      (await call(newProjectRoute.loader, page("a:VIEWER", "/orgs/pages-a/projects/new", params)))
        .status,
    ).toBe(403);
    const foreign = await call(
      newProjectRoute.action,
      post("b:OWNER", "/orgs/pages-a/projects/new", params, { name: "Injected" }),
    );
    expect(foreign.status).toBe(404);
    expect(await t.db.project.count({ where: { name: "Injected" } })).toBe(0);
  });
});

describe("project settings page", () => {
  const params = { orgSlug: "pages-a", projectSlug: "api" };
  const path = "/orgs/pages-a/projects/api/settings";

  it("shows every field's error after a bad form post and saves a good one", async () => {
    const bad = await call(
      settingsRoute.action,
      post("a:MEMBER", path, params, {
        ...goodSettings,
        platforms: [],
        buildsPerBuilder: "-1",
        cacheSizeLimitGiB: "",
      }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body?.errors as object).sort()).toEqual([
      "buildsPerBuilder",
      "cacheSizeLimitGiB",
      "platforms",
    ]);
    // The posted values come back so the form shows what was typed.
    expect(bad.body?.values).toMatchObject({ buildsPerBuilder: "-1", platforms: [] });

    const good = await call(settingsRoute.action, post("a:MEMBER", path, params, goodSettings));
    expect(good.status).toBe(200);
    expect(good.body?.notice).toMatch(/next build/);
    const loaded = await call(settingsRoute.loader, page("a:VIEWER", path, params));
    expect(loaded.body?.settings).toEqual({
      builderSize: "MEDIUM",
      platforms: ["linux/amd64", "linux/arm64"],
      autoscalingEnabled: true,
      buildsPerBuilder: 2,
      maxBuilders: 3,
      cacheSizeLimitGiB: 30,
      cacheRetentionDays: 10,
      lintPolicy: "FAIL_ON_ERROR",
    });
    expect(loaded.body?.can).toEqual({ update: false, rename: false, delete: false });
    expect(await auditCount(a.org.id, "project.settings.updated")).toBe(1);
  });

  it("refuses viewers (403) and every role of another org (404), changing nothing", async () => {
    const viewer = await call(
      settingsRoute.action,
      post("a:VIEWER", path, params, { ...goodSettings, builderSize: "LARGE" }),
    );
    expect(viewer.status).toBe(403);
    for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as Role[]) {
      expect((await call(settingsRoute.loader, page(`b:${role}`, path, params))).status).toBe(404);
      const forms: Record<string, string | string[]>[] = [
        { ...goodSettings, builderSize: "LARGE" },
        { intent: "rename", name: "Pwned" },
        { intent: "delete", confirm: "API" },
      ];
      for (const form of forms) {
        const refused = await call(settingsRoute.action, post(`b:${role}`, path, params, form));
        expect(refused.status, `${role} of org B: ${form.intent}`).toBe(404);
      }
    }
    const stored = await t.db.project.findUniqueOrThrow({
      where: { id: projectA.id },
      include: { settings: true },
    });
    expect(stored).toMatchObject({ name: "API", deletedAt: null });
    expect(stored.settings?.builderSize).toBe("MEDIUM");
  });

  it("deletes with the typed name only, then the page is gone", async () => {
    const other = await createProject(t.db, { orgId: a.org.id, slug: "old", name: "Old thing" });
    const p = { orgSlug: "pages-a", projectSlug: "old" };
    const at = "/orgs/pages-a/projects/old/settings";
    const wrong = await call(
      settingsRoute.action,
      post("a:ADMIN", at, p, { intent: "delete", confirm: "old" }),
    );
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong).confirm).toMatch(/Old thing/);
    const member = await call(
      settingsRoute.action,
      post("a:MEMBER", at, p, { intent: "delete", confirm: "Old thing" }),
    );
    expect(member.status).toBe(403);
    const done = await call(
      settingsRoute.action,
      post("a:ADMIN", at, p, { intent: "delete", confirm: "Old thing" }),
    );
    expect(done.status).toBe(302);
    expect(done.location).toBe("/orgs/pages-a?deleted=old");
    expect((await call(settingsRoute.loader, page("a:ADMIN", at, p))).status).toBe(404);
    expect(
      await t.db.auditEvent.count({ where: { action: "project.deleted", targetId: other.id } }),
    ).toBe(1);
  });
});

describe("cache page", () => {
  const params = { orgSlug: "pages-a", projectSlug: "api" };
  const path = "/orgs/pages-a/projects/api/cache";

  it("shows the live records (largest first) and the size trend against the limit", async () => {
    telemetryAnswers["/v1/query/cache/size"] = {
      rows: [{ bucket: "2026-01-01T00:00:00Z", sizeBytes: 5, reclaimableBytes: 1, projects: 1 }],
    };
    const loaded = await call(cacheRoute.loader, page("a:VIEWER", path, params));
    expect(loaded.status).toBe(200);
    const view = loaded.body?.view as {
      live: { running: boolean; records: { id: string }[] };
      trend: { ok: boolean; data: unknown[] };
      limitBytes: number;
      platform: string;
    };
    expect(view.platform).toBe("linux/amd64");
    expect(view.live.running).toBe(true);
    expect(view.live.records.map((r) => r.id)).toEqual(["rec-big", "rec-small"]);
    expect(view.trend).toEqual({
      ok: true,
      data: [{ day: "2026-01-01", sizeBytes: 5, reclaimableBytes: 1 }],
    });
    expect(view.limitBytes).toBe(30 * 1024 ** 3);
    // The trend is asked for this org and project only.
    expect(telemetryCalls[0]?.params).toMatchObject({ orgId: a.org.id, projectId: projectA.id });
    expect(loaded.body?.canReset).toBe(false);
  });

  it("says no builder is running, and still answers 200 when ingest is down", async () => {
    running = false;
    ingestDown();
    const loaded = await call(cacheRoute.loader, page("a:OWNER", path, params));
    expect(loaded.status).toBe(200);
    const view = loaded.body?.view as {
      live: { running: boolean };
      trend: { ok: boolean; reason: string };
    };
    expect(view.live).toEqual({ running: false, reason: null });
    expect(view.trend.ok).toBe(false);
    expect(view.trend.reason).toMatch(/ingest is not reachable/);
  });

  it("answers 400 for a platform the project does not build and 404 for another org", async () => {
    const wrong = await call(
      cacheRoute.loader,
      page("a:OWNER", `${path}?platform=linux/s390x`, params),
    );
    expect(wrong.status).toBe(400);
    expect((await call(cacheRoute.loader, page("b:OWNER", path, params))).status).toBe(404);
  });

  it("resets for owners and admins with confirmation, audited once; refuses everyone else", async () => {
    const noConfirm = await call(
      cacheRoute.action,
      post("a:ADMIN", path, params, { intent: "reset", platform: "linux/amd64" }),
    );
    expect(noConfirm.status).toBe(400);
    expect(errorsOf(noConfirm).confirm).toMatch(/Tick the box/);
    const member = await call(
      cacheRoute.action,
      post("a:MEMBER", path, params, { intent: "reset", platform: "linux/amd64", confirm: "on" }),
    );
    expect(member.status).toBe(403);
    for (const role of ["OWNER", "ADMIN"] as Role[]) {
      const foreign = await call(
        cacheRoute.action,
        post(`b:${role}`, path, params, {
          intent: "reset",
          platform: "linux/amd64",
          confirm: "on",
        }),
      );
      expect(foreign.status).toBe(404);
    }
    expect(resets).toEqual([]);
    expect(await auditCount(a.org.id, "cache.reset")).toBe(0);

    const done = await call(
      cacheRoute.action,
      post("a:OWNER", path, params, { intent: "reset", platform: "linux/arm64", confirm: "on" }),
    );
    expect(done.status).toBe(200);
    expect(done.body?.notice).toMatch(/linux\/arm64 reset: 2 records deleted/);
    expect(resets).toEqual([{ projectId: projectA.id, platform: "linux/arm64" }]);
    const [event] = await t.db.auditEvent.findMany({
      where: { orgId: a.org.id, action: "cache.reset" },
    });
    expect(event).toMatchObject({
      targetId: projectA.id,
      changes: { platform: "linux/arm64", deletedRecords: 2, reclaimedBytes: 9_001_000 },
    });

    running = false;
    const idle = await call(
      cacheRoute.action,
      post("a:OWNER", path, params, { intent: "reset", platform: "linux/amd64", confirm: "on" }),
    );
    expect(idle.status).toBe(409);
    expect(idle.body?.formError).toMatch(/No builder of API is running/);
    expect(await auditCount(a.org.id, "cache.reset")).toBe(1);
  });
});

describe("runners and webhook pages", () => {
  const params = { orgSlug: "pages-a" };
  const job = {
    projectId: null,
    repository: "acme/api",
    workflow: "CI",
    runId: 1,
    runAttempt: 1,
    jobId: 42,
    jobName: "test",
    labels: ["ubuntu-latest"],
    runnerName: "gh-1",
    runnerGroup: null,
    status: "completed",
    conclusion: "success",
    queuedAt: "2026-01-02T10:00:00.000Z",
    startedAt: "2026-01-02T10:00:05.000Z",
    completedAt: "2026-01-02T10:01:05.000Z",
    queueMs: 5000,
    durationMs: 60000,
  };

  it("asks ingest for the caller's org only and pages the jobs", async () => {
    telemetryAnswers = {
      "/v1/query/runners/labels": {
        rows: [
          {
            label: "ubuntu-latest",
            jobs: 26,
            runMinutes: 26,
            p50QueueMs: 5000,
            p95QueueMs: 9000,
            maxQueueMs: 12000,
          },
        ],
      },
      "/v1/query/runners/daily": { rows: [] },
      "/v1/query/runners/jobs": {
        rows: Array.from({ length: 26 }, (_, i) => ({ ...job, jobId: i + 1 })),
      },
    };
    const first = await call(
      runnersRoute.loader,
      page("a:VIEWER", "/orgs/pages-a/runners", params),
    );
    expect(first.status).toBe(200);
    const data = (
      bodyOf(first).runners as {
        ok: true;
        data: { jobs: { rows: unknown[]; hasNext: boolean } };
      }
    ).data;
    expect(data.jobs.rows).toHaveLength(25);
    expect(data.jobs.hasNext).toBe(true);
    expect(telemetryCalls.map((c) => c.params.orgId)).toEqual([a.org.id, a.org.id, a.org.id]);
    expect(telemetryCalls.find((c) => c.path === "/v1/query/runners/jobs")?.params.limit).toBe(26);

    const second = await call(
      runnersRoute.loader,
      page("a:VIEWER", "/orgs/pages-a/runners?page=2&days=7", params),
    );
    const page2 = (
      bodyOf(second).runners as { data: { jobs: { rows: unknown[]; hasNext: boolean } } }
    ).data.jobs;
    expect(page2.rows).toHaveLength(1);
    expect(page2.hasNext).toBe(false);

    expect(
      (await call(runnersRoute.loader, page("a:VIEWER", "/orgs/pages-a/runners?days=3", params)))
        .status,
    ).toBe(400);
    expect(
      (await call(runnersRoute.loader, page("b:OWNER", "/orgs/pages-a/runners", params))).status,
    ).toBe(404);
  });

  it("shows 'insights unavailable' instead of failing when ingest is down", async () => {
    ingestDown();
    const loaded = await call(
      runnersRoute.loader,
      page("a:MEMBER", "/orgs/pages-a/runners", params),
    );
    expect(loaded.status).toBe(200);
    expect(loaded.body?.runners).toMatchObject({ ok: false });
    const setup = await call(
      webhookRoute.loader,
      page("a:MEMBER", "/orgs/pages-a/runners/webhook", params),
    );
    expect(setup.status).toBe(200);
    expect((bodyOf(setup).setup as { lastJob: { ok: boolean } }).lastJob.ok).toBe(false);
  });

  it("generates the secret once for owners and admins, stores it for ingest, audits without it", async () => {
    const path = "/orgs/pages-a/runners/webhook";
    const before = await call(webhookRoute.loader, page("a:OWNER", path, params));
    expect(before.body?.setup).toMatchObject({
      url: new URL("/v1/github/webhook/pages-a", getEnv().INGEST_URL).toString(),
      contentType: "application/json",
      events: ["workflow_job", "workflow_run"],
      secretConfigured: false,
    });
    expect(
      (await call(webhookRoute.action, post("a:MEMBER", path, params, { intent: "rotate" })))
        .status,
    ).toBe(403);
    expect(
      (await call(webhookRoute.action, post("b:OWNER", path, params, { intent: "rotate" }))).status,
    ).toBe(404);
    expect(await auditCount(a.org.id, "webhook.secret_rotated")).toBe(0);

    const first = await call(
      webhookRoute.action,
      post("a:ADMIN", path, params, { intent: "rotate" }),
    );
    const secret = first.body?.secret as string;
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    // Ingest verifies X-Hub-Signature-256 with this exact value (an HMAC key cannot be a hash).
    const org = await t.db.org.findUniqueOrThrow({ where: { id: a.org.id } });
    expect(org.githubWebhookSecret).toBe(secret);
    const second = await call(
      webhookRoute.action,
      post("a:OWNER", path, params, { intent: "rotate" }),
    );
    expect(second.body?.secret).not.toBe(secret);
    expect(second.body?.replaced).toBe(true);

    const events = await t.db.auditEvent.findMany({
      where: { orgId: a.org.id, action: "webhook.secret_rotated" },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.changes)).toEqual([
      { githubWebhookSecret: { from: null, to: "set" } },
      { githubWebhookSecret: { from: "set", to: "set" } },
    ]);
    expect(JSON.stringify(events.map((e) => [e.changes, e.targetName]))).not.toContain(secret);

    const after = await call(webhookRoute.loader, page("a:VIEWER", path, params));
    expect((bodyOf(after).setup as { secretConfigured: boolean }).secretConfigured).toBe(true);
    expect(JSON.stringify(after.body)).not.toContain(second.body?.secret as string);
    // Org B's secret is untouched.
    expect(
      (await t.db.org.findUniqueOrThrow({ where: { id: b.org.id } })).githubWebhookSecret,
    ).toBeNull();
  });
});
