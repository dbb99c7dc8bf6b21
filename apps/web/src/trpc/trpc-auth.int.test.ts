import {
  createApiToken,
  createBuild,
  createProject,
  createTestDatabase,
  ensurePlans,
  type TestDatabase,
} from "@slipway/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, type Permission, ROLES } from "../auth/permissions";
import { setCacheEngines } from "../services/cache.server";
import { setTelemetryQueryClient, TelemetryUnavailableError } from "../telemetry/query.server";
import { callerFor, orgWithRoles, signedInUser } from "../testing/auth";
import { seedReadModelFixture } from "../testing/fixtures";
import { handleTrpcRequest } from "./handler.server";
import type { Meta } from "./init";
import { appRouter } from "./router";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof orgWithRoles>>;
let b: Awaited<ReturnType<typeof orgWithRoles>>;
let tokenIdA: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedReadModelFixture(t.db);
  await ensurePlans(t.db); // billing procedures need the plans
  a = await orgWithRoles(t.db, "org-a");
  b = await orgWithRoles(t.db, "org-b");
  const project = await createProject(t.db, { orgId: a.org.id, slug: "app" });
  tokenIdA = (await createApiToken(t.db, { orgId: a.org.id, projectId: project.id })).apiToken.id;
  // Cache and runner procedures reach the builder pool and ingest: no builder runs, ingest is
  // down (the procedures answer with that state; authorization is what this file checks).
  setCacheEngines({
    cacheUsage: async () => undefined,
    resetCache: async () => undefined,
    builders: async () => ({ engines: [], snapshots: [] }),
  });
  setTelemetryQueryClient({
    get: async () => {
      throw new TelemetryUnavailableError("ingest is not running in this test");
    },
  });
});

afterAll(async () => {
  setCacheEngines(undefined);
  setTelemetryQueryClient(undefined);
  await t?.drop();
});

type Kind = "public" | "authed" | "org";
type Case = { kind: Kind; input: () => Record<string, unknown> | undefined };

/**
 * EVERY procedure of the app router, with an input aimed at org A. A procedure added to the router
 * without a line here fails the first test: decide how it is guarded, then add it.
 */
const CASES: Record<string, Case> = {
  "org.list": { kind: "authed", input: () => undefined },
  "org.create": { kind: "authed", input: () => ({ name: "" }) },
  "org.overview": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "org.rename": { kind: "org", input: () => ({ orgSlug: "org-a", name: "org-a" }) },
  "members.list": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "members.invite": { kind: "org", input: () => ({ orgSlug: "org-a", role: "VIEWER" }) },
  "members.changeRole": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", membershipId: a.memberships.VIEWER, role: "VIEWER" }),
  },
  "members.remove": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", membershipId: "no-such-member" }),
  },
  "members.leave": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "invites.describe": { kind: "public", input: () => ({ token: "inv_nope" }) },
  "invites.accept": { kind: "authed", input: () => ({ token: "inv_nope" }) },
  "tokens.list": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "tokens.create": { kind: "org", input: () => ({ orgSlug: "org-a", name: "" }) },
  "tokens.revoke": { kind: "org", input: () => ({ orgSlug: "org-a", tokenId: tokenIdA }) },
  "account.me": { kind: "authed", input: () => undefined },
  "account.sessions": { kind: "authed", input: () => undefined },
  "account.revokeSession": { kind: "authed", input: () => ({ sessionId: "nope" }) },
  "account.revokeOtherSessions": { kind: "authed", input: () => undefined },
  "audit.list": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "audit.facets": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "audit.verify": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "projects.create": { kind: "org", input: () => ({ orgSlug: "org-a", name: "" }) },
  "projects.rename": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", projectSlug: "app", name: "" }),
  },
  "projects.delete": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", projectSlug: "app", confirm: "not its name" }),
  },
  "projects.settings": { kind: "org", input: () => ({ orgSlug: "org-a", projectSlug: "app" }) },
  "projects.updateSettings": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", projectSlug: "app", settings: {} }),
  },
  "cache.get": { kind: "org", input: () => ({ orgSlug: "org-a", projectSlug: "app" }) },
  "cache.reset": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", projectSlug: "app", platform: "linux/amd64" }),
  },
  "runners.overview": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "webhooks.setup": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "webhooks.rotateSecret": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "builds.list": { kind: "org", input: () => ({ orgSlug: "org-a", projectSlug: "app" }) },
  "builds.get": { kind: "org", input: () => ({ orgSlug: "org-a", projectSlug: "app", number: 1 }) },
  "builds.step": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", projectSlug: "app", number: 1, step: "sha256:0" }),
  },
  "billing.overview": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "billing.alerts": { kind: "org", input: () => ({ orgSlug: "org-a" }) },
  "billing.invoice": { kind: "org", input: () => ({ orgSlug: "org-a", invoiceId: "no-such" }) },
  "billing.changePlan": { kind: "org", input: () => ({ orgSlug: "org-a", planCode: "no-such" }) },
  "billing.updateSpendLimit": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", spendLimitCents: null, hardLimit: false }),
  },
  "billing.finalizeInvoice": {
    kind: "org",
    input: () => ({ orgSlug: "org-a", invoiceId: "no-such" }),
  },
};

