// API tokens of an org for the CLI and CI (see src/api/auth.server.ts for how they are checked).
// A token is shown once at creation; only its SHA-256 and a short prefix are stored.

import { AUDIT_ACTIONS, generateApiToken, recordAudit } from "@slipway/db";
import { can } from "../auth/permissions";
import type { Db } from "../db.server";
import { isSlug } from "../presenters/params";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";

export const TOKEN_NAME_MAX_LENGTH = 60;
export const TOKEN_MAX_DAYS = 366;

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scope: { kind: "org" } | { kind: "project"; slug: string; name: string };
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: "active" | "expired" | "revoked";
}

export async function listTokens(db: Db, orgId: string, now = new Date()): Promise<TokenRow[]> {
  const rows = await db.apiToken.findMany({
    where: { orgId },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      project: { select: { slug: true, name: true } },
    },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    take: 200,
  });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scope: t.project
      ? { kind: "project", slug: t.project.slug, name: t.project.name }
      : { kind: "org" },
    createdBy: t.createdBy?.name ?? null,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    status: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= now ? "expired" : "active",
  }));
}

/** The org's live projects, for the scope picker. */
export async function listProjectsForScope(
  db: Db,
  orgId: string,
): Promise<{ slug: string; name: string }[]> {
  return db.project.findMany({
    where: { orgId, deletedAt: null },
    select: { slug: true, name: true },
    orderBy: { name: "asc" },
  });
}

export async function createToken(
  db: Db,
  actor: OrgActor,
  input: { name: string; projectSlug?: string | null; expiresInDays?: number | null },
  now = new Date(),
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date | null }> {
  if (!can(actor.role, "token.create"))
    throw new ServiceError("FORBIDDEN", "Viewers cannot create API tokens.");
  const name = input.name.trim();
  if (!name)
    throw new ServiceError(
      "BAD_REQUEST",
      "Name the token after where it is used, e.g. “GitHub Actions”.",
      "name",
    );
  if (name.length > TOKEN_NAME_MAX_LENGTH) {
    throw new ServiceError(
      "BAD_REQUEST",
      `Use at most ${TOKEN_NAME_MAX_LENGTH} characters.`,
      "name",
    );
  }
  let projectId: string | null = null;
  let projectName: string | null = null;
  if (input.projectSlug) {
    const project = isSlug(input.projectSlug)
      ? await db.project.findFirst({
          where: { orgId: actor.org.id, slug: input.projectSlug, deletedAt: null },
          select: { id: true, name: true },
        })
      : null;
    if (!project)
      throw new ServiceError(
        "BAD_REQUEST",
        "Choose one of the organization's projects.",
        "projectSlug",
      );
    projectId = project.id;
    projectName = project.name;
  }
  const days = input.expiresInDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS)) {
    throw new ServiceError(
      "BAD_REQUEST",
      `Choose between 1 and ${TOKEN_MAX_DAYS} days, or no expiry.`,
      "expiresInDays",
    );
  }
  const expiresAt = days === null ? null : new Date(now.getTime() + days * 86_400_000);
  const generated = generateApiToken();
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        orgId: actor.org.id,
        projectId,
        name,
        prefix: generated.prefix,
        secretHash: generated.secretHash,
        createdById: actor.user.id,
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.tokenCreated,
      target: { type: "token", id: row.id, name },
      changes: {
        scope: { from: null, to: projectName ? `project:${input.projectSlug}` : "org" },
        expiresAt: { from: null, to: expiresAt?.toISOString() ?? null },
        prefix: generated.prefix,
      },
      ...actor.info,
    });
    return { id: row.id, token: generated.token, prefix: generated.prefix, expiresAt };
  });
}

export async function revokeToken(
  db: Db,
  actor: OrgActor,
  input: { tokenId: string },
  now = new Date(),
): Promise<void> {
  if (!can(actor.role, "token.revoke"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can revoke API tokens.");
  await db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({
      where: { id: input.tokenId, orgId: actor.org.id },
      select: { id: true, name: true, revokedAt: true },
    });
    if (!token) throw new ServiceError("NOT_FOUND", "There is no such token in this organization.");
    if (token.revokedAt) throw new ServiceError("CONFLICT", `“${token.name}” is already revoked.`);
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.tokenRevoked,
      target: { type: "token", id: token.id, name: token.name },
      changes: { revokedAt: { from: null, to: now.toISOString() } },
      ...actor.info,
    });
  });
}
