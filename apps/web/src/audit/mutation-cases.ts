// One entry per state-changing tRPC procedure: how to call it so it succeeds (and what single
// audit event that must write), and how to call it so it fails (and what that must write:
// nothing, or a failure event where the catalogue has one). audit.int.test.ts walks `appRouter`
// and fails for a mutation without an entry here (and for an entry that is no mutation), and
// does the same for the REST API's write routes with REST_WRITE_CASES below. There is no way to
// skip a case: a new mutation needs its case in the same change. Adding one is a few lines:
//
//   "things.create": {
//     run: async (c) => ({ input: { orgSlug: c.org.slug, name: "x" }, target: { type: "thing" } }),
//     action: "thing.created",
//     fail: async (c) => ({ input: { orgSlug: c.org.slug, name: "" } }),
//   },

import type { AuditAction, Role } from "@slipway/db";
import { createApiToken, createBuild, createProject, ensurePlans } from "@slipway/db/testing";
import type { Auth } from "../auth/session.server";
import type { Db } from "../db.server";
import { type CacheEngines, setCacheEngines } from "../services/cache.server";
import { DEFAULT_SETTINGS } from "../services/projects.server";
import { callerFor } from "../testing/auth";

export interface CaseContext {
  db: Db;
  org: { id: string; slug: string; name: string };
  /** A fresh signed-in user per role, members of `org` (made per case). */
  users: Record<Role, Auth>;
  memberships: Record<Role, string>;
  /** Another user with a session and no membership. */
  outsider: Auth;
}

export interface CaseRun {
  input: unknown;
  /** Who calls (default OWNER); "outsider" for procedures not tied to a membership. */
  as?: Role | "outsider";
  /** The event's target; id checked when given. */
  target: { type: string; id?: string };
  /** The event's `changes`, checked exactly when given (updates: only what changed). */
  changes?: Record<string, unknown>;
  /** The org the event lands in (default ctx.org). */
  orgId?: string;
}

export interface MutationCase {
  run: (c: CaseContext) => Promise<CaseRun>;
  action: AuditAction;
  /** A call the procedure refuses. */
  fail?: (c: CaseContext) => Promise<Omit<CaseRun, "target">>;
  /** The failure writes this event (outcome FAILURE) instead of nothing. */
  failAction?: AuditAction;
}

