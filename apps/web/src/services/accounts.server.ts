// Sign-up, sign-in, sign-out, password change and the sessions of one's own account.
//
// Audit: these are not org actions, but the log is per org. An event about a user's account
// (auth.signin.succeeded/failed, auth.signout, auth.password_changed, session.revoked) is written
// to EACH org the user belongs to at that moment, in the same transaction as the change. A failed
// sign-in is recorded only when the email is a user's (unknown emails have no org to log in).

import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditTarget,
  createSession,
  type DbTx,
  hashPassword,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  recordAudit,
  type Session,
  type SessionUser,
  verifyPassword,
} from "@slipway/db";
import { checkPassword, PASSWORD_MAX_LENGTH } from "../auth/password-policy";
import type { SigninLimiter } from "../auth/rate-limit.server";
import type { RequestInfo } from "../auth/request-info.server";
import type { Db } from "../db.server";
import { userActor } from "./actor";
import { ServiceError } from "./errors";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const NAME_MAX_LENGTH = 100;

/** A precomputed hash to verify against when the email is unknown, so timing does not tell. */
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$q/VQIsFUKJ1p6W7+LBROjQ$0sB9rKM9VI18dyMIpaU4FngHp4DNd/b1MQ11Ghv3+qA";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateEmail(email: string): string | null {
  if (!email) return "Enter your email address.";
  if (email.length > 254 || !EMAIL.test(email))
    return "Enter a valid email address, like you@example.com.";
  return null;
}

/** Writes one event per org of the user (see the header). */
export async function recordUserAudit(
  tx: DbTx,
  user: Pick<SessionUser, "id" | "name" | "email">,
  action: AuditAction,
  info: RequestInfo,
  extra: {
    target?: AuditTarget;
    changes?: Record<string, unknown>;
    outcome?: "SUCCESS" | "FAILURE";
    now?: Date;
  } = {},
): Promise<number> {
  const memberships = await tx.membership.findMany({
    where: { userId: user.id },
    select: { orgId: true },
    orderBy: { createdAt: "asc" },
  });
  for (const { orgId } of memberships) {
    await recordAudit(tx, {
      orgId,
      actor: userActor(user),
      action,
      target: extra.target ?? { type: "user", id: user.id, name: user.email },
      changes: extra.changes ?? null,
      outcome: extra.outcome,
      occurredAt: extra.now,
      ...info,
    });
  }
  return memberships.length;
}

export interface SignedIn {
  user: SessionUser;
  session: Session;
  token: string;
}

export async function signUp(
  db: Db,
  input: { email: string; name: string; password: string },
  info: RequestInfo,
  now = new Date(),
): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  const emailError = validateEmail(email);
  if (emailError) throw new ServiceError("BAD_REQUEST", emailError, "email");
  if (!name) throw new ServiceError("BAD_REQUEST", "Enter your name.", "name");
  if (name.length > NAME_MAX_LENGTH) {
    throw new ServiceError("BAD_REQUEST", `Use at most ${NAME_MAX_LENGTH} characters.`, "name");
  }
  const passwordError = checkPassword(input.password, { email });
  if (passwordError) throw new ServiceError("BAD_REQUEST", passwordError, "password");
  const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) {
    throw new ServiceError(
      "CONFLICT",
      "There is already an account with this email. Sign in instead.",
      "email",
    );
  }
  const passwordHash = await hashPassword(input.password);
  return db
    .$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name, passwordHash, passwordChangedAt: now },
        select: { id: true, email: true, name: true, passwordChangedAt: true },
      });
      const { session, token } = await createSession(tx, user.id, { ...info, now });
      return { user, session, token };
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2002") {
        throw new ServiceError(
          "CONFLICT",
          "There is already an account with this email. Sign in instead.",
          "email",
        );
      }
      throw error;
    });
}

export const SIGNIN_FAILED_MESSAGE = "The email or password is not correct.";

