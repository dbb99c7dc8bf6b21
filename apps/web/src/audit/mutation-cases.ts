// One entry per state-changing tRPC procedure: how to call it so it succeeds (and what single
// audit event that must write), and how to call it so it fails (and what that must write:
// nothing, or a failure event where the catalogue has one). audit-coverage.int.test.ts walks
// `appRouter` and fails for a mutation without an entry here. Adding a case is a few lines:
//
//   "things.create": {
//     run: async (c) => ({ input: { orgSlug: c.org.slug, name: "x" }, target: { type: "thing" } }),
//     action: "thing.created",
//     fail: (c) => ({ input: { orgSlug: c.org.slug, name: "" } }),
//   },

import type { AuditAction, Role } from "@slipway/db";
import { createApiToken, createProject } from "@slipway/db/testing";
import type { Auth } from "../auth/session.server";
import type { Db } from "../db.server";
import { callerFor, signedInUser } from "../testing/auth";

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
  /** Not covered yet (the procedure is being built): why. Listed as a todo, never silently. */
  pending?: string;
}

const PENDING = "added while this table was written; its engineer's tests record the event";

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
    run: async (c) => ({
      input: { orgSlug: c.org.slug, role: "MEMBER" },
      target: { type: "invite" },
    }),
    fail: async (c) => ({ input: { orgSlug: c.org.slug, role: "OWNER" }, as: "ADMIN" }),
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
      const other = await signedInUser(c.db);
      void other;
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
  "projects.create": { action: "project.created", pending: PENDING, run: pendingRun },
  "projects.rename": { action: "project.renamed", pending: PENDING, run: pendingRun },
  "projects.delete": { action: "project.deleted", pending: PENDING, run: pendingRun },
  "projects.updateSettings": {
    action: "project.settings.updated",
    pending: PENDING,
    run: pendingRun,
  },
  "cache.reset": { action: "cache.reset", pending: PENDING, run: pendingRun },
  "billing.changePlan": { action: "billing.plan_changed", pending: PENDING, run: pendingRun },
  "billing.updateSpendLimit": {
    action: "billing.spend_limit_updated",
    pending: PENDING,
    run: pendingRun,
  },
  "billing.finalizeInvoice": {
    action: "billing.invoice_finalized",
    pending: PENDING,
    run: pendingRun,
  },
};

async function pendingRun(c: CaseContext): Promise<CaseRun> {
  await createProject(c.db, { orgId: c.org.id });
  throw new Error("pending case: write its run() and drop `pending`");
}

/** The REST API's write routes (method + pattern of src/api/router.server.ts) and their action. */
export const REST_WRITE_ROUTES: Record<string, AuditAction> = {
  "POST projects/:project/builds": "build.started",
  "POST builds": "build.started",
  "POST builds/:id/cancel": "build.cancelled",
  "POST projects/:project/cache/reset": "cache.reset",
};
