/**
 * Resolving a build from a URL (org slug, project slug, build number) and fetching its telemetry
 * from ingest. The org is resolved first and every query carries its id, so a build of another
 * org is never found; telemetry calls name that org too.
 */
import { z } from "zod";
import type { Db } from "../db.server";
import {
  type BuildStep,
  buildStepSchema,
  type LintFindingRow,
  lintFindingSchema,
} from "../insights/steps";
import { getTelemetryQueryClient, TelemetryUnavailableError } from "../telemetry/query.server";

/** `:number` in a URL: a whole number 1..2^31-1 (the column is an int4). */
export function parseBuildNumber(value: string | null | undefined): number | null {
  if (value == null || !/^\d{1,10}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}

export interface ProjectRef {
  org: { id: string; slug: string; name: string };
  project: { id: string; slug: string; name: string };
}

export type ProjectLookup =
  | ({ kind: "ok" } & ProjectRef)
  | { kind: "org-not-found" }
  | { kind: "project-not-found"; org: { slug: string; name: string } };

export async function findProject(
  db: Db,
  orgSlug: string,
  projectSlug: string,
): Promise<ProjectLookup> {
  const org = await db.org.findUnique({
    where: { slug: orgSlug },
    select: { id: true, slug: true, name: true },
  });
  if (!org) return { kind: "org-not-found" };
  const project = await db.project.findFirst({
    where: { orgId: org.id, slug: projectSlug, deletedAt: null },
    select: { id: true, slug: true, name: true },
  });
  if (!project) return { kind: "project-not-found", org: { slug: org.slug, name: org.name } };
  return { kind: "ok", org, project };
}

/** A telemetry answer, or why there is none (ingest down, or it refused). */
export type Telemetry<T> = { ok: true; data: T } | { ok: false; reason: string };

export async function telemetry<T>(load: () => Promise<T>): Promise<Telemetry<T>> {
  try {
    return { ok: true, data: await load() };
  } catch (err) {
    if (err instanceof TelemetryUnavailableError) return { ok: false, reason: err.message };
    throw err;
  }
}

export function fetchBuildSteps(ref: ProjectRef, buildId: string): Promise<BuildStep[]> {
  return getTelemetryQueryClient()
    .get(
      `/v1/query/builds/${encodeURIComponent(buildId)}/steps`,
      { orgId: ref.org.id, projectId: ref.project.id },
      z.object({ steps: z.array(buildStepSchema) }),
    )
    .then((r) => r.steps);
}

export const stepLogsSchema = z.object({
  logs: z.array(
    z.object({
      at: z.string().nullable(),
      stream: z.enum(["stdout", "stderr", "other"]),
      text: z.string(),
    }),
  ),
  logsTruncated: z.boolean(),
});
export type StepLogs = z.output<typeof stepLogsSchema>;

/** What one step of a build printed (kept with its telemetry; the head when it printed a lot). */
export function fetchStepLogs(ref: ProjectRef, buildId: string, digest: string): Promise<StepLogs> {
  return getTelemetryQueryClient().get(
    `/v1/query/builds/${encodeURIComponent(buildId)}/steps/${encodeURIComponent(digest)}/logs`,
    { orgId: ref.org.id, projectId: ref.project.id },
    stepLogsSchema,
  );
}

export function fetchBuildLint(ref: ProjectRef, buildId: string): Promise<LintFindingRow[]> {
  return getTelemetryQueryClient()
    .get(
      `/v1/query/builds/${encodeURIComponent(buildId)}/lint`,
      { orgId: ref.org.id, projectId: ref.project.id },
      z.object({ findings: z.array(lintFindingSchema) }),
    )
    .then((r) => r.findings);
}

const numOrNull = z.union([z.null(), z.coerce.number()]);
export const slowStepSchema = z.object({
  step: z.string(),
  stage: z.string().nullable(),
  runs: z.coerce.number(),
  cachedRuns: z.coerce.number(),
  p50DurationMs: numOrNull,
  p95DurationMs: numOrNull,
  totalDurationMs: z.coerce.number(),
});
export type SlowStep = z.output<typeof slowStepSchema>;

/** Per normalised step name, the project's slowest steps (p50/p95 of executed runs) over a period. */
export function fetchSlowestSteps(
  ref: ProjectRef,
  period: { since: Date; until?: Date; limit?: number },
): Promise<SlowStep[]> {
  return getTelemetryQueryClient()
    .get(
      "/v1/query/steps/slowest",
      { orgId: ref.org.id, projectId: ref.project.id, ...period },
      z.object({ rows: z.array(slowStepSchema) }),
    )
    .then((r) => r.rows);
}

/** p50 by normalised step name over the last 30 days (the step detail's baseline). */
export async function fetchStepBaselines(ref: ProjectRef, now: Date): Promise<Map<string, number>> {
  const rows = await fetchSlowestSteps(ref, {
    since: new Date(now.getTime() - 30 * 24 * 3600 * 1000),
    limit: 1000,
  });
  const out = new Map<string, number>();
  for (const r of rows) if (r.p50DurationMs !== null) out.set(r.step, r.p50DurationMs);
  return out;
}
