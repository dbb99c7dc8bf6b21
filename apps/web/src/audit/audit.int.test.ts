import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closePeriod } from "@slipway/billing";
import type { PruneResult } from "@slipway/builder-core";
import { AUDIT_ACTION_NAMES, createSession, type Role, recordAudit } from "@slipway/db";
import {
  createApiToken,
  createBuild,
  createProject,
  createTestDatabase,
  ensurePlans,
  TEST_PASSWORD,
  type TestDatabase,
} from "@slipway/db/testing";
import { TRPCError } from "@trpc/server";
import tar from "tar-stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/routes/audit";
import * as exportRoute from "../../app/routes/audit-export";
import type { ApiDeps } from "../api/handlers.server";
import { serveFetchHandler } from "../api/node-server";
import { API_ROUTES, handleApiRequest } from "../api/router.server";
import type { LimitCheck, SigninLimiter } from "../auth/rate-limit.server";
import { assertBuildAllowed } from "../billing/build-gate.server";
import { BuildService, type StartBuildInput } from "../builds/service.server";
import { SpoolSink, spoolFile } from "../builds/sink.server";
import { signIn, signOut } from "../services/accounts.server";
import { setCacheEngines } from "../services/cache.server";
import { callerFor, orgWithRoles, signedInUser, TEST_INFO } from "../testing/auth";
import { appRouter } from "../trpc/router";
import {
  type CaseContext,
  MUTATION_CASES,
  REST_WRITE_CASES,
  type RestCall,
  type RestCaseContext,
  restRouteKey,
} from "./mutation-cases";
import { exportAuditStream, readAuditPage } from "./service.server";

const bin = fileURLToPath(new URL("../../../cli/bin/slipway.js", import.meta.url));

/**
 * The API's build service with its engine side replaced (this file runs no BuildKit engine):
 * `start` records the build row like the real one (after the same spend-limit gate) and answers
 * an empty stream; `resetCache` prunes a pretend main builder, or finds none running.
 */
class EnginelessBuilds extends BuildService {
  running = false;
  readonly db: TestDatabase["db"];
  constructor(options: ConstructorParameters<typeof BuildService>[0]) {
    super(options);
    this.db = options.db;
  }
  override async start(input: StartBuildInput) {
    await assertBuildAllowed(this.db, input.org);
    const build = await createBuild(this.db, {
      project: { id: input.project.id, orgId: input.org.id },
      platforms: input.platforms,
      tags: input.tags,
      triggeredBy: input.trigger.name,
      triggeredByTokenId: input.trigger.tokenId,
    });
    await rm(input.contextTar, { force: true });
    return { buildId: build.id, stream: new ReadableStream({ start: (c) => c.close() }) };
  }
  override async resetCache(): Promise<PruneResult | undefined> {
    return this.running ? { deletedIds: ["rec-1", "rec-2"], reclaimedBytes: 4096 } : undefined;
  }
}

let t: TestDatabase;
let stateDir: string;
let server: Server;
let url: string;
let service: EnginelessBuilds;

// Route loaders call getDb(); it keeps its client on globalThis, so point it at this database.
const holder = globalThis as typeof globalThis & { __slipwayWebDb?: unknown };

beforeAll(async () => {
  t = await createTestDatabase();
  holder.__slipwayWebDb = t.db;
  await ensurePlans(t.db);
  stateDir = await mkdtemp(join(tmpdir(), "slipway-audit-"));
  service = new EnginelessBuilds({
    db: t.db,
    stateDir,
    maxContextBytes: 1024 * 1024,
    sink: new SpoolSink(spoolFile(stateDir)),
  });
  const deps: ApiDeps = { db: t.db, builds: service };
  server = serveFetchHandler((request) => handleApiRequest(request, deps));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  setCacheEngines(undefined);
  if (service) service.running = false;
});

afterAll(async () => {
  holder.__slipwayWebDb = undefined;
  await service?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await t?.drop();
  await rm(stateDir, { recursive: true, force: true });
});

const procedures = () =>
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

