import type { Db } from "../db.server";

/** Fixed clock for read-model tests: 2025-03-31 12:00 UTC. */
export const NOW = new Date("2025-03-31T12:00:00.000Z");

const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

type Status = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELED";

interface BuildSpec {
  status: Status;
  hoursAgo: number;
  durationMs?: number;
  cacheHitRatio?: number;
}

async function createProject(
  db: Db,
  orgId: string,
  slug: string,
  settings: { platforms: string[]; autoscalingEnabled: boolean; maxBuilders?: number },
  builds: BuildSpec[],
  deleted = false,
) {
  const project = await db.project.create({
    data: {
      orgId,
      slug,
      name: slug,
      lastBuildNumber: builds.length,
      deletedAt: deleted ? hoursAgo(1) : null,
      settings: {
        create: {
          platforms: settings.platforms,
          autoscalingEnabled: settings.autoscalingEnabled,
          maxBuilders: settings.maxBuilders ?? 1,
        },
      },
    },
  });
  // Numbered oldest first, like real builds.
  const ordered = [...builds].sort((a, b) => b.hoursAgo - a.hoursAgo);
  await db.build.createMany({
    data: ordered.map((spec, i) => {
      const createdAt = hoursAgo(spec.hoursAgo);
      const finished = ["SUCCEEDED", "FAILED", "CANCELED"].includes(spec.status);
      return {
        orgId,
        projectId: project.id,
        number: i + 1,
        status: spec.status,
        platforms: settings.platforms,
        tags: [`registry.example/${slug}:${i + 1}`],
        triggeredBy: "Ada Lovelace",
        gitBranch: i % 2 === 0 ? "main" : "feature/cache",
        gitCommit: "0123456789abcdef0123456789abcdef01234567",
        createdAt,
        queuedAt: createdAt,
        startedAt: spec.status === "QUEUED" ? null : createdAt,
        finishedAt:
          finished && spec.durationMs !== undefined
            ? new Date(createdAt.getTime() + spec.durationMs)
            : null,
        durationMs: finished ? (spec.durationMs ?? null) : null,
        stepCount: 10,
        cachedStepCount: Math.round((spec.cacheHitRatio ?? 0) * 10),
        cacheHitRatio: spec.cacheHitRatio ?? null,
      };
    }),
  });
  return project;
}

/**
 * Two orgs with overlapping project slugs, so tenant scoping is visible:
 * - acme: `api` (5 builds in the window, 1 older), `web` (no builds), `legacy` (deleted, 1 build)
 * - globex: `api` (3 builds), which must never show up under acme
 */
export async function seedReadModelFixture(db: Db) {
  const acme = await db.org.create({ data: { slug: "acme", name: "Acme Robotics" } });
  const globex = await db.org.create({ data: { slug: "globex", name: "Globex" } });

  await createProject(
    db,
    acme.id,
    "api",
    { platforms: ["linux/amd64", "linux/arm64"], autoscalingEnabled: true, maxBuilders: 4 },
    [
      { status: "SUCCEEDED", hoursAgo: 2, durationMs: 60_000, cacheHitRatio: 0.9 },
      { status: "SUCCEEDED", hoursAgo: 30, durationMs: 120_000, cacheHitRatio: 0.5 },
      { status: "SUCCEEDED", hoursAgo: 50, durationMs: 180_000, cacheHitRatio: 0.7 },
      { status: "FAILED", hoursAgo: 51, durationMs: 5_000, cacheHitRatio: 0.1 },
      { status: "RUNNING", hoursAgo: 1 },
      // Outside the 30-day window: counted nowhere but still numbered.
      { status: "SUCCEEDED", hoursAgo: 24 * 40, durationMs: 999_000 },
    ],
  );
  await createProject(
    db,
    acme.id,
    "web",
    { platforms: ["linux/amd64"], autoscalingEnabled: false },
    [],
  );
  await createProject(
    db,
    acme.id,
    "legacy",
    { platforms: ["linux/amd64"], autoscalingEnabled: false },
    [{ status: "FAILED", hoursAgo: 3, durationMs: 1_000 }],
    true,
  );
  await createProject(
    db,
    globex.id,
    "api",
    { platforms: ["linux/amd64"], autoscalingEnabled: false },
    [
      { status: "FAILED", hoursAgo: 4, durationMs: 10_000 },
      { status: "FAILED", hoursAgo: 5, durationMs: 10_000 },
      { status: "CANCELED", hoursAgo: 6, durationMs: 10_000 },
    ],
  );
  return { acme, globex };
}

/** `count` successful builds one hour apart, for pagination tests. */
export async function seedManyBuilds(db: Db, orgSlug: string, projectSlug: string, count: number) {
  const org = await db.org.create({ data: { slug: orgSlug, name: orgSlug } });
  return createProject(
    db,
    org.id,
    projectSlug,
    { platforms: ["linux/amd64"], autoscalingEnabled: false },
    Array.from({ length: count }, (_, i) => ({
      status: "SUCCEEDED" as const,
      hoursAgo: i + 1,
      durationMs: 30_000,
      cacheHitRatio: 1,
    })),
  );
}
