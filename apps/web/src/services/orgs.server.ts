// Orgs of a user: list (the switcher), create (the creator becomes its owner), rename.

import { AUDIT_ACTIONS, recordAudit, type SessionUser } from "@slipway/db";
import { can } from "../auth/permissions";
import type { RequestInfo } from "../auth/request-info.server";
import type { Db } from "../db.server";
import { isSlug } from "../presenters/params";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";

export const ORG_NAME_MAX_LENGTH = 80;
/** Slugs that name pages, not orgs. */
export const RESERVED_SLUGS = new Set(["new", "api", "admin", "settings", "signin", "signup"]);

export interface UserOrg {
  id: string;
  slug: string;
  name: string;
  role: string;
}

/** The orgs a user belongs to, by name. */
export async function listUserOrgs(db: Db, userId: string): Promise<UserOrg[]> {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { id: true, slug: true, name: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((m) => ({ ...m.org, role: m.role }));
}

/** Where `/` sends a user: the org they joined first, or null (→ create one). */
export async function firstOrgSlugOf(db: Db, userId: string): Promise<string | null> {
  const m = await db.membership.findFirst({
    where: { userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { org: { select: { slug: true } } },
  });
  return m?.org.slug ?? null;
}

export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}

function validateName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new ServiceError("BAD_REQUEST", "Enter a name for the organization.", "name");
  if (trimmed.length > ORG_NAME_MAX_LENGTH) {
    throw new ServiceError("BAD_REQUEST", `Use at most ${ORG_NAME_MAX_LENGTH} characters.`, "name");
  }
  return trimmed;
}

export async function createOrg(
  db: Db,
  user: SessionUser,
  input: { name: string; slug?: string },
  info: RequestInfo,
): Promise<{ id: string; slug: string; name: string }> {
  const name = validateName(input.name);
  const slug = (input.slug?.trim() || slugify(name)).toLowerCase();
  if (!isSlug(slug)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "Use lower-case letters, digits and dashes, starting with a letter or digit (at most 63).",
      "slug",
    );
  }
  if (RESERVED_SLUGS.has(slug)) {
    throw new ServiceError("BAD_REQUEST", `“${slug}” is reserved. Choose another.`, "slug");
  }
  try {
    return await db.$transaction(async (tx) => {
      const org = await tx.org.create({
        data: { name, slug },
        select: { id: true, slug: true, name: true },
      });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "OWNER" } });
      await recordAudit(tx, {
        orgId: org.id,
        actor: userActor(user),
        action: AUDIT_ACTIONS.orgCreated,
        target: { type: "org", id: org.id, name: org.name },
        changes: { name: { from: null, to: name }, slug: { from: null, to: slug } },
        ...info,
      });
      return org;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new ServiceError("CONFLICT", `The address “${slug}” is taken. Choose another.`, "slug");
    }
    throw error;
  }
}

export async function renameOrg(
  db: Db,
  actor: OrgActor,
  input: { name: string },
): Promise<{ name: string }> {
  if (!can(actor.role, "org.rename"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can rename the organization.");
  const name = validateName(input.name);
  return db.$transaction(async (tx) => {
    const before = await tx.org.findUniqueOrThrow({
      where: { id: actor.org.id },
      select: { name: true },
    });
    if (before.name === name)
      throw new ServiceError("BAD_REQUEST", "That is already its name.", "name");
    await tx.org.update({ where: { id: actor.org.id }, data: { name } });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.orgRenamed,
      target: { type: "org", id: actor.org.id, name },
      changes: { name: { from: before.name, to: name } },
      ...actor.info,
    });
    return { name };
  });
}