async function call(auth: Parameters<typeof callerFor>[1], path: string, input: unknown) {
  let target: unknown = callerFor(t.db, auth);
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (i: unknown) => Promise<unknown>)(input);
}

async function context(): Promise<CaseContext> {
  const { org, users, memberships } = await orgWithRoles(t.db);
  return { db: t.db, org, users, memberships, outsider: await signedInUser(t.db) };
}

const eventCount = () => t.db.auditEvent.count();

async function tarOf(dockerfile: string): Promise<Uint8Array<ArrayBuffer>> {
  const pack = tar.pack();
  pack.entry({ name: "Dockerfile" }, dockerfile);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

async function rest(token: string, c: RestCall): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    "x-request-id": c.requestId ?? "req-audit-rest",
  };
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (c.context !== undefined) {
    headers["content-type"] = "application/x-tar";
    body = await tarOf(c.context);
  }
  const answer = await fetch(`${url}/api/v1/${c.path}`, { method: c.method, headers, body });
  await answer.arrayBuffer(); // drain (build streams end at once here)
  return answer;
}

async function restContext(): Promise<RestCaseContext> {
  const { org, users } = await orgWithRoles(t.db);
  const project = await createProject(t.db, { orgId: org.id, slug: "svc", name: "Service" });
  const { token, apiToken } = await createApiToken(t.db, {
    orgId: org.id,
    name: "ci",
    createdById: users.OWNER.user.id,
  });
  return {
    db: t.db,
    org,
    project,
    token,
    tokenId: apiToken.id,
    builderRunning: (running) => {
      service.running = running;
    },
  };
}

