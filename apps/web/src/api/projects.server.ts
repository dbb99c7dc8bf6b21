import type { BuilderSize, Db, LintPolicy } from "@slipway/db";
import type { ApiPrincipal } from "./auth.server";
import { ApiError } from "./http";

export interface ApiProject {
  id: string;
  slug: string;
  name: string;
  org: { id: string; slug: string };
  platforms: string[];
  lintPolicy: LintPolicy;
  autoscalingEnabled: boolean;
  buildsPerBuilder: number;
  maxBuilders: number;
  builderSize: BuilderSize;
  cacheSizeLimitBytes: number;
  /** Cache records unused for longer than this many days are pruned from its builders. */
  cacheRetentionDays: number;
  lastBuildNumber: number;
  createdAt: string;
}

const projectSelect = {
  id: true,
  slug: true,
  name: true,
  orgId: true,
  lastBuildNumber: true,
  createdAt: true,
  org: { select: { slug: true } },
  settings: true,
} as const;

type ProjectRow = {
  id: string;
  slug: string;
  name: string;
  orgId: string;
  lastBuildNumber: number;
  createdAt: Date;
  org: { slug: string };
  settings: {
    platforms: string[];
    lintPolicy: LintPolicy;
    autoscalingEnabled: boolean;
    buildsPerBuilder: number;
    maxBuilders: number;
    builderSize: BuilderSize;
    cacheSizeLimitBytes: bigint;
    cacheRetentionDays: number;
  } | null;
};

function toApiProject(row: ProjectRow): ApiProject {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    org: { id: row.orgId, slug: row.org.slug },
    // a project without a settings row builds with the schema's defaults
    platforms: row.settings?.platforms ?? ["linux/amd64"],
    lintPolicy: row.settings?.lintPolicy ?? "REPORT",
    autoscalingEnabled: row.settings?.autoscalingEnabled ?? false,
    buildsPerBuilder: row.settings?.buildsPerBuilder ?? 1,
    maxBuilders: row.settings?.maxBuilders ?? 1,
    builderSize: row.settings?.builderSize ?? "SMALL",
    cacheSizeLimitBytes: Number(row.settings?.cacheSizeLimitBytes ?? 53_687_091_200n),
    cacheRetentionDays: row.settings?.cacheRetentionDays ?? 14,
    lastBuildNumber: row.lastBuildNumber,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The projects the token may see: its org's live projects, or only its own project. */
export async function listProjects(db: Db, principal: ApiPrincipal): Promise<ApiProject[]> {
  const rows = await db.project.findMany({
    where: {
      orgId: principal.orgId,
      deletedAt: null,
      ...(principal.projectId && { id: principal.projectId }),
    },
    orderBy: { slug: "asc" },
    select: projectSelect,
  });
  return rows.map(toApiProject);
}

/**
 * A project by id or slug (slugs are looked up in the token's org). A project the token may not
 * see answers 404, exactly like a missing one, so ids of other orgs' projects are not confirmed.
 */
export async function resolveProject(
  db: Db,
  principal: ApiPrincipal,
  ref: string | undefined,
): Promise<ApiProject> {
  if (!ref) {
    if (principal.projectId) return resolveProject(db, principal, principal.projectId);
    throw new ApiError(
      400,
      "project-required",
      "name the project (its slug or id): this token may act on every project of its org",
    );
  }
  const row = await db.project.findFirst({
    where: {
      orgId: principal.orgId,
      deletedAt: null,
      OR: [{ id: ref }, { slug: ref }],
      ...(principal.projectId && { id: principal.projectId }),
    },
    select: projectSelect,
  });
  if (!row) {
    throw new ApiError(
      404,
      "project-not-found",
      `project "${ref}" not found${principal.projectId ? " (this token is limited to one project)" : ` in org ${principal.orgSlug}`}`,
    );
  }
  return toApiProject(row);
}
