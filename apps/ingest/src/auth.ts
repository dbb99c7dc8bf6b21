import { createHash, timingSafeEqual } from "node:crypto";
import { type Db, hashToken } from "@slipway/db";

/** Who a request acts for: an API token (one org, maybe one project) or the web app. */
export type Principal =
  | { kind: "token"; tokenId: string; orgId: string; projectId: string | null }
  | { kind: "service" };

export type AuthResult = { ok: true; principal: Principal } | { ok: false; message: string };

export type AuthDb = Pick<Db, "apiToken">;

/** The token of an `Authorization: Bearer <token>` header, or why there is none. */
export function bearer(header: string | undefined): { token: string } | { message: string } {
  if (!header)
    return { message: "missing Authorization header: send `Authorization: Bearer <api token>`" };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) return { message: "malformed Authorization header: expected `Bearer <api token>`" };
  return { token: m[1] };
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Looks an API token up by its SHA-256 (never by the token itself). Revoked and expired tokens
 * are refused with a message saying which; lastUsedAt is refreshed at most once a minute.
 */
export async function authenticateApiToken(db: AuthDb, token: string): Promise<AuthResult> {
  const row = await db.apiToken.findUnique({
    where: { secretHash: hashToken(token) },
    select: {
      id: true,
      orgId: true,
      projectId: true,
      prefix: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
  if (!row) return { ok: false, message: "unknown API token" };
  if (row.revokedAt) {
    return {
      ok: false,
      message: `API token ${row.prefix}… was revoked at ${row.revokedAt.toISOString()}`,
    };
  }
  const now = Date.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now) {
    return {
      ok: false,
      message: `API token ${row.prefix}… expired at ${row.expiresAt.toISOString()}`,
    };
  }
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    void db.apiToken
      .update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } })
      .catch(() => {});
  }
  return {
    ok: true,
    principal: { kind: "token", tokenId: row.id, orgId: row.orgId, projectId: row.projectId },
  };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