describe("every state change is audited", () => {
  it("has a case for every tRPC mutation of appRouter, and no case for anything else", () => {
    const all = procedures();
    const mutations = Object.entries(all)
      .filter(([, p]) => p._def.type === "mutation")
      .map(([path]) => path)
      .sort();
    expect(mutations.length).toBeGreaterThanOrEqual(20);
    const missing = mutations.filter((path) => !MUTATION_CASES[path]);
    expect(missing, "add these to src/audit/mutation-cases.ts").toEqual([]);
    const stale = Object.keys(MUTATION_CASES).filter((path) => all[path]?._def.type !== "mutation");
    expect(stale, "cases for procedures that are no mutations").toEqual([]);
  });

  it("has a case for every REST write route, and no case for anything else", () => {
    const writes = API_ROUTES.flatMap((route) =>
      Object.keys(route.methods)
        .filter((m) => m !== "GET" && m !== "HEAD" && m !== "OPTIONS")
        .map((m) => restRouteKey(m, route.pattern)),
    ).sort();
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(REST_WRITE_CASES).sort(), "REST_WRITE_CASES in mutation-cases.ts").toEqual(
      writes,
    );
  });

  const cases = Object.entries(MUTATION_CASES);
  it.each(cases)("%s writes exactly one event with its action and target", async (path, c) => {
    const ctx = await context();
    const run = await c.run(ctx);
    const as = run.as ?? "OWNER";
    const auth = as === "outsider" ? ctx.outsider : ctx.users[as as Role];
    const before = await eventCount();
    const started = new Date(Date.now() - 1000);
    await call(auth, path, run.input);
    const events = await t.db.auditEvent.findMany({
      where: { occurredAt: { gte: started }, action: c.action, actorId: auth.user.id },
    });
    // nothing but this action's events was written: one per org (account events land in each
    // org of the user), never two in one org
    expect((await eventCount()) - before, "new events").toBe(events.length);
    const perOrg = new Map<string, number>();
    for (const e of events) perOrg.set(e.orgId, (perOrg.get(e.orgId) ?? 0) + 1);
    expect(perOrg.size).toBeGreaterThanOrEqual(1);
    expect(
      [...perOrg.values()].every((n) => n === 1),
      JSON.stringify([...perOrg]),
    ).toBe(true);
    const event = events.find((e) => e.orgId === (run.orgId ?? ctx.org.id)) ?? events[0];
    expect(event?.action).toBe(c.action);
    expect(event?.targetType).toBe(run.target.type);
    if (run.target.id) expect(event?.targetId).toBe(run.target.id);
    if (run.changes) expect(event?.changes).toEqual(run.changes);
    expect(event?.outcome).toBe("SUCCESS");
    expect(event).toMatchObject({
      actorType: "USER",
      actorName: auth.user.name,
      ip: TEST_INFO.ip,
      userAgent: TEST_INFO.userAgent,
    });
  });

  it.each(cases.filter(([, c]) => c.fail))("%s writes nothing when it fails", async (path, c) => {
    const ctx = await context();
    const fail = await c.fail?.(ctx);
    if (!fail) throw new Error("no failing call");
    const as = fail.as ?? "OWNER";
    const auth = as === "outsider" ? ctx.outsider : ctx.users[as as Role];
    const before = await eventCount();
    await expect(call(auth, path, fail.input)).rejects.toBeInstanceOf(TRPCError);
    const after = await eventCount();
    if (c.failAction) {
      expect(after - before).toBe(1);
      const last = await t.db.auditEvent.findFirstOrThrow({ orderBy: { occurredAt: "desc" } });
      expect(last).toMatchObject({ action: c.failAction, outcome: "FAILURE" });
    } else {
      expect(after - before).toBe(0);
    }
  });

  it("every mutation without a failing call says why", () => {
    // revokeOtherSessions takes no input and cannot be refused for a signed-in user
    expect(cases.filter(([, c]) => !c.fail).map(([path]) => path)).toEqual([
      "account.revokeOtherSessions",
    ]);
  });

  const restCases = Object.entries(REST_WRITE_CASES);
  it.each(restCases)("REST %s writes exactly one event, as the token", async (key, c) => {
    const ctx = await restContext();
    const call = await c.run(ctx);
    const before = await eventCount();
    const requestId = `req-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
    const answer = await rest(ctx.token, { ...call, requestId });
    expect(answer.status, key).toBe(200);
    expect((await eventCount()) - before).toBe(1);
    const event = await t.db.auditEvent.findFirstOrThrow({
      where: { orgId: ctx.org.id, action: c.action },
    });
    expect(event).toMatchObject({
      actorType: "TOKEN",
      actorId: ctx.tokenId,
      actorName: "ci",
      targetType: call.target.type,
      outcome: "SUCCESS",
      requestId,
    });
    if (call.target.id) expect(event.targetId).toBe(call.target.id);
    if (c.action === "build.started") {
      const build = await t.db.build.findFirstOrThrow({ where: { orgId: ctx.org.id } });
      expect(event.targetId).toBe(build.id);
    }
  });

  it.each(restCases)("REST %s writes nothing when refused", async (key, c) => {
    const ctx = await restContext();
    for (const fail of await c.fails(ctx)) {
      const before = await eventCount();
      const answer = await rest(ctx.token, fail);
      expect(answer.status, `${key}: ${fail.path}`).toBe(fail.status);
      expect(await eventCount(), `${key}: ${fail.path}`).toBe(before);
    }
    if (c.action === "build.started") {
      expect(await t.db.build.count({ where: { orgId: ctx.org.id } }), "no build row").toBe(0);
    }
  });

  it("a build refused by the hard spend limit (402) writes no event and no build", async () => {
    const ctx = await restContext();
    const team = await t.db.plan.findUniqueOrThrow({ where: { code: "team" } });
    const now = new Date();
    await t.db.subscription.create({
      data: {
        orgId: ctx.org.id,
        planId: team.id,
        currentPeriodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        currentPeriodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
        spendLimitCents: 100,
        hardLimit: true,
      },
    });
    const before = await eventCount();
    const answer = await rest(ctx.token, {
      method: "POST",
      path: `projects/${ctx.project.slug}/builds`,
      context: "FROM slipway/busybox:1\n",
    });
    expect(answer.status).toBe(402);
    expect(await eventCount()).toBe(before);
    expect(await t.db.build.count({ where: { orgId: ctx.org.id } })).toBe(0);
  });

  it("an invite refused for want of seats (Free: 3 seats, 4 members) writes nothing", async () => {
    const ctx = await context();
    const before = await eventCount();
    await expect(
      call(ctx.users.OWNER, "members.invite", { orgSlug: ctx.org.slug, role: "VIEWER" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await eventCount()).toBe(before);
  });

  it("a settings save that changes nothing writes nothing", async () => {
    const ctx = await context();
    const project = await createProject(t.db, { orgId: ctx.org.id });
    const run = await MUTATION_CASES["projects.updateSettings"]?.run(ctx);
    const input = run?.input as { settings: Record<string, unknown> };
    const owner = callerFor(t.db, ctx.users.OWNER);
    const first = await owner.projects.updateSettings({
      orgSlug: ctx.org.slug,
      projectSlug: project.slug,
      settings: input.settings as never,
    });
    expect(first.changed.sort()).toEqual(["builderSize", "cacheRetentionDays"]);
    const before = await eventCount();
    const again = await owner.projects.updateSettings({
      orgSlug: ctx.org.slug,
      projectSlug: project.slug,
      settings: input.settings as never,
    });
    expect(again.changed).toEqual([]);
    expect(await eventCount()).toBe(before);
    // one field: one change, from the stored value
    await owner.projects.updateSettings({
      orgSlug: ctx.org.slug,
      projectSlug: project.slug,
      settings: { ...input.settings, lintPolicy: "FAIL_ON_ERROR" } as never,
    });
    const last = await t.db.auditEvent.findFirstOrThrow({
      where: { orgId: ctx.org.id, targetId: project.id },
      orderBy: { seq: "desc" },
    });
    expect(last.changes).toEqual({ lintPolicy: { from: "REPORT", to: "FAIL_ON_ERROR" } });
  });

  it("sign-in (success and failure), sign-out and the period close are recorded", async () => {
    const ctx = await context();
    const limiter: SigninLimiter = {
      check: async () => ({ locked: false }) as LimitCheck,
      recordFailure: async () => undefined,
      reset: async () => undefined,
    };
    const email = ctx.users.ADMIN.user.email;
    const actions = async () =>
      (
        await t.db.auditEvent.findMany({
          where: { orgId: ctx.org.id, actorId: ctx.users.ADMIN.user.id },
          orderBy: { seq: "asc" },
        })
      ).map((e) => [e.action, e.outcome]);
    await expect(
      signIn(t.db, limiter, { email, password: "wrong" }, TEST_INFO),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const signedIn = await signIn(t.db, limiter, { email, password: TEST_PASSWORD }, TEST_INFO);
    await signOut(t.db, { user: signedIn.user, session: signedIn.session }, TEST_INFO);
    expect(await actions()).toEqual([
      ["auth.signin.failed", "FAILURE"],
      ["auth.signin.succeeded", "SUCCESS"],
      ["auth.signout", "SUCCESS"],
    ]);
    // an unknown email has no org to record in, and writes nothing
    const before = await eventCount();
    await expect(
      signIn(t.db, limiter, { email: "nobody@example.com", password: "x" }, TEST_INFO),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await eventCount()).toBe(before);

    // the billing job closing an ended period finalises its invoice, as the system
    const free = await t.db.plan.findUniqueOrThrow({ where: { code: "free" } });
    await t.db.subscription.create({
      data: {
        orgId: ctx.org.id,
        planId: free.id,
        currentPeriodStart: new Date("2026-01-01T00:00:00Z"),
        currentPeriodEnd: new Date("2026-02-01T00:00:00Z"),
      },
    });
    const closed = await closePeriod(t.db, ctx.org.id, new Date("2026-02-02T00:00:00Z"));
    const finalized = await t.db.auditEvent.findMany({
      where: { orgId: ctx.org.id, action: "billing.invoice_finalized" },
    });
    expect(finalized).toHaveLength(1);
    expect(finalized[0]).toMatchObject({
      actorType: "SYSTEM",
      targetType: "invoice",
      targetId: closed?.invoiceId,
    });
  });

  it("the catalogue names every action the issue lists", () => {
    expect(AUDIT_ACTION_NAMES).toEqual(
      expect.arrayContaining([
        "auth.signin.succeeded",
        "auth.signin.failed",
        "auth.signout",
        "session.revoked",
        "org.created",
        "org.renamed",
        "member.invited",
        "member.joined",
        "member.role_changed",
        "member.removed",
        "token.created",
        "token.revoked",
        "project.created",
        "project.renamed",
        "project.deleted",
        "project.settings.updated",
        "cache.reset",
        "build.started",
        "build.cancelled",
        "webhook.secret_rotated",
        "billing.plan_changed",
        "billing.invoice_finalized",
      ]),
    );
  });
});

describe("who may read the audit log", () => {
  let a: Awaited<ReturnType<typeof orgWithRoles>>;
  let b: Awaited<ReturnType<typeof orgWithRoles>>;
  let adminTokenA: string;
  beforeAll(async () => {
    a = await orgWithRoles(t.db, "audit-a");
    b = await orgWithRoles(t.db, "audit-b");
    await callerFor(t.db, a.users.OWNER).org.rename({ orgSlug: "audit-a", name: "A secret name" });
    await callerFor(t.db, b.users.OWNER).org.rename({ orgSlug: "audit-b", name: "B secret name" });
    adminTokenA = (
      await callerFor(t.db, a.users.ADMIN).tokens.create({ orgSlug: "audit-a", name: "siem" })
    ).token;
  });

  const errorCode = async (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
    );

  it("owner and admin read it over tRPC; member and viewer are FORBIDDEN", async () => {
    for (const role of ["OWNER", "ADMIN"] as const) {
      const page = (await call(a.users[role], "audit.list", { orgSlug: "audit-a" })) as {
        events: { action: string; target: { name: string } }[];
      };
      expect(page.events.some((e) => e.action === "org.renamed")).toBe(true);
      expect(JSON.stringify(page)).not.toContain("B secret name");
    }
    for (const role of ["MEMBER", "VIEWER"] as const) {
      for (const path of ["audit.list", "audit.verify", "audit.facets"]) {
        expect(
          await errorCode(call(a.users[role], path, { orgSlug: "audit-a" })),
          `${role} ${path}`,
        ).toBe("FORBIDDEN");
      }
    }
  });

  it("an admin of org A gets nothing of org B (NOT_FOUND, like a missing org)", async () => {
    for (const path of ["audit.list", "audit.verify", "audit.facets"]) {
      expect(await errorCode(call(a.users.ADMIN, path, { orgSlug: "audit-b" }))).toBe("NOT_FOUND");
      expect(await errorCode(call(a.users.OWNER, path, { orgSlug: "audit-b" }))).toBe("NOT_FOUND");
    }
    const events = Buffer.from(
      await new Response(exportAuditStream(t.db, a.org.id, {}, "jsonl")).arrayBuffer(),
    ).toString();
    expect(events).toContain("A secret name");
    expect(events).not.toContain("B secret name");
  });

  it("the page, its verify action and the export: owner/admin only, and only their org", async () => {
    const cookie = async (role: Role, org = a) =>
      `__Host-slipway_session=${(await createSession(t.db, org.users[role].user.id)).token}`;
    const args = (cookieHeader: string, orgSlug: string, path: string, method = "GET") => ({
      request: new Request(`http://localhost/orgs/${orgSlug}/${path}`, {
        method,
        headers: { cookie: cookieHeader },
      }),
      params: { orgSlug },
      context: {},
    });
    const routes: [string, (x: ReturnType<typeof args>) => Promise<unknown>, string, string?][] = [
      ["page", (x) => auditRoute.loader(x as never), "audit"],
      ["verify", (x) => auditRoute.action(x as never), "audit", "POST"],
      ["export", (x) => exportRoute.loader(x as never), "audit/export?format=jsonl"],
    ];
    for (const role of ["OWNER", "ADMIN"] as const) {
      const who = await cookie(role);
      for (const [name, fn, path, method] of routes) {
        const text = await contentOf(await fn(args(who, "audit-a", path, method)));
        expect(text, `${role} ${name}`).not.toContain("B secret name");
        if (name !== "verify") expect(text, `${role} ${name}`).toContain("A secret name");
        // an admin of A is a stranger to B: 404, as for an org that does not exist
        expect(await statusOf(fn(args(who, "audit-b", path, method))), `${role} ${name} B`).toBe(
          404,
        );
      }
    }
    for (const role of ["MEMBER", "VIEWER"] as const) {
      const who = await cookie(role);
      for (const [name, fn, path, method] of routes) {
        expect(await statusOf(fn(args(who, "audit-a", path, method))), `${role} ${name}`).toBe(403);
      }
    }
    // B's own admin sees B and nothing of A
    const adminB = await cookie("ADMIN", b);
    const bExport = await contentOf(
      await exportRoute.loader(args(adminB, "audit-b", "audit/export?format=csv") as never),
    );
    expect(bExport).toContain("B secret name");
    expect(bExport).not.toContain("A secret name");
  });

  it("REST: an admin's org token reads and verifies; project and member tokens are refused", async () => {
    const get = (path: string, token: string) =>
      fetch(`${url}/api/v1/${path}`, { headers: { authorization: `Bearer ${token}` } });
    const list = await get("audit-events?action=org.renamed", adminTokenA);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { events: { target: { name: string } }[] };
    expect(body.events.map((e) => e.target.name)).toEqual(["A secret name"]);
    expect((await (await get("audit-events/verify", adminTokenA)).json()).verify).toMatchObject({
      ok: true,
    });
    expect((await get("audit-events?org=audit-b", adminTokenA)).status).toBe(404);

    const bad = await get("audit-events?from=yesterday", adminTokenA);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid-from" } });
    expect((await get("audit-events?cursor=nope", adminTokenA)).status).toBe(400);

    const project = await createProject(t.db, { orgId: a.org.id, slug: "p" });
    const projectToken = (
      await callerFor(t.db, a.users.OWNER).tokens.create({
        orgSlug: "audit-a",
        name: "p",
        projectSlug: project.slug,
      })
    ).token;
    const refused = await get("audit-events", projectToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "scoped to one project",
    );
    const memberToken = (
      await callerFor(t.db, a.users.MEMBER).tokens.create({ orgSlug: "audit-a", name: "m" })
    ).token;
    expect((await get("audit-events", memberToken)).status).toBe(403);
    expect((await get("audit-events/verify", memberToken)).status).toBe(403);
  });

  it("slipway audit list / verify; verify exits 1 naming the first broken link", async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          "node",
          [bin, ...args],
          { env: { ...process.env, SLIPWAY_TOKEN: adminTokenA, SLIPWAY_URL: url, HOME: stateDir } },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const list = await cli(["audit", "list", "--action", "org.renamed"]);
    expect(list.stderr).toBe("");
    expect(list.stdout).toMatch(/org\.renamed\s+org:A secret name/);
    const ok = await cli(["audit", "verify", "--org", "audit-a"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("audit log of audit-a verified");

    // tamper (triggers off, as a superuser could) and verify again
    const renamed = await t.db.auditEvent.findFirstOrThrow({
      where: { orgId: a.org.id, action: "org.renamed" },
    });
    await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRawUnsafe(
        `UPDATE "audit_events" SET "actor_name" = 'Someone else' WHERE "id" = $1`,
        renamed.id,
      );
    });
    const broken = await cli(["audit", "verify"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`BROKEN at seq ${renamed.seq} (event ${renamed.id})`);
  });
});

