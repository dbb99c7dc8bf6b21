import { rm } from "node:fs/promises";
import type { Build, Db } from "@slipway/db";
import { parse as parseDockerfile } from "@slipway/lint";
import { recordBuildStarted, recordTokenAudit } from "../audit/record.server";
import {
  ContextTooLargeError,
  InvalidContextError,
  type ReceivedContext,
  receiveContext,
} from "../builds/context.server";
import { BuildOptionsError, lintThreshold, parseBuildOptions } from "../builds/options";
import type { BuildQueueState, BuildService } from "../builds/service.server";
import { authenticate } from "./auth.server";
import { ApiError, jsonResponse } from "./http";
import { listProjects, resolveProject } from "./projects.server";

export interface ApiDeps {
  db: Db;
  builds: BuildService;
}

// ---------------------------------------------------------------------------------------------
// Projects

/** GET /api/v1/projects */
export async function listProjectsHandler(request: Request, deps: ApiDeps): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  const projects = await listProjects(deps.db, principal);
  return jsonResponse({
    token: {
      id: principal.tokenId,
      name: principal.tokenName,
      org: { id: principal.orgId, slug: principal.orgSlug },
      scope: principal.projectId ? "project" : "org",
    },
    projects,
  });
}

/** GET /api/v1/projects/:project */
export async function getProjectHandler(
  request: Request,
  deps: ApiDeps,
  projectRef: string,
): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  return jsonResponse({ project: await resolveProject(deps.db, principal, projectRef) });
}

// ---------------------------------------------------------------------------------------------
// Builds

const toNumber = (value: bigint | null) => (value === null ? null : Number(value));

/** The build as the API shows it; `queue` (per platform) while it waits here for a builder. */
function apiBuild(build: Build, queue?: BuildQueueState[]) {
  const waiting = queue?.filter((entry) => entry.position !== null) ?? [];
  return {
    id: build.id,
    number: build.number,
    status: build.status.toLowerCase(),
    platforms: build.platforms,
    tags: build.tags,
    dockerfile: build.dockerfilePath,
    target: build.target,
    triggeredBy: build.triggeredBy,
    queuedAt: build.queuedAt.toISOString(),
    startedAt: build.startedAt?.toISOString() ?? null,
    finishedAt: build.finishedAt?.toISOString() ?? null,
    durationMs: build.durationMs,
    stepCount: build.stepCount,
    cachedStepCount: build.cachedStepCount,
    cacheHitRatio: build.cacheHitRatio,
    imageDigest: build.imageDigest,
    error: build.error,
    /** startedAt − queuedAt; null until it starts. */
    queuedMs: build.startedAt ? build.startedAt.getTime() - build.queuedAt.getTime() : null,
    /** Its place in the builder's queue (1 = next) while queued; null otherwise. */
    queuePosition:
      build.status === "QUEUED" && waiting.length > 0
        ? Math.min(...waiting.map((entry) => entry.position ?? 0))
        : null,
    ...(queue && { queue }),
    emulated: build.emulated,
    context: {
      bytes: toNumber(build.contextBytes),
      fileCount: build.contextFileCount,
      largest: build.contextLargest,
    },
    resources: {
      memoryLimitBytes: toNumber(build.memoryLimitBytes),
      peakMemoryBytes: toNumber(build.peakMemoryBytes),
      oomKilled: build.oomKilled,
      samples: build.resourceSamples,
    },
    imageSizeBytes: toNumber(build.imageSizeBytes),
  };
}

const TAR_TYPES = ["application/x-tar", "application/tar"];
const GZIP_TYPES = ["application/gzip", "application/x-gzip", "application/tar+gzip"];

function contextListing(received: ReceivedContext): string {
  const names = received.topLevel;
  if (names.length === 0) return "the context is empty";
  const shown = names.slice(0, 10).join(", ");
  return `the context holds ${shown}${names.length > 10 ? `, ... (${names.length} entries)` : ""}`;
}

/**
 * POST /api/v1/projects/:project/builds (and POST /api/v1/builds?project=P). The body is the
 * context as a tar (`Content-Type: application/x-tar`, or gzipped), streamed to a temp file as it
 * comes (checked on the way: size limit, unsafe paths; the engine gets that file as it is);
 * options are in the query string. Bad input answers a 4xx; once the build is recorded, the
 * answer is an NDJSON stream of events (see src/builds/protocol.ts) ending with a `summary`.
 */
