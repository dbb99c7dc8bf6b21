// REST endpoints of the audit log (GET /api/v1/audit-events, GET /api/v1/audit-events/verify).
// Only an org token may read it, and only one created by someone who may read the audit log
// today (an owner or admin): otherwise a member could mint an org token and read it anyway.

import { type Db, writeAuditDigests } from "@slipway/db";
import { type ApiPrincipal, authenticate } from "../api/auth.server";
import { ApiError, jsonResponse } from "../api/http";
import { can } from "../auth/permissions";
import { AuditQueryError, auditQueryFromSearchParams } from "./filters";
import { readAuditPage, verifyOrgAudit } from "./service.server";

/** The caller may read its org's audit log, or an ApiError says why not. */
export async function authorizeAuditRead(request: Request, db: Db): Promise<ApiPrincipal> {
  const principal = await authenticate(request, db);
  if (principal.projectId) {
    throw new ApiError(
      403,
      "org-token-required",
      `API token "${principal.tokenName}" is scoped to one project; the audit log covers the whole org: use an org token`,
    );
  }
  const org = new URL(request.url).searchParams.get("org");
  if (org !== null && org !== principal.orgSlug && org !== principal.orgId) {
    throw new ApiError(404, "org-not-found", `no org "${org}" for this token`);
  }
  const token = await db.apiToken.findUnique({
    where: { id: principal.tokenId },
    select: { createdById: true },
  });
  const membership = token?.createdById
    ? await db.membership.findUnique({
        where: { userId_orgId: { userId: token.createdById, orgId: principal.orgId } },
        select: { role: true },
      })
    : null;
  if (!membership || !can(membership.role, "audit.read")) {
    throw new ApiError(
      403,
      "audit-forbidden",
      `API token "${principal.tokenName}" was not created by an owner or admin of the org; only their tokens may read the audit log`,
    );
  }
  return principal;
}

function badQuery(error: unknown): never {
  if (error instanceof AuditQueryError) {
    throw new ApiError(400, `invalid-${error.field}`, error.message);
  }
  throw error;
}

/** GET /api/v1/audit-events?actor=&action=&targetType=&target=&outcome=&from=&to=&q=&cursor=&limit= */
export async function listAuditEventsHandler(request: Request, db: Db): Promise<Response> {
  const principal = await authorizeAuditRead(request, db);
  const params = auditQueryFromSearchParams(new URL(request.url).searchParams);
  const page = await readAuditPage(db, principal.orgId, params).catch(badQuery);
  return jsonResponse({ org: { id: principal.orgId, slug: principal.orgSlug }, ...page });
}

/** GET /api/v1/audit-events/verify: the whole chain and the hourly digests. */
export async function verifyAuditEventsHandler(request: Request, db: Db): Promise<Response> {
  const principal = await authorizeAuditRead(request, db);
  // Digests of the hours since the last job run first, so the answer covers every full hour.
  await writeAuditDigests(db, { orgId: principal.orgId });
  const result = await verifyOrgAudit(db, principal.orgId);
  return jsonResponse({ org: { id: principal.orgId, slug: principal.orgSlug }, verify: result });
}