describe("retention per plan", () => {
  const DAY = 86_400_000;

  it("the page, the export, tRPC and GET /api/v1/audit-events show only what the plan keeps", async () => {
    const { org, users } = await orgWithRoles(t.db, "retained");
    const now = new Date();
    // an old event (20 days) the purge job has not removed yet, and a recent one
    await t.db.$transaction((tx) =>
      recordAudit(tx, {
        orgId: org.id,
        actor: { type: "SYSTEM", id: null, name: "test" },
        action: "org.renamed",
        target: { type: "org", id: org.id, name: "Old name" },
        occurredAt: new Date(now.getTime() - 20 * DAY),
      }),
    );
    await callerFor(t.db, users.OWNER).org.rename({ orgSlug: "retained", name: "New name" });
    const { token } = await createApiToken(t.db, {
      orgId: org.id,
      name: "siem",
      createdById: users.ADMIN.user.id,
    });
    const names = (events: { target: { name: string } }[]) => events.map((e) => e.target.name);
    const restNames = async (query = "") => {
      const answer = await fetch(`${url}/api/v1/audit-events?action=org.renamed${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as {
        events: { target: { name: string } }[];
        retention: { days: number; plan: string | null; since: string };
      };
      return { names: names(body.events), retention: body.retention };
    };
    const exported = async () =>
      Buffer.from(
        await new Response(
          exportAuditStream(t.db, org.id, { action: "org.renamed" }, "jsonl"),
        ).arrayBuffer(),
      ).toString();
    const trpcNames = async () =>
      names(
        (
          (await call(users.ADMIN, "audit.list", {
            orgSlug: "retained",
            action: "org.renamed",
          })) as { events: { target: { name: string } }[] }
        ).events,
      );
    const subscribe = async (code: string) => {
      const plan = await t.db.plan.findUniqueOrThrow({ where: { code } });
      await t.db.subscription.upsert({
        where: { orgId: org.id },
        create: {
          orgId: org.id,
          planId: plan.id,
          currentPeriodStart: new Date(now.getTime() - DAY),
          currentPeriodEnd: new Date(now.getTime() + 29 * DAY),
        },
        update: { planId: plan.id },
      });
    };

    // No subscription: the default (90 days) keeps both.
    expect(await restNames()).toMatchObject({
      names: ["New name", "Old name"],
      retention: { days: 90, plan: null },
    });

    // Free keeps 7 days: the 20-day-old event is gone from every read, whatever `from` says.
    await subscribe("free");
    const free = await restNames("&from=2000-01-01");
    expect(free.names).toEqual(["New name"]);
    expect(free.retention).toMatchObject({ days: 7, plan: "free" });
    expect(new Date(free.retention.since).getTime()).toBeGreaterThan(now.getTime() - 8 * DAY);
    expect(await trpcNames()).toEqual(["New name"]);
    expect(await exported()).not.toContain("Old name");
    const page = (await readAuditPage(t.db, org.id, { action: "org.renamed" })) as {
      events: { target: { name: string } }[];
    };
    expect(names(page.events)).toEqual(["New name"]);
    const cookie = `__Host-slipway_session=${(await createSession(t.db, users.OWNER.user.id)).token}`;
    const loaded = await auditRoute.loader({
      request: new Request("http://localhost/orgs/retained/audit?action=org.renamed", {
        headers: { cookie },
      }),
      params: { orgSlug: "retained" },
      context: {},
    } as never);
    expect(names(loaded.page.events)).toEqual(["New name"]);
    expect(loaded.page.retention).toMatchObject({ days: 7, plan: "free" });

    // Team keeps 180 days: the same event is back (it was never deleted).
    await subscribe("team");
    expect(await restNames()).toMatchObject({
      names: ["New name", "Old name"],
      retention: { days: 180, plan: "team" },
    });
    expect(await exported()).toContain("Old name");
  });
});

/** What a loader or action answered (a Response, React Router's data(), or plain data). */
async function contentOf(value: unknown): Promise<string> {
  if (value instanceof Response) {
    expect(value.status).toBe(200);
    return value.text();
  }
  return JSON.stringify(value);
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    const value = await p;
    return value instanceof Response ? value.status : 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    const init = (error as { init?: { status?: number } | null }).init;
    if (init?.status) return init.status;
    throw error;
  }
}
