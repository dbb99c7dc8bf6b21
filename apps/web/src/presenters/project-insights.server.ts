/** Read models of a project's insights page and of one step's history. */
import { z } from "zod";
import type { Db } from "../db.server";
import { getTelemetryQueryClient } from "../telemetry/query.server";
import {
  fetchSlowestSteps,
  findProject,
  type ProjectRef,
  type Telemetry,
  telemetry,
} from "./build-lookup.server";

const DAY = 24 * 3600 * 1000;
export const INSIGHTS_DAYS = 30;
const num = z.coerce.number();
const numOrNull = z.union([z.null(), z.coerce.number()]);

const durationRow = z.object({
  bucket: z.string(),
  builds: num,
  failed: num,
  p50DurationMs: numOrNull,
  p95DurationMs: numOrNull,
});
const hitRow = z.object({ bucket: z.string(), steps: num, cachedSteps: num, hitRatio: num });
const lintRow = z.object({
  code: z.string(),
  level: z.string(),
  findings: num,
  dockerfiles: num,
  totalDockerfiles: num,
  share: num,
});
const historyRow = z.object({
  buildId: z.string(),
  startedAt: z.string(),
  durationMs: numOrNull,
  cached: z.union([z.boolean(), z.coerce.number().transform((n) => n !== 0)]),
  vertices: num,
  failed: z.union([z.boolean(), z.coerce.number().transform((n) => n !== 0)]),
});

export interface SlowStepTrend {
  step: string;
  stage: string | null;
  runs: number;
  cachedRuns: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** p50 in the 30 days before: the trend's baseline. */
  previousP50Ms: number | null;
}

export interface ProjectInsights {
  org: { slug: string; name: string };
  project: { slug: string; name: string };
  days: number;
  insights: Telemetry<{
    durations: z.output<typeof durationRow>[];
    hitRatio: z.output<typeof hitRow>[];
    slowest: SlowStepTrend[];
    lint: z.output<typeof lintRow>[];
  }>;
}

export type ProjectScoped<T> =
  | { kind: "ok"; data: T }
  | { kind: "org-not-found" }
  | { kind: "project-not-found"; org: { slug: string; name: string } };

export async function getProjectInsights(
  db: Db,
  params: { orgSlug: string; projectSlug: string; now?: Date },
): Promise<ProjectScoped<ProjectInsights>> {
  const now = params.now ?? new Date();
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind !== "ok") return found;
  const since = new Date(now.getTime() - INSIGHTS_DAYS * DAY);
  const before = new Date(since.getTime() - INSIGHTS_DAYS * DAY);
  const scope = { orgId: found.org.id, projectId: found.project.id };
  const client = getTelemetryQueryClient();
  const insights = await telemetry(async () => {
    const [durations, hitRatio, slowest, previous, lint] = await Promise.all([
      client.get(
        "/v1/query/builds/durations",
        { ...scope, since, bucket: "day" },
        z.object({ rows: z.array(durationRow) }),
      ),
      client.get(
        "/v1/query/cache/hit-ratio",
        { ...scope, since, bucket: "day" },
        z.object({ rows: z.array(hitRow) }),
      ),
      fetchSlowestSteps(found, { since, limit: 15 }),
      fetchSlowestSteps(found, { since: before, until: since, limit: 1000 }),
      client.get(
        "/v1/query/lint/rules",
        { ...scope, since, limit: 10 },
        z.object({ rows: z.array(lintRow) }),
      ),
    ]);
    const prev = new Map(previous.map((r) => [r.step, r.p50DurationMs]));
    return {
      durations: durations.rows,
      hitRatio: hitRatio.rows,
      slowest: slowest.map((r) => ({
        step: r.step,
        stage: r.stage,
        runs: r.runs,
        cachedRuns: r.cachedRuns,
        p50DurationMs: r.p50DurationMs,
        p95DurationMs: r.p95DurationMs,
        previousP50Ms: prev.get(r.step) ?? null,
      })),
      lint: lint.rows,
    };
  });
  return {
    kind: "ok",
    data: {
      org: { slug: found.org.slug, name: found.org.name },
      project: { slug: found.project.slug, name: found.project.name },
      days: INSIGHTS_DAYS,
      insights,
    },
  };
}

export interface StepHistoryPoint {
  number: number;
  startedAt: string;
  durationMs: number | null;
  cached: boolean;
  failed: boolean;
}

export interface StepHistory {
  org: { slug: string; name: string };
  project: { slug: string; name: string };
  step: string;
  history: Telemetry<StepHistoryPoint[]>;
}

/** A step name from a URL: what the normaliser can produce (non-empty, bounded). */
export function parseStepName(value: string | null): string | null {
  if (value === null) return null;
  const name = value.trim().replace(/\s+/g, " ");
  return name.length >= 1 && name.length <= 4096 ? name : null;
}

/** The last 50 builds (oldest first, for the chart) that ran a step, with their build numbers. */
export async function getStepHistory(
  db: Db,
  params: { orgSlug: string; projectSlug: string; step: string; now?: Date },
): Promise<ProjectScoped<StepHistory>> {
  const now = params.now ?? new Date();
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind !== "ok") return found;
  const history = await telemetry(() => loadHistory(db, found, params.step, now));
  return {
    kind: "ok",
    data: {
      org: { slug: found.org.slug, name: found.org.name },
      project: { slug: found.project.slug, name: found.project.name },
      step: params.step,
      history,
    },
  };
}

async function loadHistory(db: Db, ref: ProjectRef, step: string, now: Date) {
  const { rows } = await getTelemetryQueryClient().get(
    "/v1/query/steps/history",
    {
      orgId: ref.org.id,
      projectId: ref.project.id,
      step,
      since: new Date(now.getTime() - 90 * DAY),
      limit: 50,
    },
    z.object({ rows: z.array(historyRow) }),
  );
  // Telemetry knows build ids; the page shows numbers. Scoped to the project: a build id of
  // another project (or org) simply has no number and is left out.
  const builds = await db.build.findMany({
    where: { orgId: ref.org.id, projectId: ref.project.id, id: { in: rows.map((r) => r.buildId) } },
    select: { id: true, number: true },
  });
  const numbers = new Map(builds.map((b) => [b.id, b.number]));
  return rows
    .flatMap((r) => {
      const number = numbers.get(r.buildId);
      return number === undefined
        ? []
        : [
            {
              number,
              startedAt: r.startedAt,
              durationMs: r.durationMs,
              cached: r.cached,
              failed: r.failed,
            },
          ];
    })
    .sort((x, y) => x.number - y.number);
}