export function lockoutMessage(retryAt: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  const at = retryAt.toISOString().slice(11, 16);
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${at} UTC).`;
}

export async function signIn(
  db: Db,
  limiter: SigninLimiter,
  input: { email: string; password: string },
  info: RequestInfo,
  now = new Date(),
): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const emailError = validateEmail(email);
  if (emailError) throw new ServiceError("BAD_REQUEST", emailError, "email");
  if (!input.password) throw new ServiceError("BAD_REQUEST", "Enter your password.", "password");
  const keys = { email, ip: info.ip };
  const limit = await limiter.check(keys, now);
  if (limit.locked) throw new ServiceError("TOO_MANY_REQUESTS", lockoutMessage(limit.retryAt, now));

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordChangedAt: true, passwordHash: true },
  });
  // Over-long input is never a valid password; do not spend argon2 time on it.
  const password = input.password.slice(0, PASSWORD_MAX_LENGTH * 4);
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !valid) {
    await limiter.recordFailure(keys);
    if (user) {
      await db.$transaction((tx) =>
        recordUserAudit(tx, user, AUDIT_ACTIONS.signinFailed, info, { outcome: "FAILURE", now }),
      );
    }
    throw new ServiceError("UNAUTHORIZED", SIGNIN_FAILED_MESSAGE, "password");
  }
  await limiter.reset(keys);
  const { passwordHash: _, ...sessionUser } = user;
  return db.$transaction(async (tx) => {
    const { session, token } = await createSession(tx, user.id, { ...info, now });
    await recordUserAudit(tx, sessionUser, AUDIT_ACTIONS.signinSucceeded, info, {
      target: { type: "session", id: session.id, name: describeSessionTarget(session) },
      now,
    });
    return { user: sessionUser, session, token };
  });
}

function describeSessionTarget(session: Pick<Session, "id" | "userAgent">): string {
  return session.userAgent?.slice(0, 120) ?? `session ${session.id.slice(0, 8)}`;
}

export async function signOut(
  db: Db,
  auth: { user: SessionUser; session: Session },
  info: RequestInfo,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const ended = await invalidateSession(tx, auth.session.id);
    if (ended) {
      await recordUserAudit(tx, auth.user, AUDIT_ACTIONS.signout, info, {
        target: { type: "session", id: auth.session.id, name: describeSessionTarget(auth.session) },
      });
    }
  });
}

/** Changes the password and ends EVERY session of the user; returns a new one for this browser. */
export async function changePassword(
  db: Db,
  auth: { user: SessionUser },
  input: { currentPassword: string; newPassword: string },
  info: RequestInfo,
  now = new Date(),
): Promise<SignedIn> {
  const row = await db.user.findUniqueOrThrow({
    where: { id: auth.user.id },
    select: { passwordHash: true, email: true },
  });
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new ServiceError("BAD_REQUEST", "This is not your current password.", "currentPassword");
  }
  const error = checkPassword(input.newPassword, { email: row.email });
  if (error) throw new ServiceError("BAD_REQUEST", error, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: auth.user.id },
      data: { passwordHash, passwordChangedAt: now },
      select: { id: true, email: true, name: true, passwordChangedAt: true },
    });
    const ended = await invalidateUserSessions(tx, user.id);
    const { session, token } = await createSession(tx, user.id, { ...info, now });
    await recordUserAudit(tx, user, AUDIT_ACTIONS.passwordChanged, info, {
      changes: { sessionsEnded: ended },
      now,
    });
    return { user, session, token };
  });
}

export interface SessionRow {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastVerifiedAt: Date;
  expiresAt: Date;
}

export async function listSessions(
  db: Db,
  auth: { user: SessionUser; session: Session },
  now = new Date(),
): Promise<SessionRow[]> {
  const rows = await listUserSessions(db, auth.user.id, now);
  return rows.map((s) => ({
    id: s.id,
    current: s.id === auth.session.id,
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt,
    lastVerifiedAt: s.lastVerifiedAt,
    expiresAt: s.expiresAt,
  }));
}

/** Ends one of the caller's own sessions (not the current one: that is sign-out). */
export async function revokeSession(
  db: Db,
  auth: { user: SessionUser; session: Session },
  sessionId: string,
  info: RequestInfo,
): Promise<void> {
  if (sessionId === auth.session.id) {
    throw new ServiceError("BAD_REQUEST", "This is the session you are using: sign out instead.");
  }
  await db.$transaction(async (tx) => {
    const target = await tx.session.findFirst({
      where: { id: sessionId, userId: auth.user.id },
      select: { id: true, userAgent: true },
    });
    // Someone else's session is indistinguishable from a missing one.
    if (!target) throw new ServiceError("NOT_FOUND", "This session has already ended.");
    await tx.session.delete({ where: { id: target.id } });
    await recordUserAudit(tx, auth.user, AUDIT_ACTIONS.sessionRevoked, info, {
      target: { type: "session", id: target.id, name: describeSessionTarget(target) },
    });
  });
}

/** "Sign out everywhere else": ends every session of the caller but this one. */
export async function revokeOtherSessions(
  db: Db,
  auth: { user: SessionUser; session: Session },
  info: RequestInfo,
): Promise<number> {
  return db.$transaction(async (tx) => {
    const ended = await invalidateUserSessions(tx, auth.user.id, {
      exceptSessionId: auth.session.id,
    });
    if (ended > 0) {
      await recordUserAudit(tx, auth.user, AUDIT_ACTIONS.sessionRevoked, info, {
        target: { type: "user", id: auth.user.id, name: auth.user.email },
        changes: { sessionsEnded: ended, scope: "others" },
      });
    }
    return ended;
  });
}
