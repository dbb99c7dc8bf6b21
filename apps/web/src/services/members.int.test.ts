// Seat limits on the plan: inviting and joining beyond the plan's seats is refused (409, naming
// the plan and its seats), with a real database.

import { generateInviteToken } from "@slipway/db";
import {
  addMember,
  createOrg,
  createTestDatabase,
  ensurePlans,
  type TestDatabase,
} from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFor, signedInUser, TEST_INFO } from "../testing/auth";
import { HTTP_STATUS, ServiceError } from "./errors";
import { acceptInvite, createInvite } from "./members.server";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError))
    throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

/** An org with an owner and `others` more members (no subscription: the Free plan). */
async function orgWithMembers(others: number) {
  const org = await createOrg(t.db);
  const owner = await signedInUser(t.db);
  const membership = await addMember(t.db, org.id, owner.user.id, "OWNER");
  for (let i = 0; i < others; i++) {
    await addMember(t.db, org.id, (await signedInUser(t.db)).user.id, "MEMBER");
  }
  return { org, actor: actorFor(owner, org, "OWNER", membership.id) };
}

describe("without plans set up", () => {
  it("does not limit seats", async () => {
    const { actor } = await orgWithMembers(5);
    const invite = await createInvite(t.db, actor, { role: "MEMBER" });
    const joiner = await signedInUser(t.db);
    await expect(acceptInvite(t.db, joiner.user, invite.token, TEST_INFO)).resolves.toMatchObject({
      role: "MEMBER",
    });
  });
});

describe("seat limits", () => {
  beforeAll(async () => {
    await ensurePlans(t.db); // Free: 3 seats, Starter: 5
  });

  it("refuses an invite when members fill the plan's seats, naming the plan and the limit", async () => {
    const { org, actor } = await orgWithMembers(2);
    const before = await t.db.invite.count({ where: { orgId: org.id } });
    const error = await refusal(createInvite(t.db, actor, { role: "MEMBER" }));
    expect(error.code).toBe("CONFLICT");
    expect(HTTP_STATUS[error.code]).toBe(409);
    expect(error.message).toBe(
      "Seat limit reached: the Free plan includes 3 seats and its 3 members use all of them. " +
        "An owner can upgrade the plan in Billing, or remove a member first.",
    );
    expect(await t.db.invite.count({ where: { orgId: org.id } })).toBe(before);
    expect(
      await t.db.auditEvent.count({ where: { orgId: org.id, action: "member.invited" } }),
    ).toBe(0);
  });

  it("counts open invites against the seats; used and expired ones do not", async () => {
    const { actor } = await orgWithMembers(1); // 2 of 3 seats
    const open = await createInvite(t.db, actor, { role: "VIEWER" });
    const error = await refusal(createInvite(t.db, actor, { role: "VIEWER" }));
    expect(error.message).toMatch(
      /the Free plan includes 3 seats and 2 members and 1 open invite already take all of them/,
    );
    // An expired invite frees its seat.
    await t.db.invite.update({
      where: { id: open.inviteId },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const next = await createInvite(t.db, actor, { role: "VIEWER" });
    // Used: it became a member, who takes the seat instead.
    await acceptInvite(t.db, (await signedInUser(t.db)).user, next.token, TEST_INFO);
    expect((await refusal(createInvite(t.db, actor, { role: "VIEWER" }))).message).toMatch(
      /its 3 members use all of them/,
    );
  });

  it("refuses joining when the seats filled up after the invite was made; the invite stays valid", async () => {
    const { org, actor } = await orgWithMembers(1);
    const invite = await createInvite(t.db, actor, { role: "MEMBER" });
    await addMember(t.db, org.id, (await signedInUser(t.db)).user.id, "MEMBER"); // 3 of 3
    const joiner = await signedInUser(t.db);
    const error = await refusal(acceptInvite(t.db, joiner.user, invite.token, TEST_INFO));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe(
      `${org.name} has no free seat: its Free plan includes 3 seats and all are taken. ` +
        `Ask an owner of ${org.name} to upgrade the plan or free a seat; this invite stays valid until it expires.`,
    );
    expect(await t.db.membership.count({ where: { orgId: org.id } })).toBe(3);
    const stored = await t.db.invite.findUniqueOrThrow({ where: { id: invite.inviteId } });
    expect(stored.usedAt).toBeNull();
  });

  it("uses the subscribed plan's seats", async () => {
    const { org, actor } = await orgWithMembers(2); // 3 members: Free is full
    const starter = await t.db.plan.findUniqueOrThrow({ where: { code: "starter" } });
    await t.db.subscription.create({
      data: {
        orgId: org.id,
        planId: starter.id,
        currentPeriodStart: new Date("2026-12-01T00:00:00Z"),
        currentPeriodEnd: new Date("2027-01-01T00:00:00Z"),
      },
    });
    const a = await createInvite(t.db, actor, { role: "MEMBER" });
    const b = await createInvite(t.db, actor, { role: "MEMBER" });
    expect((await refusal(createInvite(t.db, actor, { role: "MEMBER" }))).message).toMatch(
      /the Starter plan includes 5 seats and 3 members and 2 open invites/,
    );
    for (const invite of [a, b]) {
      await acceptInvite(t.db, (await signedInUser(t.db)).user, invite.token, TEST_INFO);
    }
    expect(await t.db.membership.count({ where: { orgId: org.id } })).toBe(5);
  });

  it("lets only as many concurrent joins through as there are free seats", async () => {
    const { org, actor } = await orgWithMembers(0); // 1 of 3 seats
    // Four invites made while seats were free (say, on a bigger plan), written directly.
    const invites: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { token, tokenHash } = generateInviteToken();
      await t.db.invite.create({
        data: {
          orgId: org.id,
          role: "VIEWER",
          tokenHash,
          expiresAt: new Date(Date.now() + 86_400_000),
          createdById: actor.user.id,
        },
      });
      invites.push(token);
    }
    const joiners = await Promise.all(invites.map(() => signedInUser(t.db)));
    const results = await Promise.allSettled(
      joiners.map((joiner, i) => acceptInvite(t.db, joiner.user, invites[i] ?? "", TEST_INFO)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(await t.db.membership.count({ where: { orgId: org.id } })).toBe(3);
  });
});