const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { meta?: Meta } }
>;

async function call(
  caller: ReturnType<typeof callerFor>,
  path: string,
  input: unknown,
): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (i: unknown) => Promise<unknown>)(input);
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
}

const orgPaths = Object.entries(CASES)
  .filter(([, c]) => c.kind === "org")
  .map(([p]) => p);

describe("tRPC authorization", () => {
  it("has a case for every procedure of the router", () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(CASES).sort());
  });

  it("declares a permission on every org procedure", () => {
    for (const path of orgPaths) expect(procedures[path]?._def.meta?.permission, path).toBeTruthy();
  });

  it.each(Object.entries(CASES).filter(([, c]) => c.kind !== "public"))(
    "%s is UNAUTHORIZED without a session",
    async (path, c) => {
      const error = await errorOf(call(callerFor(t.db, null), path, c.input()));
      expect(error?.code).toBe("UNAUTHORIZED");
    },
  );

  it.each(orgPaths)(
    "%s is NOT_FOUND for every member of another org, like a missing org",
    async (path) => {
      for (const role of ROLES) {
        const outsider = callerFor(t.db, b.users[role]);
        const error = await errorOf(call(outsider, path, CASES[path]?.input()));
        expect(error?.code, `${role} of org B`).toBe("NOT_FOUND");
        const missing = await errorOf(
          call(outsider, path, { ...CASES[path]?.input(), orgSlug: "no-such-org" }),
        );
        expect(missing?.code).toBe("NOT_FOUND");
        expect(missing?.message.replace("no-such-org", "org-a")).toBe(error?.message);
      }
    },
  );

  it.each(orgPaths.filter((p) => p !== "members.leave"))(
    "%s follows the role table",
    async (path) => {
      const permission = procedures[path]?._def.meta?.permission as Permission;
      for (const role of ROLES) {
        const error = await errorOf(
          call(callerFor(t.db, a.users[role]), path, CASES[path]?.input()),
        );
        if (can(role, permission)) {
          // Allowed: whatever the service says about the input, it is not an authorization refusal.
          expect(error?.code ?? "OK", `${role} may ${permission}`).not.toBe("FORBIDDEN");
          expect(error?.message ?? "", `${role} may ${permission}`).not.toMatch(/No org with slug/);
        } else {
          expect(error?.code, `${role} may not ${permission}`).toBe("FORBIDDEN");
        }
      }
    },
  );

  it("viewers cannot create tokens; members can, and the token is returned once", async () => {
    const viewer = callerFor(t.db, a.users.VIEWER);
    const refused = await errorOf(viewer.tokens.create({ orgSlug: "org-a", name: "ci" }));
    expect(refused?.code).toBe("FORBIDDEN");
    const created = await callerFor(t.db, a.users.MEMBER).tokens.create({
      orgSlug: "org-a",
      name: "ci",
    });
    expect(created.token).toMatch(/^slw_/);
    const listed = await callerFor(t.db, a.users.ADMIN).tokens.list({ orgSlug: "org-a" });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(listed.tokens.find((x) => x.id === created.id)?.prefix).toBe(created.prefix);
  });

  it("lists only the caller's orgs", async () => {
    const orgs = await callerFor(t.db, a.users.VIEWER).org.list();
    expect(orgs.map((o) => o.slug)).toEqual(["org-a"]);
  });

  it("serves the overview to a member, and BAD_REQUEST for something that cannot be a slug", async () => {
    const acme = await t.db.org.findUniqueOrThrow({ where: { slug: "acme" } });
    const reader = await signedInUser(t.db);
    await t.db.membership.create({
      data: { orgId: acme.id, userId: reader.user.id, role: "VIEWER" },
    });
    const overview = await callerFor(t.db, reader).org.overview({ orgSlug: "acme" });
    expect(overview.org).toEqual({ slug: "acme", name: "Acme Robotics" });
    expect(overview.daily).toHaveLength(30);
    const error = await errorOf(callerFor(t.db, reader).org.overview({ orgSlug: "../etc" }));
    expect(error?.code).toBe("BAD_REQUEST");
  });
});

