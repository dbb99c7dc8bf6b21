// Audit events of REST API writes (actor: the API token). Build start, cancel and cache reset
// change state outside this transaction (the build service's row, a BuildKit engine), so the
// event is written as soon as that change is known to have happened, and never when it was
// refused (4xx) or failed.

import { type AuditAction, type AuditTarget, type Db, recordAudit } from "@slipway/db";
import type { ApiPrincipal } from "../api/auth.server";
import { requestInfo } from "../auth/request-info.server";

export async function recordTokenAudit(
  db: Db,
  request: Request,
  principal: ApiPrincipal,
  action: AuditAction,
  target: AuditTarget,
  changes?: Record<string, unknown>,
): Promise<void> {
  const info = requestInfo(request);
  await db.$transaction((tx) =>
    recordAudit(tx, {
      orgId: principal.orgId,
      actor: { type: "TOKEN", id: principal.tokenId, name: principal.tokenName },
      action,
      target,
      changes: changes ?? null,
      ip: info.ip,
      userAgent: info.userAgent,
      requestId: info.requestId,
    }),
  );
}

/** `build.started` for a build the service just recorded (its number is read back). */
export async function recordBuildStarted(
  db: Db,
  request: Request,
  principal: ApiPrincipal,
  buildId: string,
  project: { slug: string },
  options: { platforms: string[]; tags: string[]; dockerfile: string; target?: string },
): Promise<void> {
  const build = await db.build.findUniqueOrThrow({
    where: { id: buildId },
    select: { number: true },
  });
  await recordTokenAudit(
    db,
    request,
    principal,
    "build.started",
    { type: "build", id: buildId, name: `${project.slug} #${build.number}` },
    {
      platforms: options.platforms,
      tags: options.tags,
      dockerfile: options.dockerfile,
      target: options.target ?? null,
    },
  );
}
