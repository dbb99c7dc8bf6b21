// Sign-in sessions, after Lucia's design (implemented here with @oslojs, not the `lucia` package).
//
// The cookie carries `<id>.<secret>`: the id finds the row, the secret proves possession. Only the
// SHA-256 of the secret is stored (Session.secretHash) and compared in constant time, so a
// database leak yields no usable session. A session ends at the first of:
//   - inactivity: not used for SESSION_INACTIVITY_MS (lastVerifiedAt, bumped at most hourly);
//   - its absolute lifetime: expiresAt = createdAt + SESSION_LIFETIME_MS (never extended);
//   - sign-out (deleted), revocation from the sessions page, or "sign out other sessions";
//   - a password change: every session created before User.passwordChangedAt is invalid (and the
//     application deletes them too);
//   - deletion of the user (cascade).

import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import type { Session, User } from "./generated/prisma/client.ts";
import type { DbTx } from "./index.ts";

export const SESSION_COOKIE_NAME = "__Host-slipway_session";
/** A session unused for this long is over. */
export const SESSION_INACTIVITY_MS = 10 * 24 * 60 * 60 * 1000;
/** No session lives longer than this, however active. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** lastVerifiedAt is written at most this often (one UPDATE per hour per session, not per request). */
export const SESSION_BUMP_INTERVAL_MS = 60 * 60 * 1000;

const SESSION_ID = /^[a-z2-7]{24}$/;
const SESSION_SECRET = /^[a-z2-7]{52}$/;

/** 120 random bits, base32: the row id, not a secret. */
export function generateSessionId(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
}

/** 256 random bits, base32 (52 characters). */
export function generateSessionSecret(): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(32)));
}

export function hashSessionSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Splits `<id>.<secret>`; null for anything that cannot be a session token. */
export function parseSessionToken(token: string): { id: string; secret: string } | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (!SESSION_ID.test(id) || !SESSION_SECRET.test(secret)) return null;
  return { id, secret };
}

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
  now?: Date;
}

/** Starts a session. Show `token` to the browser (cookie) only; it is not stored. */
export async function createSession(
  db: DbTx,
  userId: string,
  { ip = null, userAgent = null, now = new Date() }: SessionMeta = {},
): Promise<{ session: Session; token: string }> {
  const id = generateSessionId();
  const secret = generateSessionSecret();
  const session = await db.session.create({
    data: {
      id,
      secretHash: new Uint8Array(hashSessionSecret(secret)),
      userId,
      createdAt: now,
      lastVerifiedAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
      ip: ip?.slice(0, 64) ?? null,
      userAgent: userAgent?.slice(0, 512) ?? null,
    },
  });
  return { session, token: `${id}.${secret}` };
}

export type SessionUser = Pick<User, "id" | "email" | "name" | "passwordChangedAt">;

export interface ValidSession {
  session: Session;
  user: SessionUser;
}

/** Why a session is not (or no longer) valid; null when it is. Pure, for tests and callers. */
export function sessionExpiry(
  session: Pick<Session, "createdAt" | "lastVerifiedAt" | "expiresAt">,
  user: Pick<User, "passwordChangedAt">,
  now: Date,
): "absolute" | "inactive" | "password-changed" | null {
  if (now.getTime() >= session.expiresAt.getTime()) return "absolute";
  if (now.getTime() - session.lastVerifiedAt.getTime() >= SESSION_INACTIVITY_MS) return "inactive";
  if (session.createdAt.getTime() < user.passwordChangedAt.getTime()) return "password-changed";
  return null;
}

/**
 * The session and user a token stands for, or null (unknown, wrong secret, expired: an expired
 * row is deleted). Bumps lastVerifiedAt when it is older than SESSION_BUMP_INTERVAL_MS.
 */
export async function validateSessionToken(
  db: DbTx,
  token: string,
  now: Date = new Date(),
): Promise<ValidSession | null> {
  const parsed = parseSessionToken(token);
  if (!parsed) return null;
  const row = await db.session.findUnique({
    where: { id: parsed.id },
    include: { user: { select: { id: true, email: true, name: true, passwordChangedAt: true } } },
  });
  if (!row) return null;
  const { user, ...session } = row;
  const presented = hashSessionSecret(parsed.secret);
  const stored = new Uint8Array(session.secretHash);
  if (stored.length !== presented.length || !constantTimeEqual(presented, stored)) return null;
  if (sessionExpiry(session, user, now)) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now.getTime() - session.lastVerifiedAt.getTime() >= SESSION_BUMP_INTERVAL_MS) {
    session.lastVerifiedAt = now;
    await db.session.updateMany({ where: { id: session.id }, data: { lastVerifiedAt: now } });
  }
  return { session, user };
}

/** Ends one session (sign-out). True when it existed. */
export async function invalidateSession(db: DbTx, sessionId: string): Promise<boolean> {
  const { count } = await db.session.deleteMany({ where: { id: sessionId } });
  return count > 0;
}

/** Ends every session of a user, except `exceptSessionId` when given. Returns how many ended. */
export async function invalidateUserSessions(
  db: DbTx,
  userId: string,
  { exceptSessionId }: { exceptSessionId?: string } = {},
): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
  });
  return count;
}

/** A user's live sessions, most recently active first (expired ones are left out). */
export async function listUserSessions(
  db: DbTx,
  userId: string,
  now: Date = new Date(),
): Promise<Omit<Session, "secretHash">[]> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { passwordChangedAt: true },
  });
  if (!user) return [];
  const rows = await db.session.findMany({
    where: {
      userId,
      expiresAt: { gt: now },
      lastVerifiedAt: { gt: new Date(now.getTime() - SESSION_INACTIVITY_MS) },
      createdAt: { gte: user.passwordChangedAt },
    },
    orderBy: [{ lastVerifiedAt: "desc" }, { createdAt: "desc" }],
    omit: { secretHash: true },
  });
  return rows;
}

/** Deletes expired sessions (housekeeping; validation never trusts an expired row anyway). */
export async function deleteExpiredSessions(db: DbTx, now: Date = new Date()): Promise<number> {
  const { count } = await db.session.deleteMany({
    where: {
      OR: [
        { expiresAt: { lte: now } },
        { lastVerifiedAt: { lte: new Date(now.getTime() - SESSION_INACTIVITY_MS) } },
      ],
    },
  });
  return count;
}
