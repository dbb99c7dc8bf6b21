// Members and invites of an org. Invites are links: `inv_` + 160 random bits, shown once; only the
// SHA-256 is stored (Invite.tokenHash). An invite is single use and expires. The last owner of an
// org can neither leave, be removed nor be demoted. Removing a member does not end their
// sessions (they may belong to other orgs); deleting the user does.
//
// Seats: every membership (any role) takes one of the plan's seats (`seatPlan`: the subscribed
// plan, else Free; no plans set up, no limit). An invite is refused when members plus open
// invites already fill them, joining when members do (409, naming the plan and its seats).
// Both count under the org row's lock, so concurrent invites or joins cannot overshoot.

import { seatPlan } from "@slipway/billing";
import {
  AUDIT_ACTIONS,
  type DbTx,
  generateInviteToken,
  hashToken,
  INVITE_TOKEN_PREFIX,
  type Role,
  recordAudit,
  type SessionUser,
} from "@slipway/db";
import { INVITE_DEFAULT_DAYS, INVITE_MAX_DAYS } from "../auth/limits";
import { can, canAssignRole, canRemoveMember, ROLE_LABELS, ROLES } from "../auth/permissions";
import type { RequestInfo } from "../auth/request-info.server";
import type { Db } from "../db.server";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";

