import { randomUUID } from "node:crypto";
import { validateSessionToken, verifyAuditChain } from "@slipway/db";
import {
  addMember,
  createTestDatabase,
  createUser,
  TEST_PASSWORD,
  type TestDatabase,
} from "@slipway/db/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisSigninLimiter, SIGNIN_LIMITS } from "../auth/rate-limit.server";
import { getEnv } from "../env.server";
import { actorFor, orgWithRoles, signedInUser, TEST_INFO } from "../testing/auth";
import {
  changePassword,
  revokeOtherSessions,
  SIGNIN_FAILED_MESSAGE,
  signIn,
  signOut,
  signUp,
} from "./accounts.server";
import { ServiceError } from "./errors";
import { acceptInvite, changeMemberRole, createInvite, removeMember } from "./members.server";
import { createOrg, renameOrg } from "./orgs.server";
import { createToken, revokeToken } from "./tokens.server";

let t: TestDatabase;
let redis: Redis;

beforeAll(async () => {
  t = await createTestDatabase();
  redis = new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  const keys = await redis.keys("slipway-test:*");
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await t?.drop();
});

const limiter = () => createRedisSigninLimiter(redis, { prefix: `slipway-test:${randomUUID()}` });

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError))
    throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

const events = (orgId: string) =>
  t.db.auditEvent.findMany({ where: { orgId }, orderBy: { seq: "asc" } });

describe("sign-up and sign-in", () => {
  it("signs up with a normalised email, refusing weak passwords and taken emails next to the field", async () => {
    const weak = await refusal(
      signUp(t.db, { email: "new@example.test", name: "New", password: "password1" }, TEST_INFO),
    );
    expect(weak.field).toBe("password");
    const ok = await signUp(
      t.db,
      { email: " New@Example.TEST ", name: "New", password: "a fine passphrase" },
      TEST_INFO,
    );
    expect(ok.user.email).toBe("new@example.test");
    expect(await validateSessionToken(t.db, ok.token)).not.toBeNull();
    const taken = await refusal(
      signUp(
        t.db,
        { email: "new@example.test", name: "X", password: "another passphrase" },
        TEST_INFO,
      ),
    );
    expect(taken).toMatchObject({ code: "CONFLICT", field: "email" });
  });

  it("issues a new session at every sign-in and records it in each of the user's orgs", async () => {
    const { org, users } = await orgWithRoles(t.db);
    const user = users.MEMBER.user;
    const first = await signIn(
      t.db,
      limiter(),
      { email: user.email, password: TEST_PASSWORD },
      TEST_INFO,
    );
    const second = await signIn(
      t.db,
      limiter(),
      { email: user.email.toUpperCase(), password: TEST_PASSWORD },
      TEST_INFO,
    );
    expect(first.token).not.toBe(second.token);
    const signins = (await events(org.id)).filter((e) => e.action === "auth.signin.succeeded");
    expect(signins).toHaveLength(2);
    expect(signins[0]).toMatchObject({
      actorId: user.id,
      targetType: "session",
      ip: TEST_INFO.ip,
      outcome: "SUCCESS",
    });
  });

  it("locks an account out after 5 failures, even for the right password, and says when to retry", async () => {
    const { org, users } = await orgWithRoles(t.db);
    const email = users.VIEWER.user.email;
    const l = limiter();
    for (let i = 0; i < SIGNIN_LIMITS.account.limit; i++) {
      const e = await refusal(
        signIn(t.db, l, { email, password: `wrong-${i}` }, { ...TEST_INFO, ip: null }),
      );
      expect(e).toMatchObject({ code: "UNAUTHORIZED", message: SIGNIN_FAILED_MESSAGE });
    }
    const locked = await refusal(
      signIn(t.db, l, { email, password: TEST_PASSWORD }, { ...TEST_INFO, ip: null }),
    );
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    expect(locked.message).toMatch(/Try again in 15 minutes \(at \d\d:\d\d UTC\)/);
    const failed = (await events(org.id)).filter((e) => e.action === "auth.signin.failed");
    expect(failed).toHaveLength(5);
    expect(failed.every((e) => e.outcome === "FAILURE")).toBe(true);
    // Another account is not affected.
    await expect(
      signIn(t.db, l, { email: users.OWNER.user.email, password: TEST_PASSWORD }, TEST_INFO),
    ).resolves.toBeTruthy();
  });

  it("limits failures per IP across accounts, including unknown emails (which write no audit)", async () => {
    const l = limiter();
    const ip = "198.51.100.9";
    for (let i = 0; i < SIGNIN_LIMITS.ip.limit; i++) {
      await refusal(
        signIn(
          t.db,
          l,
          { email: `nobody-${i}@example.test`, password: "whatever-123" },
          { ...TEST_INFO, ip },
        ),
      );
    }
    const user = await createUser(t.db);
    const locked = await refusal(
      signIn(t.db, l, { email: user.email, password: TEST_PASSWORD }, { ...TEST_INFO, ip }),
    );
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    await expect(
      signIn(
        t.db,
        l,
        { email: user.email, password: TEST_PASSWORD },
        { ...TEST_INFO, ip: "198.51.100.10" },
      ),
    ).resolves.toBeTruthy();
  });

  it("ends every session on a password change and hands back a new one", async () => {
    const { org, users } = await orgWithRoles(t.db);
    const auth = users.ADMIN;
    const other = await signIn(
      t.db,
      limiter(),
      { email: auth.user.email, password: TEST_PASSWORD },
      TEST_INFO,
    );
    const weak = await refusal(
      changePassword(
        t.db,
        auth,
        { currentPassword: TEST_PASSWORD, newPassword: "12345678" },
        TEST_INFO,
      ),
    );
    expect(weak.field).toBe("newPassword");
    const wrong = await refusal(
      changePassword(
        t.db,
        auth,
        { currentPassword: "nope", newPassword: "a new passphrase" },
        TEST_INFO,
      ),
    );
    expect(wrong.field).toBe("currentPassword");
    const changed = await changePassword(
      t.db,
      auth,
      { currentPassword: TEST_PASSWORD, newPassword: "a new passphrase" },
      TEST_INFO,
    );
    expect(await t.db.session.findUnique({ where: { id: auth.session.id } })).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: other.session.id } })).toBeNull();
    expect(await validateSessionToken(t.db, changed.token)).not.toBeNull();
    expect((await events(org.id)).at(-1)?.action).toBe("auth.password_changed");
  });

  it("signs out one session, or all the others", async () => {
    const auth = await signedInUser(t.db);
    const l = limiter();
    await signIn(t.db, l, { email: auth.user.email, password: TEST_PASSWORD }, TEST_INFO);
    await signIn(t.db, l, { email: auth.user.email, password: TEST_PASSWORD }, TEST_INFO);
    expect(await revokeOtherSessions(t.db, auth, TEST_INFO)).toBe(2);
    expect(await t.db.session.count({ where: { userId: auth.user.id } })).toBe(1);
    await signOut(t.db, auth, TEST_INFO);
    expect(await t.db.session.count({ where: { userId: auth.user.id } })).toBe(0);
  });
});