export const MUTATION_CASES: Record<string, MutationCase> = {
  "org.create": {
    action: "org.created",
    run: async () => ({ input: { name: "Case Org" }, as: "outsider", target: { type: "org" } }),
    fail: async () => ({ input: { name: "" }, as: "outsider" }),
  },
  "org.rename": {
    action: "org.renamed",
    run: async (c) => ({
      input: { orgSlug: c.org.slug, name: "Renamed Org" },
      target: { type: "org", id: c.org.id },
    }),
    fail: async (c) => ({ input: { orgSlug: c.org.slug, name: "" } }),
  },
  "members.invite": {
    action: "member.invited",
    run: async (c) => {
      await teamPlan(c);
      return { input: { orgSlug: c.org.slug, role: "MEMBER" }, target: { type: "invite" } };
    },
    // an admin may not invite an owner
    fail: async (c) => {
      await teamPlan(c);
      return { input: { orgSlug: c.org.slug, role: "OWNER" }, as: "ADMIN" };
    },
  },
  "members.changeRole": {
    action: "member.role_changed",
    run: async (c) => ({
      input: { orgSlug: c.org.slug, membershipId: c.memberships.VIEWER, role: "MEMBER" },
      target: { type: "member", id: c.memberships.VIEWER },
    }),
    fail: async (c) => ({
      input: { orgSlug: c.org.slug, membershipId: c.memberships.OWNER, role: "VIEWER" },
      as: "ADMIN",
    }),
  },
  "members.remove": {
    action: "member.removed",
    run: async (c) => ({
      input: { orgSlug: c.org.slug, membershipId: c.memberships.VIEWER },
      target: { type: "member", id: c.memberships.VIEWER },
    }),
    fail: async (c) => ({ input: { orgSlug: c.org.slug, membershipId: "no-such-member" } }),
  },
  "members.leave": {
    action: "member.removed",
    run: async (c) => ({
      input: { orgSlug: c.org.slug },
      as: "MEMBER",
      target: { type: "member", id: c.memberships.MEMBER },
    }),
    // the only owner may not leave
    fail: async (c) => ({ input: { orgSlug: c.org.slug }, as: "OWNER" }),
  },
  "invites.accept": {
    action: "member.joined",
    run: async (c) => {
      await teamPlan(c);
      const invite = await callerFor(c.db, c.users.OWNER).members.invite({
        orgSlug: c.org.slug,
        role: "VIEWER",
      });
      return { input: { token: invite.token }, as: "outsider", target: { type: "member" } };
    },
    fail: async () => ({ input: { token: "inv_nope" }, as: "outsider" }),
  },
  "tokens.create": {
    action: "token.created",
    run: async (c) => ({ input: { orgSlug: c.org.slug, name: "ci" }, target: { type: "token" } }),
    fail: async (c) => ({ input: { orgSlug: c.org.slug, name: "" } }),
  },
  "tokens.revoke": {
    action: "token.revoked",
    run: async (c) => {
      const { apiToken } = await createApiToken(c.db, { orgId: c.org.id, name: "old" });
      return {
        input: { orgSlug: c.org.slug, tokenId: apiToken.id },
        target: { type: "token", id: apiToken.id },
      };
    },
    fail: async (c) => ({ input: { orgSlug: c.org.slug, tokenId: "no-such-token" } }),
  },
  "account.revokeSession": {
    action: "session.revoked",
    run: async (c) => {
      const { createSession } = await import("@slipway/db");
      const second = await createSession(c.db, c.users.OWNER.user.id);
      return { input: { sessionId: second.session.id }, target: { type: "session" } };
    },
    fail: async () => ({ input: { sessionId: "no-such-session" } }),
  },
  "account.revokeOtherSessions": {
    action: "session.revoked",
    run: async (c) => {
      const { createSession } = await import("@slipway/db");
      await createSession(c.db, c.users.OWNER.user.id);
      return { input: undefined, target: { type: "user", id: c.users.OWNER.user.id } };
    },
  },
  "webhooks.rotateSecret": {
    action: "webhook.secret_rotated",
    run: async (c) => ({ input: { orgSlug: c.org.slug }, target: { type: "org", id: c.org.id } }),
    fail: async (c) => ({ input: { orgSlug: c.org.slug }, as: "VIEWER" }),
  },
  "projects.create": {
    action: "project.created",
    run: async (c) => ({
      input: { orgSlug: c.org.slug, name: "Case Project" },
      as: "MEMBER",
      target: { type: "project" },
      changes: {
        name: { from: null, to: "Case Project" },
        slug: { from: null, to: "case-project" },
      },
    }),
    // the address is taken (checked before the transaction; the unique index backs it up)
    fail: async (c) => {
      await createProject(c.db, { orgId: c.org.id, slug: "taken" });
      return { input: { orgSlug: c.org.slug, name: "Another", slug: "taken" }, as: "MEMBER" };
    },
  },
  "projects.rename": {
    action: "project.renamed",
    run: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id, name: "Old Name" });
      return {
        input: { orgSlug: c.org.slug, projectSlug: project.slug, name: "New Name" },
        as: "ADMIN",
        target: { type: "project", id: project.id },
        changes: { name: { from: "Old Name", to: "New Name" } },
      };
    },
    // renaming to its current name is refused inside the transaction, which rolls back
    fail: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id, name: "Kept" });
      return { input: { orgSlug: c.org.slug, projectSlug: project.slug, name: "Kept" } };
    },
  },
  "projects.delete": {
    action: "project.deleted",
    run: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id, name: "Doomed" });
      return {
        input: { orgSlug: c.org.slug, projectSlug: project.slug, confirm: "Doomed" },
        target: { type: "project", id: project.id },
      };
    },
    // the typed confirmation must be the project's name
    fail: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id, name: "Safe" });
      return { input: { orgSlug: c.org.slug, projectSlug: project.slug, confirm: "safe?" } };
    },
  },
  "projects.updateSettings": {
    action: "project.settings.updated",
    run: async (c) => {
      // the factory's settings row holds the schema defaults
      const project = await createProject(c.db, { orgId: c.org.id });
      return {
        input: {
          orgSlug: c.org.slug,
          projectSlug: project.slug,
          settings: { ...DEFAULT_SETTINGS, builderSize: "MEDIUM", cacheRetentionDays: 30 },
        },
        as: "MEMBER",
        target: { type: "project", id: project.id },
        // only what changed, with before and after
        changes: {
          builderSize: { from: "SMALL", to: "MEDIUM" },
          cacheRetentionDays: { from: 14, to: 30 },
        },
      };
    },
    fail: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id });
      return {
        input: {
          orgSlug: c.org.slug,
          projectSlug: project.slug,
          settings: { ...DEFAULT_SETTINGS, builderSize: "MEDIUM", maxBuilders: 0 },
        },
      };
    },
  },
  "cache.reset": {
    action: "cache.reset",
    run: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id });
      setCacheEngines(fakeCacheEngines(true));
      return {
        input: { orgSlug: c.org.slug, projectSlug: project.slug, platform: "linux/amd64" },
        as: "ADMIN",
        target: { type: "project", id: project.id },
        changes: { platform: "linux/amd64", deletedRecords: 2, reclaimedBytes: 4096 },
      };
    },
    // no builder running: 409, nothing pruned, nothing recorded
    fail: async (c) => {
      const project = await createProject(c.db, { orgId: c.org.id });
      setCacheEngines(fakeCacheEngines(false));
      return { input: { orgSlug: c.org.slug, projectSlug: project.slug, platform: "linux/amd64" } };
    },
  },
  "billing.changePlan": {
    action: "billing.plan_changed",
    run: async (c) => {
      await ensurePlans(c.db);
      return {
        input: { orgSlug: c.org.slug, planCode: "team" },
        target: { type: "subscription" },
      };
    },
    fail: async (c) => {
      await ensurePlans(c.db);
      return { input: { orgSlug: c.org.slug, planCode: "no-such-plan" } };
    },
  },
  "billing.updateSpendLimit": {
    action: "billing.spend_limit_updated",
    run: async (c) => {
      await ensurePlans(c.db);
      return {
        input: { orgSlug: c.org.slug, spendLimitCents: 50_000, hardLimit: true },
        target: { type: "subscription" },
        changes: {
          spendLimitCents: { from: null, to: 50_000 },
          hardLimit: { from: false, to: true },
        },
      };
    },
    // a hard limit needs a limit
    fail: async (c) => {
      await ensurePlans(c.db);
      return { input: { orgSlug: c.org.slug, spendLimitCents: null, hardLimit: true } };
    },
  },
  "billing.finalizeInvoice": {
    action: "billing.invoice_finalized",
    run: async (c) => {
      await ensurePlans(c.db);
      const invoice = await draftInvoice(c, new Date("2026-01-01T00:00:00Z"));
      return {
        input: { orgSlug: c.org.slug, invoiceId: invoice.id },
        target: { type: "invoice", id: invoice.id },
      };
    },
    // the period has not ended yet
    fail: async (c) => {
      await ensurePlans(c.db);
      const now = new Date();
      const invoice = await draftInvoice(
        c,
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
      );
      return { input: { orgSlug: c.org.slug, invoiceId: invoice.id } };
    },
  },
};