export const INVITE_PREFIX = INVITE_TOKEN_PREFIX;
export { INVITE_DEFAULT_DAYS, INVITE_MAX_DAYS };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface InviteRow {
  id: string;
  role: Role;
  email: string | null;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export async function listMembers(
  db: Db,
  orgId: string,
  now = new Date(),
): Promise<{ members: MemberRow[]; invites: InviteRow[] }> {
  const [members, invites] = await Promise.all([
    db.membership.findMany({
      where: { orgId },
      select: {
        id: true,
        role: true,
        createdAt: true,
        user: { select: { id: true, name: true, email: true } },
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.invite.findMany({
      where: { orgId, usedAt: null, expiresAt: { gt: now } },
      select: {
        id: true,
        role: true,
        email: true,
        createdAt: true,
        expiresAt: true,
        createdBy: { select: { name: true } },
      },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const order: Record<Role, number> = { OWNER: 0, ADMIN: 1, MEMBER: 2, VIEWER: 3 };
  return {
    members: members
      .map((m) => ({
        membershipId: m.id,
        userId: m.user.id,
        name: m.user.name,
        email: m.user.email,
        role: m.role,
        joinedAt: m.createdAt,
      }))
      .sort((a, b) => order[a.role] - order[b.role] || a.joinedAt.getTime() - b.joinedAt.getTime()),
    invites: invites.map((i) => ({
      id: i.id,
      role: i.role,
      email: i.email,
      createdBy: i.createdBy?.name ?? null,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
    })),
  };
}

export async function createInvite(
  db: Db,
  actor: OrgActor,
  input: { role: string; email?: string | null; expiresInDays?: number },
  now = new Date(),
): Promise<{ token: string; inviteId: string; expiresAt: Date; role: Role }> {
  if (!can(actor.role, "member.invite"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can invite members.");
  if (!isRole(input.role)) throw new ServiceError("BAD_REQUEST", "Choose a role.", "role");
  const role = input.role;
  if (!canAssignRole(actor.role, "VIEWER", role)) {
    throw new ServiceError(
      "FORBIDDEN",
      `Only an owner can invite an ${ROLE_LABELS[role]}.`,
      "role",
    );
  }
  const days = input.expiresInDays ?? INVITE_DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > INVITE_MAX_DAYS) {
    throw new ServiceError(
      "BAD_REQUEST",
      `Choose between 1 and ${INVITE_MAX_DAYS} days.`,
      "expiresInDays",
    );
  }
  const email = input.email?.trim().toLowerCase() || null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "Enter a valid email address, or leave it empty.",
      "email",
    );
  }
  const { token, tokenHash } = generateInviteToken();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  return db.$transaction(async (tx) => {
    await lockOrg(tx, actor.org.id);
    await checkSeatsForInvite(tx, actor.org.id, now);
    const invite = await tx.invite.create({
      data: { orgId: actor.org.id, role, email, tokenHash, expiresAt, createdById: actor.user.id },
    });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.memberInvited,
      target: { type: "invite", id: invite.id, name: email ?? "invite link" },
      changes: {
        role: { from: null, to: role },
        expiresAt: { from: null, to: expiresAt.toISOString() },
      },
      ...actor.info,
    });
    return { token, inviteId: invite.id, expiresAt, role };
  });
}

export type InviteState =
  | {
      state: "valid";
      orgName: string;
      orgSlug: string;
      role: Role;
      email: string | null;
      expiresAt: Date;
    }
  | { state: "expired" | "used"; orgName: string }
  | { state: "unknown" };

export async function describeInvite(
  db: Db,
  token: string,
  now = new Date(),
): Promise<InviteState> {
  if (!token.startsWith(INVITE_PREFIX) || token.length > 64) return { state: "unknown" };
  const invite = await db.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      role: true,
      email: true,
      expiresAt: true,
      usedAt: true,
      org: { select: { name: true, slug: true } },
    },
  });
  if (!invite) return { state: "unknown" };
  if (invite.usedAt) return { state: "used", orgName: invite.org.name };
  if (invite.expiresAt <= now) return { state: "expired", orgName: invite.org.name };
  return {
    state: "valid",
    orgName: invite.org.name,
    orgSlug: invite.org.slug,
    role: invite.role,
    email: invite.email,
    expiresAt: invite.expiresAt,
  };
}

export async function acceptInvite(
  db: Db,
  user: SessionUser,
  token: string,
  info: RequestInfo,
  now = new Date(),
): Promise<{ orgSlug: string; role: Role }> {
  const described = await describeInvite(db, token, now);
  if (described.state === "unknown")
    throw new ServiceError("NOT_FOUND", "This invite link is not valid. Ask for a new one.");
  if (described.state !== "valid") {
    const what = described.state === "used" ? "has already been used" : "has expired";
    throw new ServiceError(
      "CONFLICT",
      `This invite to ${described.orgName} ${what}. Ask for a new one.`,
    );
  }
  if (described.email && described.email !== user.email.toLowerCase()) {
    throw new ServiceError(
      "FORBIDDEN",
      `This invite is for ${described.email}; you are signed in as ${user.email}. Sign in with that address to accept it.`,
    );
  }
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findUniqueOrThrow({
      where: { tokenHash: hashToken(token) },
      select: { id: true, orgId: true, role: true },
    });
    await lockOrg(tx, invite.orgId);
    const already = await tx.membership.findUnique({
      where: { userId_orgId: { userId: user.id, orgId: invite.orgId } },
    });
    if (already)
      throw new ServiceError("CONFLICT", `You are already a member of ${described.orgName}.`);
    await checkSeatsForJoin(tx, invite.orgId, described.orgName);
    // Single use even under concurrency: only one UPDATE finds it unused.
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now, usedById: user.id },
    });
    if (claimed.count !== 1)
      throw new ServiceError(
        "CONFLICT",
        "This invite has just been used or has expired. Ask for a new one.",
      );
    const membership = await tx.membership.create({
      data: { orgId: invite.orgId, userId: user.id, role: invite.role },
    });
    await recordAudit(tx, {
      orgId: invite.orgId,
      actor: userActor(user),
      action: AUDIT_ACTIONS.memberJoined,
      target: { type: "member", id: membership.id, name: user.email },
      changes: { role: { from: null, to: invite.role }, inviteId: invite.id },
      ...info,
    });
    return { orgSlug: described.orgSlug, role: invite.role };
  });
}