describe("orgs, members and tokens", () => {
  it("each mutation writes exactly one audit event; a refused one writes none", async () => {
    const owner = await signedInUser(t.db);
    const org = await createOrg(t.db, owner.user, { name: "Audit Co" }, TEST_INFO);
    expect(org.slug).toBe("audit-co");
    expect((await events(org.id)).map((e) => e.action)).toEqual(["org.created"]);
    const membership = await t.db.membership.findFirstOrThrow({ where: { orgId: org.id } });
    expect(membership.role).toBe("OWNER");
    const actor = actorFor(owner, org, "OWNER", membership.id);

    const steps: [string, () => Promise<unknown>][] = [
      ["org.renamed", () => renameOrg(t.db, actor, { name: "Audit Company" })],
      ["member.invited", () => createInvite(t.db, actor, { role: "MEMBER" })],
      ["token.created", () => createToken(t.db, actor, { name: "ci", expiresInDays: 30 })],
    ];
    for (const [action, run] of steps) {
      const before = (await events(org.id)).length;
      await run();
      const after = await events(org.id);
      expect(after.length - before, action).toBe(1);
      expect(after.at(-1)?.action).toBe(action);
    }
    const token = await t.db.apiToken.findFirstOrThrow({ where: { orgId: org.id } });
    await revokeToken(t.db, actor, { tokenId: token.id });
    expect((await events(org.id)).at(-1)).toMatchObject({
      action: "token.revoked",
      targetId: token.id,
    });

    const count = (await events(org.id)).length;
    await refusal(renameOrg(t.db, actor, { name: "Audit Company" })); // unchanged
    await refusal(revokeToken(t.db, actor, { tokenId: token.id })); // already revoked
    await refusal(createToken(t.db, actor, { name: "x", projectSlug: "no-such-project" }));
    await refusal(changeMemberRole(t.db, actor, { membershipId: membership.id, role: "ADMIN" })); // last owner
    expect(await events(org.id)).toHaveLength(count);
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({ ok: true, events: count });
    const renamed = (await events(org.id)).find((e) => e.action === "org.renamed");
    expect(renamed?.changes).toEqual({ name: { from: "Audit Co", to: "Audit Company" } });
  });

  it("refuses taken and reserved slugs", async () => {
    const owner = await signedInUser(t.db);
    await createOrg(t.db, owner.user, { name: "Taken", slug: "taken" }, TEST_INFO);
    expect(
      await refusal(createOrg(t.db, owner.user, { name: "Again", slug: "taken" }, TEST_INFO)),
    ).toMatchObject({
      code: "CONFLICT",
      field: "slug",
    });
    expect(
      (await refusal(createOrg(t.db, owner.user, { name: "New", slug: "new" }, TEST_INFO))).field,
    ).toBe("slug");
  });

  it("invite links are single use, expire, and may be bound to an email", async () => {
    const { org, users, memberships } = await orgWithRoles(t.db);
    const admin = actorFor(users.ADMIN, org, "ADMIN", memberships.ADMIN);
    expect((await refusal(createInvite(t.db, admin, { role: "OWNER" }))).code).toBe("FORBIDDEN");
    const invite = await createInvite(t.db, admin, { role: "VIEWER" });
    const stored = await t.db.invite.findUniqueOrThrow({ where: { id: invite.inviteId } });
    expect(stored.tokenHash).not.toContain(invite.token);

    const joiner = await signedInUser(t.db);
    expect(await acceptInvite(t.db, joiner.user, invite.token, TEST_INFO)).toEqual({
      orgSlug: org.slug,
      role: "VIEWER",
    });
    expect((await events(org.id)).at(-1)).toMatchObject({
      action: "member.joined",
      actorId: joiner.user.id,
    });

    const late = await signedInUser(t.db);
    expect((await refusal(acceptInvite(t.db, late.user, invite.token, TEST_INFO))).message).toMatch(
      /already been used/,
    );

    const old = await createInvite(
      t.db,
      admin,
      { role: "MEMBER", expiresInDays: 1 },
      new Date(Date.now() - 2 * 86_400_000),
    );
    expect((await refusal(acceptInvite(t.db, late.user, old.token, TEST_INFO))).message).toMatch(
      /expired/,
    );

    const bound = await createInvite(t.db, admin, {
      role: "MEMBER",
      email: "someone@example.test",
    });
    expect((await refusal(acceptInvite(t.db, late.user, bound.token, TEST_INFO))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(acceptInvite(t.db, late.user, "inv_nothing", TEST_INFO))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("the last owner can neither leave nor be demoted or removed; with two owners they can", async () => {
    const { org, users, memberships } = await orgWithRoles(t.db);
    const owner = actorFor(users.OWNER, org, "OWNER", memberships.OWNER);
    const admin = actorFor(users.ADMIN, org, "ADMIN", memberships.ADMIN);
    expect(
      (await refusal(removeMember(t.db, owner, { membershipId: memberships.OWNER }))).message,
    ).toMatch(/last owner/);
    expect(
      (
        await refusal(
          changeMemberRole(t.db, owner, { membershipId: memberships.OWNER, role: "ADMIN" }),
        )
      ).message,
    ).toMatch(/last owner/);
    expect(
      (await refusal(removeMember(t.db, admin, { membershipId: memberships.OWNER }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await refusal(
          changeMemberRole(t.db, admin, { membershipId: memberships.MEMBER, role: "OWNER" }),
        )
      ).code,
    ).toBe("FORBIDDEN");

    await changeMemberRole(t.db, owner, { membershipId: memberships.ADMIN, role: "OWNER" });
    await removeMember(t.db, owner, { membershipId: memberships.OWNER }); // leaves
    expect(await t.db.membership.findUnique({ where: { id: memberships.OWNER } })).toBeNull();
    // Leaving an org does not end the user's sessions.
    expect(await t.db.session.findUnique({ where: { id: users.OWNER.session.id } })).not.toBeNull();
    const actions = (await events(org.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["member.role_changed", "member.removed"]);
  });

  it("members may leave; viewers may not remove others", async () => {
    const { org, users, memberships } = await orgWithRoles(t.db);
    const viewer = actorFor(users.VIEWER, org, "VIEWER", memberships.VIEWER);
    expect(
      (await refusal(removeMember(t.db, viewer, { membershipId: memberships.MEMBER }))).code,
    ).toBe("FORBIDDEN");
    await removeMember(t.db, viewer, { membershipId: memberships.VIEWER });
    const other = await createUser(t.db);
    await addMember(t.db, org.id, other.id, "VIEWER");
  });
});
