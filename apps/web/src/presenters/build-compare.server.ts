/** Read models for comparing two builds and exporting one build's trace. */
import type { Db } from "../db.server";
import { type Comparison, compareBuilds } from "../insights/compare";
import { buildToOtlp, type OtlpTrace } from "../insights/otlp";
import { fetchBuildSteps, findProject, type Telemetry, telemetry } from "./build-lookup.server";
import type { BuildStatusName } from "./org-overview.server";

interface BuildBrief {
  id: string;
  number: number;
  status: BuildStatusName;
  durationMs: number | null;
  cacheHitRatio: number | null;
  gitBranch: string | null;
  gitCommit: string | null;
  createdAt: string;
}

export type CompareResult =
  | {
      kind: "ok";
      data: {
        org: { slug: string; name: string };
        project: { slug: string; name: string };
        a: BuildBrief;
        b: BuildBrief;
        comparison: Telemetry<Comparison>;
      };
    }
  | { kind: "org-not-found" }
  | { kind: "project-not-found"; org: { slug: string; name: string } }
  | { kind: "build-not-found"; number: number; project: { slug: string; name: string } };

const BRIEF = {
  id: true,
  number: true,
  status: true,
  durationMs: true,
  cacheHitRatio: true,
  gitBranch: true,
  gitCommit: true,
  createdAt: true,
} as const;

export async function getBuildComparison(
  db: Db,
  params: { orgSlug: string; projectSlug: string; a: number; b: number },
): Promise<CompareResult> {
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind !== "ok") return found;
  const where = (number: number) => ({
    orgId: found.org.id,
    projectId: found.project.id,
    number,
  });
  const [a, b] = await Promise.all([
    db.build.findFirst({ where: where(params.a), select: BRIEF }),
    db.build.findFirst({ where: where(params.b), select: BRIEF }),
  ]);
  const project = { slug: found.project.slug, name: found.project.name };
  if (!a) return { kind: "build-not-found", number: params.a, project };
  if (!b) return { kind: "build-not-found", number: params.b, project };
  const comparison = await telemetry(async () => {
    const [sa, sb] = await Promise.all([
      fetchBuildSteps(found, a.id),
      fetchBuildSteps(found, b.id),
    ]);
    return compareBuilds(sa, sb);
  });
  const brief = (x: typeof a): BuildBrief => ({ ...x, createdAt: x.createdAt.toISOString() });
  return {
    kind: "ok",
    data: {
      org: { slug: found.org.slug, name: found.org.name },
      project,
      a: brief(a),
      b: brief(b),
      comparison,
    },
  };
}

export type TraceResult =
  | { kind: "ok"; trace: OtlpTrace }
  | { kind: "not-found"; message: string }
  | { kind: "unavailable"; reason: string };

export async function getBuildTrace(
  db: Db,
  params: { orgSlug: string; projectSlug: string; number: number; now?: Date },
): Promise<TraceResult> {
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind === "org-not-found")
    return { kind: "not-found", message: "No such organization." };
  if (found.kind === "project-not-found") return { kind: "not-found", message: "No such project." };
  const build = await db.build.findFirst({
    where: { orgId: found.org.id, projectId: found.project.id, number: params.number },
    select: {
      id: true,
      number: true,
      status: true,
      platforms: true,
      queuedAt: true,
      startedAt: true,
      finishedAt: true,
      error: true,
    },
  });
  if (!build)
    return { kind: "not-found", message: `${found.project.name} has no build #${params.number}.` };
  const steps = await telemetry(() => fetchBuildSteps(found, build.id));
  if (!steps.ok) return { kind: "unavailable", reason: steps.reason };
  return {
    kind: "ok",
    trace: buildToOtlp(
      {
        id: build.id,
        number: build.number,
        org: found.org.slug,
        project: found.project.slug,
        status: build.status,
        platforms: build.platforms,
        queuedAt: build.queuedAt.toISOString(),
        startedAt: build.startedAt?.toISOString() ?? null,
        finishedAt: build.finishedAt?.toISOString() ?? null,
        error: build.error,
      },
      steps.data,
      (params.now ?? new Date()).getTime(),
    ),
  };
}
