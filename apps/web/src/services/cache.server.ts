// A project's BuildKit cache as the dashboard sees it: the live engines of this process's
// BuilderPool (records, per-builder state) and "reset cache" (owner/admin, audited).

import type { CacheUsage, PruneResult } from "@slipway/builder-core";
import { AUDIT_ACTIONS, recordAudit } from "@slipway/db";
import { can } from "../auth/permissions";
import type { Db } from "../db.server";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";

export interface BuilderInfo {
  id: string;
  platform: string;
  kind: "main" | "clone";
  state: "starting" | "ready";
  runningBuilds: number;
  /** Where a clone's cache came from (the main's snapshot), or the main's own folder. */
  seededFrom: string;
}

/** What the cache pages need of the builders; the pool in production, a fake in tests. */
export interface CacheEngines {
  /** undefined: the project's main builder for that platform is not running. */
  cacheUsage(projectId: string, platform: string): Promise<CacheUsage | undefined>;
  resetCache(projectId: string, platform: string): Promise<PruneResult | undefined>;
  builders(projectId: string): Promise<{
    engines: BuilderInfo[];
    snapshots: { platform: string; takenAt: string }[];
  }>;
}

async function poolEngines(): Promise<CacheEngines> {
  // Imported lazily: loading the build service pulls in builder-core's engine code, which pages
  // that never show a cache do not need.
  const { getBuildService } = await import("../builds/instance.server");
  const service = getBuildService();
  return {
    cacheUsage: (projectId, platform) => service.cacheUsage(projectId, platform),
    resetCache: (projectId, platform) => service.resetCache(projectId, platform),
    async builders(projectId) {
      const status = (await service.pool()).status();
      return {
        engines: status.engines
          .filter((e) => e.projectId === projectId)
          .map((e) => ({
            id: e.id,
            platform: e.platform,
            kind: e.kind,
            state: e.state,
            runningBuilds: e.runningBuilds,
            seededFrom: e.seededFrom,
          })),
        snapshots: status.snapshots
          .filter((s) => s.projectId === projectId)
          .map((s) => ({ platform: s.platform, takenAt: s.takenAt })),
      };
    },
  };
}

let override: CacheEngines | undefined;

export async function getCacheEngines(): Promise<CacheEngines> {
  return override ?? poolEngines();
}

/** For tests: answer with these engines instead of the process's BuilderPool. */
export function setCacheEngines(next: CacheEngines | undefined): void {
  override = next;
}

export async function resetProjectCache(
  db: Db,
  actor: OrgActor,
  input: { projectSlug: string; platform: string },
  engines: CacheEngines,
): Promise<{ platform: string; deletedCount: number; reclaimedBytes: number }> {
  if (!can(actor.role, "cache.reset"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can reset a project's cache.");
  const project = await db.project.findFirst({
    where: { orgId: actor.org.id, slug: input.projectSlug, deletedAt: null },
    select: { id: true, name: true, settings: { select: { platforms: true } } },
  });
  if (!project) throw new ServiceError("NOT_FOUND", `There is no project “${input.projectSlug}”.`);
  const platforms = project.settings?.platforms ?? ["linux/amd64"];
  if (!platforms.includes(input.platform)) {
    throw new ServiceError(
      "BAD_REQUEST",
      `${project.name} builds for ${platforms.join(", ")}, not ${input.platform}.`,
      "platform",
    );
  }
  const result = await engines.resetCache(project.id, input.platform);
  if (!result) {
    throw new ServiceError(
      "CONFLICT",
      `No builder of ${project.name} is running for ${input.platform}, so there is no live cache to reset. ` +
        "Builders stop when idle (the cache stays on disk); run a build, then reset.",
    );
  }
  // The prune is not a database change; the audit event is written once it has happened, in its
  // own transaction (a failed prune records nothing).
  await db.$transaction(async (tx) => {
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.cacheReset,
      target: { type: "project", id: project.id, name: project.name },
      changes: {
        platform: input.platform,
        deletedRecords: result.deletedIds.length,
        reclaimedBytes: result.reclaimedBytes,
      },
      ...actor.info,
    });
  });
  return {
    platform: input.platform,
    deletedCount: result.deletedIds.length,
    reclaimedBytes: result.reclaimedBytes,
  };
}
