import type { BuildStatus } from "@slipway/db/enums";
import type { Db } from "../db.server";

export type BuildStatusName = BuildStatus;

export const OVERVIEW_DAYS = 30;

export interface BuildStats {
  builds: number;
  succeeded: number;
  failed: number;
  /** SUCCEEDED / (SUCCEEDED + FAILED); canceled and unfinished builds do not count. Null without any. */
  successRate: number | null;
  /** Median duration of the successful builds. */
  p50DurationMs: number | null;
  /** Mean cache hit ratio (0..1) of the builds that reported steps. */
  cacheHitRatio: number | null;
}

export interface ProjectCard extends BuildStats {
  slug: string;
  name: string;
  platforms: string[];
  builderSize: string | null;
  autoscalingEnabled: boolean;
  maxBuilders: number | null;
  lastBuild: { number: number; status: BuildStatusName; createdAt: string } | null;
}

export type DailyBuilds = { date: string } & Record<BuildStatusName, number>;

export interface OrgOverview {
  org: { slug: string; name: string };
  /** The window: `days` whole UTC days ending with today. ISO instants. */
  window: { days: number; from: string; to: string };
  totals: BuildStats;
  projects: ProjectCard[];
  /** One entry per UTC day of the window, oldest first, zeros included. */
  daily: DailyBuilds[];
}

interface StatsRow {
  projectId: string | null;
  builds: number;
  succeeded: number;
  failed: number;
  p50DurationMs: number | null;
  cacheHitRatio: number | null;
}

interface DailyRow {
  day: string;
  status: BuildStatusName;
  count: number;
}

const DAY_MS = 86_400_000;

export function windowStart(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

function toStats(row: StatsRow | undefined): BuildStats {
  const builds = row?.builds ?? 0;
  const succeeded = row?.succeeded ?? 0;
  const failed = row?.failed ?? 0;
  const finished = succeeded + failed;
  return {
    builds,
    succeeded,
    failed,
    successRate: finished > 0 ? succeeded / finished : null,
    p50DurationMs: row?.p50DurationMs == null ? null : Math.round(Number(row.p50DurationMs)),
    cacheHitRatio: row?.cacheHitRatio == null ? null : Number(row.cacheHitRatio),
  };
}

/**
 * The org overview: one card per live project with its last-30-days numbers, org totals, and
 * builds per day by status. Every query is scoped by the org's id first. Null for an unknown org.
 */
export async function getOrgOverview(
  db: Db,
  orgSlug: string,
  options: { now?: Date; days?: number } = {},
): Promise<OrgOverview | null> {
  const now = options.now ?? new Date();
  const days = options.days ?? OVERVIEW_DAYS;
  const org = await db.org.findUnique({
    where: { slug: orgSlug },
    select: { id: true, slug: true, name: true },
  });
  if (!org) return null;

  const from = windowStart(now, days);
  // Columns are `timestamp without time zone` holding UTC, so compare in UTC explicitly.
  const fromUtc = from.toISOString();

  const [projects, stats, daily] = await Promise.all([
    db.project.findMany({
      where: { orgId: org.id, deletedAt: null },
      orderBy: { name: "asc" },
      select: {
        id: true,
        slug: true,
        name: true,
        settings: {
          select: {
            platforms: true,
            builderSize: true,
            autoscalingEnabled: true,
            maxBuilders: true,
          },
        },
      },
    }),
    db.$queryRaw<StatsRow[]>`
      SELECT b.project_id AS "projectId",
             count(*)::int AS builds,
             (count(*) FILTER (WHERE b.status = 'SUCCEEDED'))::int AS succeeded,
             (count(*) FILTER (WHERE b.status = 'FAILED'))::int AS failed,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY b.duration_ms)
                FILTER (WHERE b.status = 'SUCCEEDED'))::float8 AS "p50DurationMs",
             avg(b.cache_hit_ratio)::float8 AS "cacheHitRatio"
        FROM builds b
        JOIN projects p ON p.id = b.project_id AND p.org_id = b.org_id AND p.deleted_at IS NULL
       WHERE b.org_id = ${org.id}
         AND b.created_at >= (${fromUtc}::timestamptz AT TIME ZONE 'UTC')
       GROUP BY GROUPING SETS ((b.project_id), ())`,
    db.$queryRaw<DailyRow[]>`
      SELECT to_char(date_trunc('day', b.created_at), 'YYYY-MM-DD') AS day,
             b.status::text AS status,
             count(*)::int AS count
        FROM builds b
        JOIN projects p ON p.id = b.project_id AND p.org_id = b.org_id AND p.deleted_at IS NULL
       WHERE b.org_id = ${org.id}
         AND b.created_at >= (${fromUtc}::timestamptz AT TIME ZONE 'UTC')
       GROUP BY 1, 2`,
  ]);

  const lastBuilds = await Promise.all(
    projects.map((project) =>
      db.build.findFirst({
        where: { orgId: org.id, projectId: project.id },
        orderBy: { number: "desc" },
        select: { number: true, status: true, createdAt: true },
      }),
    ),
  );

  const statsByProject = new Map(stats.map((row) => [row.projectId, row]));

  const cards: ProjectCard[] = projects.map((project, i) => {
    const last = lastBuilds[i];
    return {
      slug: project.slug,
      name: project.name,
      platforms: project.settings?.platforms ?? [],
      builderSize: project.settings?.builderSize ?? null,
      autoscalingEnabled: project.settings?.autoscalingEnabled ?? false,
      maxBuilders: project.settings?.maxBuilders ?? null,
      ...toStats(statsByProject.get(project.id)),
      lastBuild: last
        ? { number: last.number, status: last.status, createdAt: last.createdAt.toISOString() }
        : null,
    };
  });

  return {
    org: { slug: org.slug, name: org.name },
    window: { days, from: from.toISOString(), to: now.toISOString() },
    totals: toStats(statsByProject.get(null)),
    projects: cards,
    daily: fillDays(daily, from, days),
  };
}

function fillDays(rows: DailyRow[], from: Date, days: number): DailyBuilds[] {
  const byDay = new Map<string, DailyBuilds>();
  for (let i = 0; i < days; i++) {
    const date = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    byDay.set(date, { date, QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELED: 0 });
  }
  for (const row of rows) {
    const day = byDay.get(row.day);
    if (day && row.status in day) day[row.status] += row.count;
  }
  return [...byDay.values()];
}