/** Locks the org row: owner counts read after this cannot change until the transaction ends. */
async function lockOrg(tx: DbTx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId} FOR UPDATE`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Refuses an invite when the members and the open invites already fill the plan's seats. */
async function checkSeatsForInvite(tx: DbTx, orgId: string, now: Date): Promise<void> {
  const plan = await seatPlan(tx, orgId);
  if (!plan) return;
  const [members, open] = await Promise.all([
    tx.membership.count({ where: { orgId } }),
    tx.invite.count({ where: { orgId, usedAt: null, expiresAt: { gt: now } } }),
  ]);
  if (members + open < plan.seats) return;
  const taken =
    open === 0
      ? `its ${plural(members, "member")} use all of them`
      : `${plural(members, "member")} and ${plural(open, "open invite")} already take all of them`;
  throw new ServiceError(
    "CONFLICT",
    `Seat limit reached: the ${plan.name} plan includes ${plural(plan.seats, "seat")} and ${taken}. ` +
      "An owner can upgrade the plan in Billing, or remove a member first.",
  );
}

/** Refuses joining when the members already fill the plan's seats. */
async function checkSeatsForJoin(tx: DbTx, orgId: string, orgName: string): Promise<void> {
  const plan = await seatPlan(tx, orgId);
  if (!plan) return;
  const members = await tx.membership.count({ where: { orgId } });
  if (members < plan.seats) return;
  throw new ServiceError(
    "CONFLICT",
    `${orgName} has no free seat: its ${plan.name} plan includes ${plural(plan.seats, "seat")} and all are taken. ` +
      `Ask an owner of ${orgName} to upgrade the plan or free a seat; this invite stays valid until it expires.`,
  );
}

async function findMember(tx: DbTx, orgId: string, membershipId: string) {
  const member = await tx.membership.findFirst({
    where: { id: membershipId, orgId },
    select: { id: true, role: true, userId: true, user: { select: { email: true, name: true } } },
  });
  if (!member)
    throw new ServiceError("NOT_FOUND", "This person is not a member of the organization.");
  return member;
}

export async function changeMemberRole(
  db: Db,
  actor: OrgActor,
  input: { membershipId: string; role: string },
): Promise<{ role: Role }> {
  if (!can(actor.role, "member.role.change"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can change roles.");
  if (!isRole(input.role)) throw new ServiceError("BAD_REQUEST", "Choose a role.", "role");
  const to = input.role;
  return db.$transaction(async (tx) => {
    await lockOrg(tx, actor.org.id);
    const member = await findMember(tx, actor.org.id, input.membershipId);
    if (member.role === to)
      throw new ServiceError(
        "BAD_REQUEST",
        `${member.user.name} is already ${ROLE_LABELS[to]}.`,
        "role",
      );
    if (!canAssignRole(actor.role, member.role, to)) {
      throw new ServiceError(
        "FORBIDDEN",
        "Only an owner can make someone an owner or change an owner's role.",
        "role",
      );
    }
    if (member.role === "OWNER") {
      const owners = await tx.membership.count({ where: { orgId: actor.org.id, role: "OWNER" } });
      if (owners <= 1) {
        throw new ServiceError(
          "CONFLICT",
          "The last owner cannot be demoted. Make someone else an owner first.",
          "role",
        );
      }
    }
    await tx.membership.update({ where: { id: member.id }, data: { role: to } });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.memberRoleChanged,
      target: { type: "member", id: member.id, name: member.user.email },
      changes: { role: { from: member.role, to } },
      ...actor.info,
    });
    return { role: to };
  });
}

/** Removes a member, or the caller themselves (leaving is allowed for every role). */
export async function removeMember(
  db: Db,
  actor: OrgActor,
  input: { membershipId: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockOrg(tx, actor.org.id);
    const member = await findMember(tx, actor.org.id, input.membershipId);
    const leaving = member.userId === actor.user.id;
    if (!leaving && !canRemoveMember(actor.role, member.role)) {
      throw new ServiceError(
        "FORBIDDEN",
        can(actor.role, "member.remove")
          ? "Only an owner can remove an owner."
          : "Only owners and admins can remove members.",
      );
    }
    if (member.role === "OWNER") {
      const owners = await tx.membership.count({ where: { orgId: actor.org.id, role: "OWNER" } });
      if (owners <= 1) {
        throw new ServiceError(
          "CONFLICT",
          leaving
            ? "You are the last owner: make someone else an owner before you leave."
            : "The last owner cannot be removed. Make someone else an owner first.",
        );
      }
    }
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.memberRemoved,
      target: { type: "member", id: member.id, name: member.user.email },
      changes: { role: { from: member.role, to: null }, left: leaving },
      ...actor.info,
    });
  });
}
