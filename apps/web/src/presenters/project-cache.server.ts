// The cache page of a project: size over time (ingest), the live cache of its main builder per
// platform and its builders (this process's BuilderPool). Scoped by org id first.

import { z } from "zod";
import type { Db } from "../db.server";
import type { BuilderInfo, CacheEngines } from "../services/cache.server";
import { getProjectSettings } from "../services/projects.server";
import type { TelemetryQueryClient } from "../telemetry/query.server";
import { type Insight, insight } from "./telemetry-result.server";

export const CACHE_RECORDS_PAGE_SIZE = 25;
export const CACHE_TREND_DAYS = 30;

const cacheSizeRows = z.object({
  rows: z.array(
    z.object({
      bucket: z.string(),
      sizeBytes: z.coerce.number(),
      reclaimableBytes: z.coerce.number(),
    }),
  ),
});

export interface CacheRecordView {
  id: string;
  type: string;
  description: string | null;
  sizeBytes: number;
  lastUsedAt: string | null;
  usageCount: number;
  shared: boolean;
  inUse: boolean;
}

export type LiveCache =
  | {
      running: true;
      count: number;
      totalBytes: number;
      reclaimableBytes: number;
      sharedBytes: number;
      inUseBytes: number;
      records: CacheRecordView[];
      page: number;
      totalPages: number;
    }
  | { running: false; reason: string | null };

export interface ProjectCacheView {
  project: { slug: string; name: string; platforms: string[] };
  platform: string;
  limitBytes: number;
  retentionDays: number;
  live: LiveCache;
  builders:
    | { ok: true; engines: BuilderInfo[]; snapshots: { platform: string; takenAt: string }[] }
    | { ok: false; reason: string };
  trend: Insight<{ day: string; sizeBytes: number; reclaimableBytes: number }[]>;
}

export type ProjectCacheResult =
  | { kind: "ok"; view: ProjectCacheView }
  | { kind: "project-not-found" }
  | { kind: "platform-not-built"; platforms: string[] }
  | { kind: "page-out-of-range"; totalPages: number };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function getProjectCache(
  db: Db,
  deps: { engines: CacheEngines; telemetry: TelemetryQueryClient },
  q: { orgId: string; projectSlug: string; platform?: string | null; page: number; now?: Date },
): Promise<ProjectCacheResult> {
  const project = await getProjectSettings(db, q.orgId, q.projectSlug);
  if (!project) return { kind: "project-not-found" };
  const platforms = project.settings.platforms;
  const platform = q.platform || platforms[0] || "linux/amd64";
  if (!platforms.includes(platform as (typeof platforms)[number])) {
    return { kind: "platform-not-built", platforms };
  }
  const now = q.now ?? new Date();
  const since = new Date(now.getTime() - CACHE_TREND_DAYS * 86_400_000);

  const [usage, builders, trend] = await Promise.all([
    deps.engines.cacheUsage(project.id, platform).then(
      (u) => ({ ok: true as const, usage: u }),
      (error: unknown) => ({ ok: false as const, reason: message(error) }),
    ),
    deps.engines.builders(project.id).then(
      (b) => ({ ok: true as const, ...b }),
      (error: unknown) => ({ ok: false as const, reason: message(error) }),
    ),
    insight(async () => {
      const body = await deps.telemetry.get(
        "/v1/query/cache/size",
        { orgId: q.orgId, projectId: project.id, since, bucket: "day" },
        cacheSizeRows,
      );
      return body.rows.map((r) => ({
        day: r.bucket.slice(0, 10),
        sizeBytes: r.sizeBytes,
        reclaimableBytes: r.reclaimableBytes,
      }));
    }),
  ]);

  let live: LiveCache;
  if (!usage.ok) live = { running: false, reason: usage.reason };
  else if (!usage.usage) live = { running: false, reason: null };
  else {
    const sorted = [...usage.usage.records].sort((a, b) => b.sizeBytes - a.sizeBytes);
    const totalPages = Math.max(1, Math.ceil(sorted.length / CACHE_RECORDS_PAGE_SIZE));
    if (q.page > totalPages) return { kind: "page-out-of-range", totalPages };
    const start = (q.page - 1) * CACHE_RECORDS_PAGE_SIZE;
    live = {
      running: true,
      count: usage.usage.count,
      totalBytes: usage.usage.totalBytes,
      reclaimableBytes: usage.usage.reclaimableBytes,
      sharedBytes: usage.usage.sharedBytes,
      inUseBytes: usage.usage.inUseBytes,
      records: sorted.slice(start, start + CACHE_RECORDS_PAGE_SIZE).map((r) => ({
        id: r.id,
        type: r.type,
        description: r.description ?? null,
        sizeBytes: r.sizeBytes,
        lastUsedAt: r.lastUsedAt ?? null,
        usageCount: r.usageCount,
        shared: r.shared,
        inUse: r.inUse,
      })),
      page: q.page,
      totalPages,
    };
  }

  return {
    kind: "ok",
    view: {
      project: { slug: project.slug, name: project.name, platforms },
      platform,
      limitBytes: project.cacheSizeLimitBytes,
      retentionDays: project.settings.cacheRetentionDays,
      live,
      builders,
      trend,
    },
  };
}
