import { type Db, hashToken } from "@slipway/db";
import { ApiError } from "./http";

/** Who is calling the API: an API token, scoped to an org or to one project of it. */
export interface ApiPrincipal {
  tokenId: string;
  tokenName: string;
  orgId: string;
  orgSlug: string;
  /** Null: the token may act on every project of its org. */
  projectId: string | null;
}

/** lastUsedAt is written at most this often per token, so busy tokens do not write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

function bearerToken(request: Request): string {
  const header = request.headers.get("authorization");
  if (!header) {
    throw new ApiError(
      401,
      "unauthenticated",
      "missing API token: send it as `Authorization: Bearer <token>` (see `slipway login`)",
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    throw new ApiError(
      401,
      "unauthenticated",
      "malformed Authorization header: expected `Bearer <token>`",
    );
  }
  return match[1];
}

/** Checks the request's bearer token (by its hash); 401 with the reason when it is not usable. */
export async function authenticate(
  request: Request,
  db: Db,
  now: Date = new Date(),
): Promise<ApiPrincipal> {
  const secret = bearerToken(request);
  const token = await db.apiToken.findUnique({
    where: { secretHash: hashToken(secret) },
    select: {
      id: true,
      name: true,
      orgId: true,
      projectId: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      org: { select: { slug: true } },
      project: { select: { deletedAt: true } },
    },
  });
  if (!token) throw new ApiError(401, "invalid-token", "invalid API token: no such token");
  if (token.revokedAt) {
    throw new ApiError(
      401,
      "token-revoked",
      `API token "${token.name}" was revoked on ${token.revokedAt.toISOString()}`,
    );
  }
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) {
    throw new ApiError(
      401,
      "token-expired",
      `API token "${token.name}" expired on ${token.expiresAt.toISOString()}`,
    );
  }
  if (token.project?.deletedAt) {
    throw new ApiError(
      401,
      "invalid-token",
      `API token "${token.name}" belongs to a deleted project`,
    );
  }
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // conditional, so concurrent requests write once; failures must not fail the request
    await db.apiToken
      .updateMany({
        where: {
          id: token.id,
          OR: [
            { lastUsedAt: null },
            { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } },
          ],
        },
        data: { lastUsedAt: now },
      })
      .catch(() => undefined);
  }
  return {
    tokenId: token.id,
    tokenName: token.name,
    orgId: token.orgId,
    orgSlug: token.org.slug,
    projectId: token.projectId,
  };
}