/** The org on the Team plan: room for more members than the Free plan's seats. */
async function teamPlan(c: CaseContext): Promise<void> {
  await ensurePlans(c.db);
  const team = await c.db.plan.findUniqueOrThrow({ where: { code: "team" } });
  const now = new Date();
  await c.db.subscription.create({
    data: {
      orgId: c.org.id,
      planId: team.id,
      currentPeriodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      currentPeriodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
    },
  });
}

function draftInvoice(c: CaseContext, periodStart: Date, periodEnd?: Date) {
  return c.db.invoice.create({
    data: {
      orgId: c.org.id,
      periodStart,
      periodEnd:
        periodEnd ??
        new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, 1)),
      status: "DRAFT",
      lineItems: [],
      subtotalCents: 0,
      totalCents: 0,
    },
  });
}

/** The builder pool as cache.reset sees it: a running main builder, or none. */
export function fakeCacheEngines(running: boolean): CacheEngines {
  return {
    cacheUsage: async () => undefined,
    resetCache: async () =>
      running ? { deletedIds: ["rec-1", "rec-2"], reclaimedBytes: 4096 } : undefined,
    builders: async () => ({ engines: [], snapshots: [] }),
  };
}

// ---------------------------------------------------------------------------------------------
// REST API write routes (POST/PUT/PATCH/DELETE of src/api/router.server.ts), keyed by
// `restRouteKey(method, pattern)`: "POST projects/:param/builds".

