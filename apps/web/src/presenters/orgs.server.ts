import type { Db } from "../db.server";

export interface OrgSummary {
  slug: string;
  name: string;
}

export interface OrgShell {
  org: OrgSummary;
  /** Orgs for the switcher: the ones the signed-in user belongs to. */
  orgs: OrgSummary[];
  /** Live projects of the org, for the navigation. */
  projects: { slug: string; name: string }[];
}

/**
 * What every page under /orgs/:orgSlug shows around its content, for a user. Null for an unknown
 * org (membership is checked by the caller, see src/auth/session.server.ts).
 */
export async function getOrgShell(
  db: Db,
  orgSlug: string,
  userId: string,
): Promise<OrgShell | null> {
  const org = await db.org.findUnique({
    where: { slug: orgSlug },
    select: { id: true, slug: true, name: true },
  });
  if (!org) return null;
  const [orgs, projects] = await Promise.all([
    db.org.findMany({
      where: { memberships: { some: { userId } } },
      orderBy: { name: "asc" },
      select: { slug: true, name: true },
      take: 100,
    }),
    db.project.findMany({
      where: { orgId: org.id, deletedAt: null },
      orderBy: { name: "asc" },
      select: { slug: true, name: true },
    }),
  ]);
  return { org: { slug: org.slug, name: org.name }, orgs, projects };
}
