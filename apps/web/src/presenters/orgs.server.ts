import type { Db } from "../db.server";

export interface OrgSummary {
  slug: string;
  name: string;
}

export interface OrgShell {
  org: OrgSummary;
  /** Orgs for the switcher. Until sign-in exists (a later issue) this is every org. */
  orgs: OrgSummary[];
  /** Live projects of the org, for the navigation. */
  projects: { slug: string; name: string }[];
}

/** The org `/` sends a visitor to: the oldest one. Null when there is none yet. */
export async function firstOrgSlug(db: Db): Promise<string | null> {
  const org = await db.org.findFirst({
    orderBy: [{ createdAt: "asc" }, { slug: "asc" }],
    select: { slug: true },
  });
  return org?.slug ?? null;
}

/** What every page under /orgs/:orgSlug shows around its content. Null for an unknown org. */
export async function getOrgShell(db: Db, orgSlug: string): Promise<OrgShell | null> {
  const org = await db.org.findUnique({
    where: { slug: orgSlug },
    select: { id: true, slug: true, name: true },
  });
  if (!org) return null;
  const [orgs, projects] = await Promise.all([
    db.org.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true }, take: 100 }),
    db.project.findMany({
      where: { orgId: org.id, deletedAt: null },
      orderBy: { name: "asc" },
      select: { slug: true, name: true },
    }),
  ]);
  return { org: { slug: org.slug, name: org.name }, orgs, projects };
}
