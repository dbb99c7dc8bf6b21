/** The build page's read model: the build row, its trace laid out, why it was slow, lint. */
import { rules as lintRules } from "@slipway/lint";
import { z } from "zod";
import type { Db } from "../db.server";
import { criticalPath } from "../insights/critical-path";
import { type LogView, logLines, logView } from "../insights/log-lines.server";
import {
  type BuildStep,
  laneOf,
  normalizeStepName,
  stepDurationMs,
  stepIdOf,
} from "../insights/steps";
import { layoutWaterfall, type Waterfall } from "../insights/waterfall";
import { type WhySlow, whySlow } from "../insights/why-slow";
import {
  fetchBuildLint,
  fetchBuildSteps,
  fetchStepBaselines,
  fetchStepLogs,
  findProject,
  type ProjectRef,
  type Telemetry,
  telemetry,
} from "./build-lookup.server";
import type { BuildStatusName } from "./org-overview.server";

const contextEntry = z.object({
  path: z.string(),
  kind: z.enum(["file", "dir"]),
  bytes: z.coerce.number(),
});
const resourceSample = z.object({
  t: z.coerce.number(),
  platform: z.string().nullable().optional(),
  cpuPercent: z.coerce.number(),
  memoryBytes: z.coerce.number(),
});
export type ContextEntry = z.output<typeof contextEntry>;
export type ResourceSample = z.output<typeof resourceSample>;

export interface BuildHeader {
  id: string;
  number: number;
  status: BuildStatusName;
  platforms: string[];
  tags: string[];
  emulated: boolean;
  triggeredBy: string;
  gitBranch: string | null;
  gitCommit: string | null;
  target: string | null;
  dockerfilePath: string;
  createdAt: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** startedAt - queuedAt, or the wait so far for a queued build. */
  queueMs: number | null;
  stepCount: number;
  cachedStepCount: number;
  cacheHitRatio: number | null;
  imageDigest: string | null;
  imageSizeBytes: number | null;
  error: string | null;
  context: { bytes: number | null; fileCount: number | null; largest: ContextEntry[] };
  resources: {
    samples: ResourceSample[];
    memoryLimitBytes: number | null;
    peakMemoryBytes: number | null;
    oomKilled: boolean;
  };
}

/**
 * One step as its detail panel shows it. Loaded on demand (the `builds.step` procedure, or the
 * page's `?step=<digest>` without JavaScript): the page itself sends each step's
 * bar (`WaterfallStep`) only: a 2,000-step build's details were most of its document (bench/web).
 */
export interface StepDetail extends StepFacts {
  /**
   * What the step printed, as the panel draws it, fetched for this one step only (or why it
   * could not be); `truncated` when it printed more than was kept (the head is).
   */
  logs: Telemetry<LogView & { truncated: boolean }>;
}

/** A step's detail from the build's step list (everything but its logs). */
export interface StepFacts {
  /** `stepIdOf` its digest: what `?step=` and the waterfall's bars name it by. */
  id: string;
  digest: string;
  name: string;
  label: string;
  lane: string;
  stage: string | null;
  platform: string | null;
  dockerfileLine: number | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  /** That step's p50 in the project over 30 days (executed runs), when known. */
  p50Ms: number | null;
  /** Why the p50 is missing, when the baselines could not be read. */
  baselineError: string | null;
  cached: boolean;
  critical: boolean;
  error: string | null;
  /** The steps it depends on (those of this build), by label. */
  inputs: { digest: string; label: string }[];
}

export interface LintFinding {
  code: string;
  level: string;
  line: number;
  message: string;
  file: string;
  /**
   * The instruction on the finding's line, for builds from before the Dockerfile's text was
   * kept: as the build ran it (from its steps), when a step came from that line.
   */
  source: string | null;
  rule: { message: string; explanation: string; url: string | null; fix: string | null } | null;
}

export interface BuildTrace {
  /** Every step, as its bar: what the waterfall and the step list need, nothing more. */
  waterfall: Waterfall;
  stepCount: number;
  criticalMs: number;
  whySlow: WhySlow;
  /** Why the step p50s are missing, when they are. */
  baselineError: string | null;
}