export async function createBuildHandler(
  request: Request,
  deps: ApiDeps,
  projectRef: string | undefined,
): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  const url = new URL(request.url);
  const project = await resolveProject(
    deps.db,
    principal,
    projectRef ?? url.searchParams.get("project") ?? undefined,
  );
  let options: ReturnType<typeof parseBuildOptions>;
  try {
    options = parseBuildOptions(url.searchParams, project.platforms);
  } catch (error) {
    if (error instanceof BuildOptionsError) {
      throw new ApiError(400, `invalid-${error.parameter}`, error.message);
    }
    throw error;
  }

  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  const gzip =
    GZIP_TYPES.includes(type ?? "") ||
    (request.headers.get("content-encoding") ?? "").toLowerCase() === "gzip";
  if (!gzip && !TAR_TYPES.includes(type ?? "")) {
    throw new ApiError(
      415,
      "unsupported-media-type",
      "send the build context as a tar: Content-Type: application/x-tar (or application/gzip)",
    );
  }
  if (!request.body) {
    throw new ApiError(400, "context-missing", "the request has no body: send the context tar");
  }
  const limit = deps.builds.maxContextBytes;
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (limit > 0 && !gzip && Number.isFinite(declared) && declared > limit) {
    throw new ApiError(
      413,
      "context-too-large",
      new ContextTooLargeError(limit).message.replace("is larger", `(${declared} bytes) is larger`),
    );
  }

  const file = await deps.builds.newContextFile();
  let started = false;
  try {
    let received: ReceivedContext;
    try {
      received = await receiveContext(request.body, {
        file,
        maxBytes: limit,
        gzip,
        dockerfile: options.dockerfile,
      });
    } catch (error) {
      if (error instanceof ContextTooLargeError) {
        throw new ApiError(413, "context-too-large", error.message);
      }
      if (error instanceof InvalidContextError) {
        throw new ApiError(400, "invalid-context", error.message);
      }
      throw error;
    }

    const dockerfileText = received.dockerfileText;
    if (dockerfileText === undefined) {
      throw new ApiError(
        400,
        "dockerfile-missing",
        `no Dockerfile at ${options.dockerfile} in the build context (${contextListing(received)}); ` +
          "name it with -f",
      );
    }
    const problems = parseDockerfile(dockerfileText).problems;
    if (problems.length > 0) {
      throw new ApiError(400, "dockerfile-syntax", `${options.dockerfile} has a syntax error`, {
        problems: problems.map((p) => ({ line: p.line, column: p.column, message: p.message })),
        detail: problems
          .slice(0, 5)
          .map((p) => `line ${p.line}: ${p.message}`)
          .join("; "),
      });
    }

    const { buildId, stream } = await deps.builds.start({
      org: { id: principal.orgId, slug: principal.orgSlug },
      project,
      trigger: {
        tokenId: principal.tokenId,
        name: principal.tokenName,
        secret: /^Bearer\s+(\S+)/i.exec(request.headers.get("authorization") ?? "")?.[1],
      },
      contextTar: file,
      contextStats: { ...received.stats, bytes: received.bytes },
      dockerfile: options.dockerfile,
      dockerfileText,
      ...(received.dockerignoreText !== undefined && {
        dockerignoreText: received.dockerignoreText,
      }),
      tags: options.tags,
      platforms: options.platforms,
      ...(options.target && { target: options.target }),
      buildArgs: options.buildArgs,
      noCache: options.noCache,
      lint: options.lint,
      lintFailOn: lintThreshold(options, project.lintPolicy),
      ...(options.push && { push: true }),
    });
    started = true;
    await recordBuildStarted(deps.db, request, principal, buildId, project, options).catch(
      async (error: unknown) => {
        // no build without its audit event
        await deps.builds.cancel(principal.orgId, buildId).catch(() => undefined);
        throw error;
      },
    );
    return new Response(stream, {
      status: 200,
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } finally {
    if (!started) await rm(file, { force: true }).catch(() => undefined);
  }
}

/** GET /api/v1/projects/:project/builds?limit=N&before=NUMBER: newest first. */
export async function listBuildsHandler(
  request: Request,
  deps: ApiDeps,
  projectRef: string,
): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  const project = await resolveProject(deps.db, principal, projectRef);
  const url = new URL(request.url);
  const limitRaw = url.searchParams.get("limit") ?? "20";
  const beforeRaw = url.searchParams.get("before");
  if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 100) {
    throw new ApiError(400, "invalid-limit", "limit must be a number from 1 to 100");
  }
  if (beforeRaw !== null && !/^\d+$/.test(beforeRaw)) {
    throw new ApiError(400, "invalid-before", "before must be a build number");
  }
  const limit = Number(limitRaw);
  const rows = await deps.db.build.findMany({
    where: {
      projectId: project.id,
      orgId: principal.orgId,
      ...(beforeRaw !== null && { number: { lt: Number(beforeRaw) } }),
    },
    orderBy: { number: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return jsonResponse({
    project: { id: project.id, slug: project.slug },
    builds: page.map((build) => apiBuild(build, deps.builds.queueState(principal.orgId, build.id))),
    nextBefore: rows.length > limit && last ? last.number : null,
  });
}

async function findBuild(deps: ApiDeps, request: Request, buildId: string) {
  const principal = await authenticate(request, deps.db);
  const build = await deps.db.build.findFirst({
    where: {
      id: buildId,
      orgId: principal.orgId,
      ...(principal.projectId && { projectId: principal.projectId }),
      project: { deletedAt: null },
    },
  });
  if (!build) throw new ApiError(404, "build-not-found", `build ${buildId} not found`);
  return { principal, build };
}

/** GET /api/v1/builds/:id */
export async function getBuildHandler(
  request: Request,
  deps: ApiDeps,
  buildId: string,
): Promise<Response> {
  const { principal, build } = await findBuild(deps, request, buildId);
  return jsonResponse({
    build: apiBuild(build, deps.builds.queueState(principal.orgId, build.id)),
  });
}

/** POST /api/v1/builds/:id/cancel: 202 while the cancel takes effect, 409 when already over. */
export async function cancelBuildHandler(
  request: Request,
  deps: ApiDeps,
  buildId: string,
): Promise<Response> {
  const { principal, build } = await findBuild(deps, request, buildId);
  const outcome = await deps.builds.cancel(principal.orgId, build.id);
  if (outcome === "finished" || outcome === undefined) {
    throw new ApiError(
      409,
      "build-finished",
      `build #${build.number} already finished (${build.status.toLowerCase()}); nothing to cancel`,
    );
  }
  await recordTokenAudit(deps.db, request, principal, "build.cancelled", {
    type: "build",
    id: build.id,
    name: `#${build.number}`,
  });
  return jsonResponse(
    { build: { id: build.id, number: build.number }, status: outcome },
    outcome === "canceling" ? 202 : 200,
  );
}

// ---------------------------------------------------------------------------------------------
// Cache

function cachePlatform(url: URL, platforms: string[]): string {
  const platform = url.searchParams.get("platform") ?? platforms[0];
  if (!platform || !platforms.includes(platform)) {
    throw new ApiError(
      400,
      "invalid-platform",
      `unknown platform ${platform ?? "(none)"}: this project builds for ${platforms.join(", ")}`,
    );
  }
  return platform;
}

/** GET /api/v1/projects/:project/cache?platform=P: the main builder's BuildKit cache. */
export async function cacheHandler(
  request: Request,
  deps: ApiDeps,
  projectRef: string,
): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  const project = await resolveProject(deps.db, principal, projectRef);
  const url = new URL(request.url);
  const platform = cachePlatform(url, project.platforms);
  const usage = await deps.builds.cacheUsage(project.id, platform);
  const withRecords = url.searchParams.get("records") === "1";
  return jsonResponse({
    project: { id: project.id, slug: project.slug },
    platform,
    limitBytes: project.cacheSizeLimitBytes,
    builder: { running: usage !== undefined },
    usage: usage
      ? {
          count: usage.count,
          totalBytes: usage.totalBytes,
          reclaimableBytes: usage.reclaimableBytes,
          sharedBytes: usage.sharedBytes,
          inUseBytes: usage.inUseBytes,
          ...(withRecords && { records: usage.records }),
        }
      : null,
    ...(!usage && {
      message:
        "the project's builder is not running (it stops when idle; its cache stays on disk); " +
        "run a build to start it",
    }),
  });
}

/** POST /api/v1/projects/:project/cache/reset?platform=P: empties the main builder's cache. */
export async function cacheResetHandler(
  request: Request,
  deps: ApiDeps,
  projectRef: string,
): Promise<Response> {
  const principal = await authenticate(request, deps.db);
  const project = await resolveProject(deps.db, principal, projectRef);
  const platform = cachePlatform(new URL(request.url), project.platforms);
  const result = await deps.builds.resetCache(project.id, platform);
  if (!result) {
    throw new ApiError(
      409,
      "builder-not-running",
      `the builder of ${project.slug} (${platform}) is not running; run a build to start it, then reset`,
    );
  }
  await recordTokenAudit(
    deps.db,
    request,
    principal,
    "cache.reset",
    { type: "project", id: project.id, name: project.slug },
    { platform, deletedCount: result.deletedIds.length, reclaimedBytes: result.reclaimedBytes },
  );
  return jsonResponse({
    project: { id: project.id, slug: project.slug },
    platform,
    deletedCount: result.deletedIds.length,
    reclaimedBytes: result.reclaimedBytes,
  });
}