/** "POST" + /^projects\/([^/]+)\/builds$/ → "POST projects/:param/builds". */
export function restRouteKey(method: string, pattern: RegExp): string {
  const path = pattern.source
    .replace(/^\^/, "")
    .replace(/\$$/, "")
    .replaceAll("([^/]+)", ":param")
    .replaceAll("\\/", "/");
  return `${method} ${path}`;
}

export interface RestCaseContext {
  db: Db;
  org: { id: string; slug: string; name: string };
  project: { id: string; slug: string; name: string };
  /** An org token (created by the org's owner) and its row id. */
  token: string;
  tokenId: string;
  /** Test doubles of the build service (see audit.int.test.ts): a running builder or none. */
  builderRunning: (running: boolean) => void;
}

export interface RestCall {
  method: string;
  /** Below /api/v1/. */
  path: string;
  /** Build contexts: a tar with a Dockerfile (the test builds it). */
  context?: string;
  requestId?: string;
}

export interface RestCase {
  action: AuditAction;
  run: (c: RestCaseContext) => Promise<RestCall & { target: { type: string; id?: string } }>;
  /** A call the API refuses with `status`; it must write no event. */
  fails: (c: RestCaseContext) => Promise<(RestCall & { status: number })[]>;
}

const DOCKERFILE = "FROM slipway/busybox:1\nRUN true\n";

export const REST_WRITE_CASES: Record<string, RestCase> = {
  "POST projects/:param/builds": {
    action: "build.started",
    run: async (c) => ({
      method: "POST",
      path: `projects/${c.project.slug}/builds?tag=svc:1`,
      context: DOCKERFILE,
      target: { type: "build" },
    }),
    fails: async (c) => [
      { method: "POST", path: `projects/${c.project.slug}/builds`, status: 415 },
      {
        method: "POST",
        path: `projects/${c.project.slug}/builds`,
        context: "FROM slipway/busybox:1\nBOGUS x\n",
        status: 400,
      },
      { method: "POST", path: "projects/no-such-project/builds", context: DOCKERFILE, status: 404 },
    ],
  },
  "POST builds": {
    action: "build.started",
    run: async (c) => ({
      method: "POST",
      path: `builds?project=${c.project.slug}`,
      context: DOCKERFILE,
      target: { type: "build" },
    }),
    fails: async (c) => [
      {
        method: "POST",
        path: `builds?project=${c.project.slug}&platform=linux/s390x`,
        context: DOCKERFILE,
        status: 400,
      },
    ],
  },
  "POST builds/:param/cancel": {
    action: "build.cancelled",
    run: async (c) => {
      const build = await createBuild(c.db, { project: { id: c.project.id, orgId: c.org.id } });
      return {
        method: "POST",
        path: `builds/${build.id}/cancel`,
        target: { type: "build", id: build.id },
      };
    },
    fails: async (c) => {
      const done = await createBuild(c.db, {
        project: { id: c.project.id, orgId: c.org.id },
        status: "SUCCEEDED",
      });
      return [
        { method: "POST", path: `builds/${done.id}/cancel`, status: 409 },
        { method: "POST", path: "builds/no-such-build/cancel", status: 404 },
      ];
    },
  },
  "POST projects/:param/cache/reset": {
    action: "cache.reset",
    run: async (c) => {
      c.builderRunning(true);
      return {
        method: "POST",
        path: `projects/${c.project.slug}/cache/reset?platform=linux/amd64`,
        target: { type: "project", id: c.project.id },
      };
    },
    fails: async (c) => {
      c.builderRunning(false);
      return [
        // no builder running
        { method: "POST", path: `projects/${c.project.slug}/cache/reset`, status: 409 },
        {
          method: "POST",
          path: `projects/${c.project.slug}/cache/reset?platform=linux/s390x`,
          status: 400,
        },
      ];
    },
  },
};