export interface BuildPage extends Omit<ProjectRef, "org" | "project"> {
  org: { slug: string; name: string };
  project: { slug: string; name: string };
  build: BuildHeader;
  neighbours: { previous: number | null; next: number | null };
  trace: Telemetry<BuildTrace>;
  /** The detail of the step the URL names (`?step=<digest>`), when it names one of this build. */
  selectedStep: StepDetail | null;
  lint: Telemetry<{ findings: LintFinding[] }>;
  /** The Dockerfile as it was built (the lint tab marks the findings on it); null for builds
   * from before its text was kept. */
  dockerfile: { path: string; text: string } | null;
  /**
   * The build ended moments ago and its steps have not reached ingest yet (they go through its
   * queue): the page keeps refreshing until they have, rather than saying none were sent.
   */
  telemetryPending: boolean;
}

export type BuildPageResult =
  | { kind: "ok"; data: BuildPage }
  | { kind: "org-not-found" }
  | { kind: "project-not-found"; org: { slug: string; name: string } }
  | {
      kind: "build-not-found";
      org: { slug: string; name: string };
      project: { slug: string; name: string };
    };

const RULES = new Map(lintRules.map((r) => [r.code, r]));

/** How long after a build ends its step telemetry is still expected to arrive. */
const TELEMETRY_GRACE_MS = 60_000;

const toNum = (v: bigint | number | null) => (v === null ? null : Number(v));

/** The Build row as the page shows it. */
export function buildHeaderOf(
  row: {
    id: string;
    number: number;
    status: BuildStatusName;
    platforms: string[];
    tags: string[];
    emulated: boolean;
    triggeredBy: string;
    gitBranch: string | null;
    gitCommit: string | null;
    target: string | null;
    dockerfilePath: string;
    createdAt: Date;
    queuedAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    durationMs: number | null;
    stepCount: number;
    cachedStepCount: number;
    cacheHitRatio: number | null;
    imageDigest: string | null;
    imageSizeBytes: bigint | null;
    error: string | null;
    contextBytes: bigint | null;
    contextFileCount: number | null;
    contextLargest: unknown;
    resourceSamples: unknown;
    memoryLimitBytes: bigint | null;
    peakMemoryBytes: bigint | null;
    oomKilled: boolean;
  },
  now: Date,
): BuildHeader {
  // Json columns are written by builders of any version: anything malformed shows as "none".
  const largest = z.array(contextEntry).safeParse(row.contextLargest ?? []);
  const samples = z.array(resourceSample).safeParse(row.resourceSamples ?? []);
  const queueEnd = row.startedAt ?? (row.status === "QUEUED" ? now : row.finishedAt);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    platforms: row.platforms,
    tags: row.tags,
    emulated: row.emulated,
    triggeredBy: row.triggeredBy,
    gitBranch: row.gitBranch,
    gitCommit: row.gitCommit,
    target: row.target,
    dockerfilePath: row.dockerfilePath,
    createdAt: row.createdAt.toISOString(),
    queuedAt: row.queuedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs:
      row.durationMs ??
      (row.startedAt && row.status === "RUNNING" ? now.getTime() - row.startedAt.getTime() : null),
    queueMs: queueEnd ? Math.max(0, queueEnd.getTime() - row.queuedAt.getTime()) : null,
    stepCount: row.stepCount,
    cachedStepCount: row.cachedStepCount,
    cacheHitRatio: row.cacheHitRatio,
    imageDigest: row.imageDigest,
    imageSizeBytes: toNum(row.imageSizeBytes),
    error: row.error,
    context: {
      bytes: toNum(row.contextBytes),
      fileCount: row.contextFileCount,
      largest: largest.success ? largest.data : [],
    },
    resources: {
      samples: samples.success ? samples.data : [],
      memoryLimitBytes: toNum(row.memoryLimitBytes),
      peakMemoryBytes: toNum(row.peakMemoryBytes),
      oomKilled: row.oomKilled,
    },
  };
}