describe("builds procedures", () => {
  it("serve org A's builds to its viewer, and nothing of them through org B", async () => {
    const project = await t.db.project.findFirstOrThrow({
      where: { orgId: a.org.id, slug: "app" },
    });
    await createBuild(t.db, {
      project,
      status: "FAILED",
      tags: ["app:main"],
      dockerfileText: "FROM scratch\n",
    });
    const viewer = callerFor(t.db, a.users.VIEWER);
    const list = await viewer.builds.list({ orgSlug: "org-a", projectSlug: "app" });
    expect(list.builds.map((x) => x.status)).toEqual(["FAILED"]);
    const filtered = await viewer.builds.list({
      orgSlug: "org-a",
      projectSlug: "app",
      filters: { status: "succeeded" },
    });
    expect(filtered.builds).toEqual([]);
    const bad = await errorOf(
      viewer.builds.list({ orgSlug: "org-a", projectSlug: "app", filters: { status: "exploded" } }),
    );
    expect(bad?.code).toBe("BAD_REQUEST");
    expect(bad?.message).toMatch(/status must be one of/);

    const number = list.builds[0]?.number ?? 0;
    const page = await viewer.builds.get({ orgSlug: "org-a", projectSlug: "app", number });
    expect(page.build.number).toBe(number);
    // Ingest is down in this file: the build is still served, the trace says why it is missing.
    expect(page.trace).toEqual({ ok: false, reason: "ingest is not running in this test" });
    // the Dockerfile comes from the build row: still there for the lint tab
    expect(page.lint.ok).toBe(false);
    expect(page.dockerfile).toEqual({ path: "Dockerfile", text: "FROM scratch\n" });
    // A step's detail comes on its own; with ingest down it says why it is missing.
    const step = await viewer.builds.step({
      orgSlug: "org-a",
      projectSlug: "app",
      number,
      step: "sha256:0",
    });
    expect(step).toEqual({ ok: false, reason: "ingest is not running in this test" });
    const missing = await errorOf(
      viewer.builds.step({ orgSlug: "org-a", projectSlug: "app", number: number + 1, step: "x" }),
    );
    expect(missing?.code).toBe("NOT_FOUND");

    // An owner of org B, asking through org B for org A's project slug and build number.
    const outsider = callerFor(t.db, b.users.OWNER);
    // Called one at a time: a second pending rejection would otherwise go unhandled.
    const calls = [
      () => outsider.builds.list({ orgSlug: "org-b", projectSlug: "app" }),
      () => outsider.builds.get({ orgSlug: "org-b", projectSlug: "app", number }),
      () =>
        outsider.builds.step({ orgSlug: "org-b", projectSlug: "app", number, step: "sha256:0" }),
    ];
    for (const call of calls) expect((await errorOf(call()))?.code).toBe("NOT_FOUND");
  });
});