export const BUILD_SELECT = {
  id: true,
  number: true,
  status: true,
  platforms: true,
  tags: true,
  emulated: true,
  triggeredBy: true,
  gitBranch: true,
  gitCommit: true,
  target: true,
  dockerfilePath: true,
  createdAt: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  stepCount: true,
  cachedStepCount: true,
  cacheHitRatio: true,
  imageDigest: true,
  imageSizeBytes: true,
  error: true,
  contextBytes: true,
  contextFileCount: true,
  contextLargest: true,
  resourceSamples: true,
  memoryLimitBytes: true,
  peakMemoryBytes: true,
  oomKilled: true,
} as const;

/** Steps, critical path, waterfall and "why slow" of one build's telemetry. */
export function traceOf(
  steps: BuildStep[],
  baselines: Map<string, number>,
  baselineError: string | null,
  now: Date,
): BuildTrace {
  const path = criticalPath(steps);
  const critical = new Set(path);
  const criticalMs = steps
    .filter((s) => critical.has(s.digest))
    .reduce((sum, s) => sum + (stepDurationMs(s) ?? 0), 0);
  return {
    waterfall: layoutWaterfall(steps, critical, now.getTime()),
    stepCount: steps.length,
    criticalMs,
    baselineError,
    whySlow: whySlow(steps, baselines),
  };
}

/**
 * The detail of step `id` (`stepIdOf` its digest, or the digest) of a build's `steps` (the
 * first, should two share it).
 */
export function stepDetailOf(
  steps: BuildStep[],
  id: string,
  baselines: Map<string, number>,
  baselineError: string | null,
): StepFacts | null {
  const step = steps.find((s) => s.digest === id || stepIdOf(s.digest) === id);
  if (!step) return null;
  const labelOf = (s: BuildStep) => normalizeStepName(s.name) || s.name;
  const byDigest = new Map<string, BuildStep>();
  for (const s of steps) if (!byDigest.has(s.digest)) byDigest.set(s.digest, s);
  const label = labelOf(step);
  return {
    id: stepIdOf(step.digest),
    digest: step.digest,
    name: step.name,
    label,
    lane: laneOf(step),
    stage: step.stage,
    platform: step.platform,
    dockerfileLine: step.dockerfileLine,
    startedAt: step.startedAt,
    completedAt: step.completedAt,
    durationMs: stepDurationMs(step),
    p50Ms: baselines.get(normalizeStepName(step.name)) ?? null,
    baselineError,
    cached: step.cached,
    critical: new Set(criticalPath(steps)).has(step.digest),
    error: step.error,
    inputs: step.inputs.flatMap((d) => {
      const input = byDigest.get(d);
      return input ? [{ digest: d, label: labelOf(input) }] : [];
    }),
  };
}

export type BuildStepResult =
  | { kind: "ok"; data: Telemetry<StepDetail> }
  | { kind: "step-not-found" }
  | Exclude<BuildPageResult, { kind: "ok" }>;

/** One step's detail (the step panel's data when a step is opened). */
export async function getBuildStep(
  db: Db,
  params: { orgSlug: string; projectSlug: string; number: number; step: string; now?: Date },
): Promise<BuildStepResult> {
  const now = params.now ?? new Date();
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind !== "ok") return found;
  const { org, project } = found;
  const row = await db.build.findFirst({
    where: { orgId: org.id, projectId: project.id, number: params.number },
    select: { id: true },
  });
  if (!row) {
    return {
      kind: "build-not-found",
      org: { slug: org.slug, name: org.name },
      project: { slug: project.slug, name: project.name },
    };
  }
  const [steps, baselines] = await Promise.all([
    telemetry(() => fetchBuildSteps(found, row.id)),
    telemetry(() => fetchStepBaselines(found, now)),
  ]);
  if (!steps.ok) return { kind: "ok", data: steps };
  const facts = stepDetailOf(
    steps.data,
    params.step,
    baselines.ok ? baselines.data : new Map(),
    baselines.ok ? null : baselines.reason,
  );
  if (!facts) return { kind: "step-not-found" };
  const detail = await withLogs(found, row.id, facts);
  return { kind: "ok", data: { ok: true, data: detail } };
}

/** The step's detail with its logs: fetched for that one step (a build may have 2,000). */
async function withLogs(ref: ProjectRef, buildId: string, facts: StepFacts): Promise<StepDetail> {
  const logs = await telemetry(() => fetchStepLogs(ref, buildId, facts.digest));
  return {
    ...facts,
    logs: logs.ok
      ? {
          ok: true,
          data: {
            ...logView(logLines(logs.data.logs, facts.startedAt)),
            truncated: logs.data.logsTruncated,
          },
        }
      : logs,
  };
}

export async function getBuildPage(
  db: Db,
  params: {
    orgSlug: string;
    projectSlug: string;
    number: number;
    /** The step whose detail the page opens with (`?step=<id>`, the page without JS). */
    step?: string | null;
    now?: Date;
  },
): Promise<BuildPageResult> {
  const now = params.now ?? new Date();
  const found = await findProject(db, params.orgSlug, params.projectSlug);
  if (found.kind !== "ok") return found;
  const { org, project } = found;
  const row = await db.build.findFirst({
    where: { orgId: org.id, projectId: project.id, number: params.number },
    // the Dockerfile's text only here: it is the one page that shows it
    select: { ...BUILD_SELECT, dockerfileText: true },
  });
  const orgOut = { slug: org.slug, name: org.name };
  const projectOut = { slug: project.slug, name: project.name };
  if (!row) return { kind: "build-not-found", org: orgOut, project: projectOut };

  const [previous, next] = await Promise.all([
    db.build.findFirst({
      where: { orgId: org.id, projectId: project.id, number: { lt: row.number } },
      orderBy: { number: "desc" },
      select: { number: true },
    }),
    db.build.findFirst({
      where: { orgId: org.id, projectId: project.id, number: { gt: row.number } },
      orderBy: { number: "asc" },
      select: { number: true },
    }),
  ]);

  const [steps, baselines, lint] = await Promise.all([
    telemetry(() => fetchBuildSteps(found, row.id)),
    telemetry(() => fetchStepBaselines(found, now)),
    telemetry(() => fetchBuildLint(found, row.id)),
  ]);

  // builds from before the Dockerfile's text was kept: each step knows its line and instruction
  const sourceByLine = new Map<number, string>();
  if (steps.ok && row.dockerfileText === null) {
    for (const step of steps.data) {
      const label = normalizeStepName(step.name);
      if (step.dockerfileLine !== null && label && !sourceByLine.has(step.dockerfileLine)) {
        sourceByLine.set(step.dockerfileLine, label);
      }
    }
  }

  const trace: Telemetry<BuildTrace> = steps.ok
    ? {
        ok: true,
        data: traceOf(
          steps.data,
          baselines.ok ? baselines.data : new Map(),
          baselines.ok ? null : baselines.reason,
          now,
        ),
      }
    : steps;

  const selectedFacts =
    steps.ok && params.step
      ? stepDetailOf(
          steps.data,
          params.step,
          baselines.ok ? baselines.data : new Map(),
          baselines.ok ? null : baselines.reason,
        )
      : null;
  const selectedStep = selectedFacts ? await withLogs(found, row.id, selectedFacts) : null;

  return {
    kind: "ok",
    data: {
      org: orgOut,
      project: projectOut,
      build: buildHeaderOf(row, now),
      neighbours: { previous: previous?.number ?? null, next: next?.number ?? null },
      trace,
      selectedStep,
      lint: lint.ok
        ? {
            ok: true,
            data: {
              findings: lint.data
                .map((f) => {
                  const rule = RULES.get(f.code);
                  return {
                    ...f,
                    source: sourceByLine.get(f.line) ?? null,
                    rule: rule
                      ? {
                          message: rule.message,
                          explanation: rule.explanation,
                          url: rule.url ?? null,
                          fix: rule.fix ?? null,
                        }
                      : null,
                  };
                })
                .sort((a, b) => a.line - b.line || a.code.localeCompare(b.code)),
            },
          }
        : lint,
      dockerfile:
        row.dockerfileText === null ? null : { path: row.dockerfilePath, text: row.dockerfileText },
      telemetryPending:
        steps.ok &&
        steps.data.length === 0 &&
        row.startedAt !== null &&
        row.finishedAt !== null &&
        now.getTime() - row.finishedAt.getTime() < TELEMETRY_GRACE_MS,
    },
  };
}