describe("/api/trpc over HTTP", () => {
  const cookieOf = (token: string) => `__Host-slipway_session=${token}`;

  it("answers 401 without a session and 404 for another org, with the request id", async () => {
    const input = encodeURIComponent(JSON.stringify({ orgSlug: "org-a" }));
    const anonymous = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/org.overview?input=${input}`, {
        headers: { "x-request-id": "req-42" },
      }),
      t.db,
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("x-request-id")).toBe("req-42");

    const { createSession } = await import("@slipway/db");
    const { token } = await createSession(t.db, b.users.OWNER.user.id);
    const outsider = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/org.overview?input=${input}`, {
        headers: { cookie: cookieOf(token) },
      }),
      t.db,
    );
    expect(outsider.status).toBe(404);
    const body = (await outsider.json()) as { error: { data: { requestId: string } } };
    expect(body.error.data.requestId).toBe(outsider.headers.get("x-request-id"));

    const { token: memberToken } = await createSession(t.db, a.users.VIEWER.user.id);
    const ok = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/org.overview?input=${input}`, {
        headers: { cookie: cookieOf(memberToken) },
      }),
      t.db,
    );
    expect(ok.status).toBe(200);
  });

  it("refuses a cross-site mutation with 403 before doing anything", async () => {
    const { createSession } = await import("@slipway/db");
    const { token } = await createSession(t.db, a.users.OWNER.user.id);
    const request = (headers: Record<string, string>) =>
      new Request("http://localhost/api/trpc/org.rename", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: cookieOf(token), ...headers },
        body: JSON.stringify({ orgSlug: "org-a", name: "Pwned" }),
      });
    const refused = await handleTrpcRequest(request({ "sec-fetch-site": "cross-site" }), t.db);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /another site/,
    );
    expect((await t.db.org.findUniqueOrThrow({ where: { slug: "org-a" } })).name).toBe("org-a");

    const allowed = await handleTrpcRequest(request({ "sec-fetch-site": "same-origin" }), t.db);
    expect(allowed.status).toBe(200);
    expect((await t.db.org.findUniqueOrThrow({ where: { slug: "org-a" } })).name).toBe("Pwned");
  });
});

describe("billing procedures", () => {
  it("only owners and admins see billing, only owners change it, and no org reaches another's invoices", async () => {
    // Org A: a finalised invoice of its own; org B: a draft one.
    const invoiceA = await t.db.invoice.create({
      data: {
        orgId: a.org.id,
        periodStart: new Date("2026-01-01T00:00:00Z"),
        periodEnd: new Date("2026-02-01T00:00:00Z"),
        status: "FINALIZED",
        finalizedAt: new Date("2026-02-01T06:00:00Z"),
        lineItems: [],
        subtotalCents: 4_200,
        totalCents: 4_200,
      },
    });
    const ownerA = callerFor(t.db, a.users.OWNER);
    const ownerB = callerFor(t.db, b.users.OWNER);
    const seen = await ownerA.billing.overview({ orgSlug: "org-a" });
    expect(seen.invoices.map((i) => i.id)).toEqual([invoiceA.id]);
    expect(
      (await callerFor(t.db, a.users.ADMIN).billing.overview({ orgSlug: "org-a" })).org.slug,
    ).toBe("org-a");
    for (const role of ["MEMBER", "VIEWER"] as const) {
      const error = await errorOf(
        callerFor(t.db, a.users[role]).billing.overview({ orgSlug: "org-a" }),
      );
      expect(error?.code, role).toBe("FORBIDDEN");
    }
    const adminChange = await errorOf(
      callerFor(t.db, a.users.ADMIN).billing.changePlan({ orgSlug: "org-a", planCode: "team" }),
    );
    expect(adminChange?.code).toBe("FORBIDDEN");
    // Org B's owner asks for org A's invoice through org B: like a missing one.
    const cross = await errorOf(
      ownerB.billing.invoice({ orgSlug: "org-b", invoiceId: invoiceA.id }),
    );
    expect(cross?.code).toBe("NOT_FOUND");
    const crossFinalize = await errorOf(
      ownerB.billing.finalizeInvoice({ orgSlug: "org-b", invoiceId: invoiceA.id }),
    );
    expect(crossFinalize?.code).toBe("NOT_FOUND");
    expect((await ownerB.billing.overview({ orgSlug: "org-b" })).invoices).toEqual([]);
    // Org B's limit does not touch org A's subscription.
    await ownerB.billing.updateSpendLimit({
      orgSlug: "org-b",
      spendLimitCents: 100,
      hardLimit: true,
    });
    expect((await ownerA.billing.overview({ orgSlug: "org-a" })).hardLimit).toBe(false);
  });

  it("answers BAD_REQUEST naming the field, and audits each change once", async () => {
    const owner = callerFor(t.db, a.users.OWNER);
    const bad = await errorOf(owner.billing.changePlan({ orgSlug: "org-a", planCode: "platinum" }));
    expect(bad?.code).toBe("BAD_REQUEST");
    expect(bad?.message).toBe('no plan "platinum"');
    const fractional = await errorOf(
      owner.billing.updateSpendLimit({ orgSlug: "org-a", spendLimitCents: 1.5, hardLimit: false }),
    );
    expect(fractional?.code).toBe("BAD_REQUEST");
    expect(fractional?.message).toContain("spendLimitCents");
    const count = () =>
      t.db.auditEvent.count({ where: { orgId: a.org.id, action: { startsWith: "billing." } } });
    const before = await count();
    await owner.billing.changePlan({ orgSlug: "org-a", planCode: "business" });
    await owner.billing.updateSpendLimit({
      orgSlug: "org-a",
      spendLimitCents: 50_000,
      hardLimit: false,
    });
    expect(await count()).toBe(before + 2);
    expect((await owner.billing.overview({ orgSlug: "org-a" })).plan.code).toBe("business");
  });
});
