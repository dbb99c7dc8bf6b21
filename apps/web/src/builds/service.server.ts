import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  type BuildEvent,
  BuilderPool,
  type BuilderSize,
  type BuildStep,
  type CacheUsage,
  type ContextStats,
  cacheUsage,
  ensureBaseImage,
  type PoolBuild,
  type PoolBuildResult,
  type PoolSettingsInput,
  type PruneResult,
  pruneCache,
  pushManifestList,
  registerQemuBinfmt,
} from "@slipway/builder-core";
import { allocateBuildNumber, type Db } from "@slipway/db";
import { type Finding, lint } from "@slipway/lint";
import type { LintFailOn } from "./options";
import type {
  BuildFinalStatus,
  BuildStreamEvent,
  StreamLintFinding,
  StreamStep,
  StreamSummary,
} from "./protocol";
import type { BuildEventSink, TelemetryEventInput } from "./sink.server";
import { stepLogsForTelemetry } from "./step-logs";

export interface BuildServiceOptions {
  db: Db;
  stateDir: string;
  /** Largest context upload accepted, in tar bytes; 0 turns the limit off. */
  maxContextBytes: number;
  sink: BuildEventSink;
  /** Pool defaults (projects' own settings are applied per build). */
  poolSettings?: PoolSettingsInput;
  /**
   * What each project builder size means on this server (default: builder-core's BUILDER_SIZES):
   * an operator can define its own tiers; tests use a tiny one to provoke an out-of-memory kill.
   */
  builderSizes?: Partial<Record<"SMALL" | "MEDIUM" | "LARGE", BuilderSize>>;
}

export interface StartBuildInput {
  org: { id: string; slug: string };
  project: {
    id: string;
    slug: string;
    autoscalingEnabled: boolean;
    buildsPerBuilder: number;
    maxBuilders: number;
    builderSize: "SMALL" | "MEDIUM" | "LARGE";
    cacheSizeLimitBytes: number;
    /** Cache records unused for longer than this are pruned (none when absent). */
    cacheRetentionDays?: number;
  };
  /** `secret` is the request's bearer token, passed on to ingest with the build's events. */
  trigger: { tokenId: string; name: string; secret?: string };
  /** The uploaded context tar, sent to the engine as it is; deleted once the build is over. */
  contextTar: string;
  /** Tar bytes received, and what the engine uses of them (after .dockerignore). */
  contextStats: { bytes: number } & ContextStats;
  dockerfile: string;
  dockerfileText: string;
  dockerignoreText?: string;
  tags: string[];
  platforms: string[];
  target?: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  lint: boolean;
  lintFailOn: LintFailOn | null;
  /** Push the tags after a successful build. */
  push?: boolean;
}

interface ActiveBuild {
  orgId: string;
  controller: AbortController;
  /** The pool's builds, one per platform, once submitted (their queue positions are live). */
  handles?: { platform: string; handle: PoolBuild }[];
}

/** Where a build waits: per platform, its position in its builder's queue (1 = next). */
export interface BuildQueueState {
  platform: string;
  state: "queued" | "running" | "done";
  position: number | null;
}

/** `[{ path, kind, bytes }]`, largest first: the top files and the top folders of a context. */
export function contextLargest(stats: Pick<ContextStats, "largestFiles" | "largestDirectories">) {
  return [
    ...stats.largestFiles.map((entry) => ({ ...entry, kind: "file" as const })),
    ...stats.largestDirectories.map((entry) => ({ ...entry, kind: "dir" as const })),
  ]
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ path, kind, bytes }) => ({ path, kind, bytes }));
}

const LEVEL_RANK: Record<Finding["level"], number> = { error: 0, warning: 1, info: 2, style: 3 };

function toStreamStep(step: BuildStep): StreamStep {
  return {
    digest: step.digest,
    name: step.name,
    ...(step.stage !== undefined && { stage: step.stage }),
    ...(step.stepIndex !== undefined && { stepIndex: step.stepIndex }),
    ...(step.stepTotal !== undefined && { stepTotal: step.stepTotal }),
    ...(step.instruction !== undefined && { instruction: step.instruction }),
    ...(step.dockerfileLine !== undefined && { dockerfileLine: step.dockerfileLine }),
    ...(step.startedAt !== undefined && { startedAt: step.startedAt }),
    ...(step.completedAt !== undefined && { completedAt: step.completedAt }),
    ...(step.durationMs !== undefined && { durationMs: step.durationMs }),
    cached: step.cached,
    ...(step.error !== undefined && { error: step.error }),
  };
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * The name of a single-stage Dockerfile's stage: its `AS` name, else `stage-0` as BuildKit calls
 * an unnamed stage. (BuildKit names the steps of a single-stage build `[2/5] RUN ...`, without
 * the stage.)
 */
export function singleStageName(dockerfileText: string): string {
  const from = /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S+(?:[ \t]+AS[ \t]+(\S+))?/im.exec(
    dockerfileText,
  );
  return from?.[1]?.toLowerCase() ?? "stage-0";
}

/**
 * The Dockerfile stage of a step for telemetry; null for BuildKit's own vertices. A step with a
 * position but no stage belongs to the only stage (without this, such steps were lumped with the
 * internal vertices, and "why slow" and the insights skipped them).
 */
export function stageOf(
  step: Pick<BuildStep, "stage" | "stepIndex">,
  onlyStage: string,
): string | null {
  if (step.stage === "internal") return null;
  return step.stage ?? (step.stepIndex !== undefined ? onlyStage : null);
}
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs API builds on this process's BuilderPool: records each in PostgreSQL (QUEUED → RUNNING →
 * final), streams its progress as NDJSON events, sends telemetry to the sink, and cancels it on
 * request or when the client goes away.
 */
export class BuildService {
  readonly #options: BuildServiceOptions;
  #pool: Promise<BuilderPool> | undefined;
  readonly #active = new Map<string, ActiveBuild>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  /** Builds queued before this moment were queued by an earlier process. */
  readonly #createdAt = new Date();
  #recovered: Promise<number> | undefined;

  constructor(options: BuildServiceOptions) {
    this.#options = options;
  }

  /**
   * Fails the builds an earlier process of this server left QUEUED or RUNNING: the queue and the
   * builds lived in that process (its engines are stopped when the pool starts), so they will never
   * finish. Each gets status FAILED, `finishedAt` now and an `interrupted:` error saying what
   * happened; the client that started it has lost its stream and must build again. Runs once per
   * service (later calls return the first result): at the server's start-up, and before the pool
   * starts. Assumes one server runs the builds of a database (as one pool owns a state directory).
   */
  failInterruptedBuilds(): Promise<number> {
    this.#recovered ??= this.#failInterrupted().catch((error: unknown) => {
      this.#recovered = undefined;
      throw error;
    });
    return this.#recovered;
  }

  async #failInterrupted(): Promise<number> {
    const { db } = this.#options;
    const finishedAt = new Date();
    const left = {
      queuedAt: { lt: this.#createdAt },
      // demo data made by the seed script is not a build anyone waits for
      seeded: false,
      id: { notIn: [...this.#active.keys()] },
    };
    const queued = await db.build.updateMany({
      where: { ...left, status: "QUEUED" },
      data: {
        status: "FAILED",
        finishedAt,
        durationMs: 0,
        error:
          "interrupted: the server restarted while this build was queued (the queue is kept in " +
          "memory); run the build again",
      },
    });
    const running = await db.build.updateMany({
      where: { ...left, status: "RUNNING" },
      data: {
        status: "FAILED",
        finishedAt,
        error:
          "interrupted: the server restarted while this build was running, and its builder was " +
          "stopped; run the build again",
      },
    });
    const count = queued.count + running.count;
    if (count > 0) {
      console.warn(
        `[slipway builds] ${count} build${count === 1 ? "" : "s"} left queued or running by an ` +
          "earlier server process marked failed (interrupted)",
      );
    }
    return count;
  }

  get maxContextBytes(): number {
    return this.#options.maxContextBytes;
  }

  /** The pool, started on first use (it stops engines a previous process left behind). */
  pool(): Promise<BuilderPool> {
    // arm64 projects build under QEMU when qemu-user-static is installed (no-op otherwise)
    this.#pool ??= registerQemuBinfmt()
      .catch(() => undefined)
      // the engines of an earlier process are stopped by the pool: their builds are over
      .then(() => this.failInterruptedBuilds().catch(() => 0))
      .then(() =>
        BuilderPool.start({
          stateDir: this.#options.stateDir,
          settings: this.#options.poolSettings ?? {},
          // an engine for a foreign platform (emulated) gets that platform's base image
          prepareEngine: (engine) => ensureBaseImage(engine, { platform: engine.platform }),
        }),
      );
    this.#pool.catch(() => {
      this.#pool = undefined;
    });
    return this.#pool;
  }

  /** A fresh path for an uploaded context tar under `$SLIPWAY_STATE_DIR/contexts`. */
  async newContextFile(): Promise<string> {
    const parent = join(this.#options.stateDir, "contexts");
    await mkdir(parent, { recursive: true, mode: 0o700 });
    return join(parent, `ctx-${randomUUID()}.tar`);
  }

  /** Per platform, whether an active build of the org waits and where; undefined when not here. */
  queueState(orgId: string, buildId: string): BuildQueueState[] | undefined {
    const active = this.#active.get(buildId);
    if (!active || active.orgId !== orgId || !active.handles) return undefined;
    return active.handles.map(({ platform, handle }) => ({
      platform,
      state: handle.state,
      position: handle.state === "queued" ? (handle.queuePosition ?? null) : null,
    }));
  }

  /** Creates the Build row (QUEUED) and returns the NDJSON stream that runs and follows it. */
  async start(input: StartBuildInput): Promise<{ buildId: string; stream: ReadableStream }> {
    if (this.#closed) throw new Error("the server is shutting down");
    const { db } = this.#options;
    await (await import("../billing/build-gate.server")).assertBuildAllowed(db, input.org);
    const queuedAt = new Date();
    const build = await db.$transaction(async (tx) => {
      const number = await allocateBuildNumber(tx, input.project.id);
      return tx.build.create({
        data: {
          orgId: input.org.id,
          projectId: input.project.id,
          number,
          status: "QUEUED",
          platforms: input.platforms,
          tags: input.tags,
          dockerfilePath: input.dockerfile,
          dockerfileText: input.dockerfileText,
          target: input.target ?? null,
          triggeredBy: input.trigger.name,
          triggeredByTokenId: input.trigger.tokenId,
          queuedAt,
          // what the engine gets is known from the upload already
          contextBytes: BigInt(input.contextStats.fileBytes),
          contextFileCount: input.contextStats.fileCount,
          contextLargest: contextLargest(input.contextStats),
        },
        select: { id: true, number: true },
      });
    });
    const controller = new AbortController();
    this.#active.set(build.id, { orgId: input.org.id, controller });

    let streamController!: ReadableStreamDefaultController<Uint8Array>;
    let open = true;
    const encoder = new TextEncoder();
    const emit = (event: BuildStreamEvent) => {
      if (!open) return;
      try {
        streamController.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        if (event.type === "summary") {
          // the summary is the last event: the client is done now, while telemetry is still
          // being sent and the context deleted
          open = false;
          streamController.close();
        }
      } catch {
        open = false;
      }
    };
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        streamController = c;
      },
      cancel() {
        // the client went away (Ctrl-C, lost connection): the build is not wanted any more
        open = false;
        controller.abort();
      },
    });

    const run = this.#run(build, input, queuedAt, controller.signal, emit)
      .catch((error) => {
        console.error(`[slipway builds] build ${build.id} failed unexpectedly`, error);
        emit({
          type: "error",
          kind: "internal",
          message: "the server failed while running this build; see its log",
        });
      })
      .finally(async () => {
        this.#active.delete(build.id);
        await rm(input.contextTar, { force: true }).catch(() => undefined);
        if (open) {
          open = false;
          try {
            streamController.close();
          } catch {
            // already canceled by the client
          }
        }
      });
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
    return { buildId: build.id, stream };
  }

  async #run(
    build: { id: string; number: number },
    input: StartBuildInput,
    queuedAt: Date,
    signal: AbortSignal,
    emit: (event: BuildStreamEvent) => void,
  ): Promise<void> {
    const { db, sink } = this.#options;
    const envelope = (type: string) => ({
      id: randomUUID(),
      schemaVersion: 1 as const,
      orgId: input.org.id,
      projectId: input.project.id,
      time: new Date().toISOString(),
      type,
    });
    const telemetry: Promise<void>[] = [];
    const auth = input.trigger.secret ? { token: input.trigger.secret } : {};
    const send = (events: TelemetryEventInput[]) => telemetry.push(sink.send(events, auth));

    emit({
      type: "build",
      build: {
        id: build.id,
        number: build.number,
        project: { id: input.project.id, slug: input.project.slug },
        org: input.org,
        platforms: input.platforms,
        tags: input.tags,
        dockerfile: input.dockerfile,
      },
      context: {
        bytes: input.contextStats.bytes,
        fileCount: input.contextStats.fileCount,
        fileBytes: input.contextStats.fileBytes,
      },
    });

    const fail = async (kind: string, message: string, status: BuildFinalStatus = "failed") => {
      const finishedAt = new Date();
      await db.build.update({
        where: { id: build.id },
        data: {
          status: status === "canceled" ? "CANCELED" : "FAILED",
          finishedAt,
          durationMs: 0,
          ...(status === "failed" && { error: `${kind}: ${message}` }),
        },
      });
      if (status === "failed") emit({ type: "error", kind, message });
      send([
        {
          ...envelope("build.finished"),
          type: "build.finished",
          data: {
            buildId: build.id,
            number: build.number,
            status,
            startedAt: null,
            finishedAt: finishedAt.toISOString(),
            durationMs: 0,
            stepCount: 0,
            cachedStepCount: 0,
            error: status === "failed" ? `${kind}: ${message}` : null,
          },
        },
      ]);
      emit({
        type: "summary",
        summary: {
          buildId: build.id,
          number: build.number,
          status,
          durationMs: 0,
          queuedMs: Date.now() - queuedAt.getTime(),
          stepCount: 0,
          cachedStepCount: 0,
          cacheHitRatio: 0,
          tags: input.tags,
          platforms: [],
          steps: [],
          ...(status === "failed" && { error: { kind, message } }),
        },
      });
      await Promise.all(telemetry);
    };

    // 1. lint, before anything runs
    if (input.lint || input.lintFailOn) {
      const dockerignore = input.dockerignoreText ?? null;
      const findings = lint(input.dockerfileText, { dockerignore });
      const failOn = input.lintFailOn;
      const blocking = failOn
        ? findings.filter((f) => LEVEL_RANK[f.level] <= LEVEL_RANK[failOn])
        : [];
      emit({
        type: "lint",
        findings: findings.map(
          (f): StreamLintFinding => ({
            code: f.code,
            level: f.level,
            line: f.line,
            column: f.column,
            message: f.message,
          }),
        ),
        failOn,
        failed: blocking.length > 0,
      });
      send(
        findings
          .filter((f) => /^[A-Z]{2,4}\d{3,5}$/.test(f.code) && f.line > 0)
          .map((f) => ({
            ...envelope("lint.finding"),
            type: "lint.finding" as const,
            data: {
              buildId: build.id,
              code: f.code,
              level: f.level,
              line: f.line,
              message: f.message.slice(0, 4096) || f.code,
              file: input.dockerfile,
            },
          })),
      );
      if (blocking.length > 0) {
        const first = blocking[0];
        await fail(
          "lint-failed",
          `the Dockerfile has ${blocking.length} lint finding${blocking.length === 1 ? "" : "s"} ` +
            `at level ${failOn} or above` +
            (first ? ` (first: ${first.code} on line ${first.line}: ${first.message})` : ""),
        );
        return;
      }
    }
    if (signal.aborted) {
      await fail("canceled", "the build was canceled", "canceled");
      return;
    }

    // 2. run one pool build per platform
    const pool = await this.pool();
    pool.setProjectSettings(input.project.id, {
      autoscalingEnabled: input.project.autoscalingEnabled,
      buildsPerBuilder: input.project.buildsPerBuilder,
      maxBuilders: input.project.maxBuilders,
      builderSize:
        this.#options.builderSizes?.[input.project.builderSize] ??
        (input.project.builderSize.toLowerCase() as Lowercase<typeof input.project.builderSize>),
      cacheSizeLimitBytes: input.project.cacheSizeLimitBytes,
      ...(input.project.cacheRetentionDays && {
        cacheRetentionMs: input.project.cacheRetentionDays * DAY_MS,
      }),
    });
    const multiPush = input.push === true && input.platforms.length > 1;
    let startedAt: Date | undefined;
    let dbChain: Promise<unknown> = Promise.resolve();
    const markRunning = () => {
      if (startedAt) return;
      startedAt = new Date();
      const at = startedAt;
      dbChain = dbChain.then(() =>
        db.build.updateMany({
          where: { id: build.id, status: "QUEUED" },
          data: { status: "RUNNING", startedAt: at },
        }),
      );
      send([
        {
          ...envelope("build.started"),
          type: "build.started",
          data: {
            buildId: build.id,
            number: build.number,
            platforms: input.platforms,
            queuedAt: queuedAt.toISOString(),
            startedAt: at.toISOString(),
            dockerfile: input.dockerfile,
          },
        },
      ]);
    };

    const handles: { platform: string; handle: PoolBuild }[] = input.platforms.map((platform) => ({
      platform,
      handle: pool.submit({
        projectId: input.project.id,
        platform,
        // the pool says when the position changes and when a builder takes the build (the row
        // says RUNNING once the build starts on it: a builder still starting is queue time)
        onQueue: (state) =>
          emit(
            state.state === "queued"
              ? { type: "queued", platform, position: state.position }
              : { type: "started", platform, engineId: state.engineId },
          ),
        build: {
          contextTar: input.contextTar,
          dockerfile: input.dockerfile,
          dockerfileText: input.dockerfileText,
          tags: input.tags,
          buildArgs: input.buildArgs,
          ...(input.target && { target: input.target }),
          noCache: input.noCache,
          platform,
          ...(input.push && { push: true }),
          // the upload was already checked against the limit
          maxContextBytes: 0,
          signal,
          onEvent: (event: BuildEvent) => {
            if (event.type === "step") {
              emit({ type: "step", platform, step: toStreamStep(event.step) });
            } else if (event.type === "log") {
              emit({
                type: "log",
                platform,
                digest: event.digest,
                stream: event.log.stream,
                text: event.log.text,
              });
            } else if (event.type === "warning") {
              emit({ type: "warning", platform, message: event.message });
            } else if (event.type === "phase") {
              markRunning();
              emit({ type: "phase", platform, phase: event.phase });
            }
          },
        },
      }),
    }));
    const active = this.#active.get(build.id);
    if (active) active.handles = handles;

    const results: PoolBuildResult[] = await Promise.all(
      handles.map(({ handle }) => handle.result),
    );
    await dbChain.catch(() => undefined);

    const byPlatform = results.map((result, i) => ({ platform: input.platforms[i] ?? "", result }));

    // 3. multi-platform push: each platform pushed its image under the tags; now each tag gets
    // a manifest list naming them all (it replaces whichever platform's image was pushed last)
    let manifestLists: { tag: string; digest: string }[] | undefined;
    let manifestError: { kind: string; message: string } | undefined;
    if (multiPush && results.every((r) => r.status === "succeeded")) {
      manifestLists = [];
      for (const tag of input.tags) {
        emit({
          type: "phase",
          platform: input.platforms.join(","),
          phase: "pushing-manifest-list",
        });
        const pushed = await pushManifestList({
          tag,
          manifests: byPlatform.map(({ platform, result }) => ({
            platform,
            digest: result.pushed?.find((entry) => entry.tag === tag)?.digest ?? "",
          })),
          signal,
        });
        if (!pushed.ok) {
          manifestError = { kind: pushed.error.kind, message: pushed.error.message };
          break;
        }
        manifestLists.push({ tag, digest: pushed.digest });
      }
    }

    // 4. record and report the outcome
    const finishedAt = new Date();
    const statusOf = (): BuildFinalStatus => {
      if (manifestError) return "failed";
      if (results.some((r) => r.status === "failed")) return "failed";
      if (results.some((r) => r.status === "canceled")) return "canceled";
      return "succeeded";
    };
    const status = statusOf();
    const stepCount = results.reduce((n, r) => n + r.stepCount, 0);
    const cachedStepCount = results.reduce((n, r) => n + r.cachedStepCount, 0);
    const durationMs = Math.max(0, ...results.map((r) => r.durationMs));
    // requested to started: waiting for a builder (and for it to start), and linting
    const queuedMs = startedAt
      ? Math.max(0, startedAt.getTime() - queuedAt.getTime())
      : Math.max(0, ...results.map((r) => r.queuedMs));
    const failed = byPlatform.find(({ result }) => result.status === "failed" && result.error);
    const error = manifestError
      ? manifestError
      : failed?.result.error
        ? {
            kind: failed.result.error.kind,
            message:
              input.platforms.length > 1
                ? `${failed.platform}: ${failed.result.error.message}`
                : failed.result.error.message,
          }
        : undefined;
    const imageId = results.length === 1 ? results[0]?.imageId : undefined;
    // samples of every platform on one time line: ms since the build (its first platform) started
    const origin = (startedAt ?? finishedAt).getTime();
    const resourceSamples = byPlatform
      .flatMap(({ platform, result }) => {
        const offset = Date.parse(result.startedAt) - origin;
        return (result.resources?.samples ?? []).map((sample) => ({
          t: Math.max(0, Math.round(sample.t + offset)),
          platform,
          cpuPercent: sample.cpuPercent,
          memoryBytes: sample.memoryBytes,
        }));
      })
      .sort((a, b) => a.t - b.t);
    const largest = (values: (number | undefined)[]) => {
      const known = values.filter((value): value is number => value !== undefined);
      return known.length > 0 ? Math.max(...known) : undefined;
    };
    const peakMemoryBytes = largest(results.map((r) => r.resources?.peakMemoryBytes));
    const memoryLimitBytes = largest(results.map((r) => r.resources?.limits?.memoryBytes));
    const oomKilled = results.some((r) => r.resources?.oomKilled === true);
    // one platform: its image; several: the largest of them
    const imageSizeBytes = largest(results.map((r) => r.imageSize));
    const context = {
      bytes: input.contextStats.fileBytes,
      fileCount: input.contextStats.fileCount,
      tarBytes: input.contextStats.bytes,
      largest: contextLargest(input.contextStats),
    };
    await db.build.update({
      where: { id: build.id },
      data: {
        status: status === "succeeded" ? "SUCCEEDED" : status === "failed" ? "FAILED" : "CANCELED",
        ...(startedAt && { startedAt }),
        finishedAt,
        durationMs,
        stepCount,
        cachedStepCount,
        cacheHitRatio: stepCount === 0 ? null : cachedStepCount / stepCount,
        imageDigest: imageId ?? null,
        error: error ? `${error.kind}: ${error.message}` : null,
        emulated: results.some((r) => r.emulated),
        resourceSamples,
        memoryLimitBytes: memoryLimitBytes === undefined ? null : BigInt(memoryLimitBytes),
        peakMemoryBytes: peakMemoryBytes === undefined ? null : BigInt(peakMemoryBytes),
        oomKilled,
        imageSizeBytes: imageSizeBytes === undefined ? null : BigInt(imageSizeBytes),
      },
    });
    if (error) emit({ type: "error", ...error });

    const steps = byPlatform
      .flatMap(({ platform, result }) =>
        result.steps
          .filter((step) => step.stepIndex !== undefined)
          .map((step) => ({
            name: step.name,
            platform,
            durationMs: step.durationMs ?? 0,
            cached: step.cached,
          })),
      )
      .sort((a, b) => b.durationMs - a.durationMs);
    const summary: StreamSummary = {
      buildId: build.id,
      number: build.number,
      status,
      durationMs,
      queuedMs,
      queuedAt: queuedAt.toISOString(),
      startedAt: startedAt?.toISOString() ?? null,
      stepCount,
      cachedStepCount,
      cacheHitRatio: stepCount === 0 ? 0 : cachedStepCount / stepCount,
      ...(imageId && { imageId }),
      ...(imageSizeBytes !== undefined && { imageSize: imageSizeBytes }),
      tags: input.tags,
      context,
      resources: {
        peakMemoryBytes: peakMemoryBytes ?? null,
        memoryLimitBytes: memoryLimitBytes ?? null,
        oomKilled,
        samples: resourceSamples,
      },
      ...(manifestLists && { manifestLists }),
      platforms: byPlatform.map(({ platform, result }) => ({
        platform,
        status: result.status,
        ...(result.engineId && { engineId: result.engineId }),
        startedAt: result.startedAt,
        durationMs: result.durationMs,
        stepCount: result.stepCount,
        cachedStepCount: result.cachedStepCount,
        ...(result.imageId && { imageId: result.imageId }),
        ...(result.imageSize !== undefined && { imageSize: result.imageSize }),
        ...(result.resources && { peakMemoryBytes: result.resources.peakMemoryBytes }),
        emulated: result.emulated,
        ...(result.route && { route: result.route }),
        ...(result.pushed && { pushed: result.pushed }),
        ...(result.error && { error: { kind: result.error.kind, message: result.error.message } }),
      })),
      steps,
      ...(error && { error }),
    };

    const onlyStage = singleStageName(input.dockerfileText);
    send([
      ...byPlatform.flatMap(({ platform, result }) =>
        result.steps
          .filter((step) => DIGEST.test(step.digest))
          .map((step) => ({
            ...envelope("step"),
            type: "step" as const,
            data: {
              buildId: build.id,
              digest: step.digest,
              name: step.name.slice(0, 4096) || step.digest,
              stage: stageOf(step, onlyStage),
              platform: input.platforms.length > 1 ? platform : null,
              dockerfileLine: step.dockerfileLine ?? null,
              startedAt: step.startedAt ?? null,
              completedAt: step.completedAt ?? null,
              cached: step.cached,
              error: step.error?.slice(0, 65_536) ?? null,
              inputs: step.inputs.filter((digest) => DIGEST.test(digest)),
              ...stepLogsForTelemetry(step.logs, step.logsTruncated ?? false),
            },
          })),
      ),
      {
        ...envelope("build.finished"),
        type: "build.finished",
        data: {
          buildId: build.id,
          number: build.number,
          status,
          startedAt: startedAt?.toISOString() ?? null,
          finishedAt: finishedAt.toISOString(),
          durationMs,
          stepCount,
          cachedStepCount,
          error: error ? `${error.kind}: ${error.message}`.slice(0, 65_536) : null,
          imageDigest: imageId && DIGEST.test(imageId) ? imageId : null,
        },
      },
    ]);
    // the row is final: from here a cancel answers "finished" (409), even while the telemetry
    // and the cache snapshot below are still on their way
    this.#active.delete(build.id);
    emit({ type: "summary", summary });
    // the cache's size after the build, for the cache page's chart over time (after the summary:
    // the client does not wait for it)
    const snapshot = await this.#cacheSnapshot(input.project.id, input.platforms);
    if (snapshot) {
      send([
        {
          ...envelope("cache.snapshot"),
          type: "cache.snapshot",
          data: {
            builderId: null,
            ...snapshot,
            hitCount: cachedStepCount,
            missCount: stepCount - cachedStepCount,
          },
        },
      ]);
    }
    await Promise.all(telemetry);
  }

  /** The project's cache over its platforms' main builders; undefined when none answers. */
  async #cacheSnapshot(
    projectId: string,
    platforms: string[],
  ): Promise<{ sizeBytes: number; reclaimableBytes: number; entryCount: number } | undefined> {
    // builder-core waits out the engine's one-disk-usage-at-a-time rule; a builder that is gone
    // simply has no snapshot
    const usageOf = (platform: string) =>
      this.cacheUsage(projectId, platform).catch(() => undefined);
    const usages = await Promise.all(platforms.map(usageOf));
    const known = usages.filter((usage) => usage !== undefined);
    if (known.length === 0) return undefined;
    return {
      sizeBytes: known.reduce((n, u) => n + u.totalBytes, 0),
      reclaimableBytes: known.reduce((n, u) => n + u.reclaimableBytes, 0),
      entryCount: known.reduce((n, u) => n + u.count, 0),
    };
  }

  /**
   * Cancels a build of the org: "canceling" when it runs here, "canceled" when its row was left
   * QUEUED/RUNNING by a previous process, "finished" when it is over, undefined when unknown.
   */
  async cancel(
    orgId: string,
    buildId: string,
  ): Promise<"canceling" | "canceled" | "finished" | undefined> {
    const active = this.#active.get(buildId);
    if (active && active.orgId === orgId) {
      active.controller.abort();
      return "canceling";
    }
    const row = await this.#options.db.build.findFirst({
      where: { id: buildId, orgId },
      select: { status: true },
    });
    if (!row) return undefined;
    if (row.status !== "QUEUED" && row.status !== "RUNNING") return "finished";
    await this.#options.db.build.updateMany({
      where: { id: buildId, status: { in: ["QUEUED", "RUNNING"] } },
      data: {
        status: "CANCELED",
        finishedAt: new Date(),
        error: "canceled: no server was running this build any more",
      },
    });
    return "canceled";
  }

  isActive(buildId: string): boolean {
    return this.#active.has(buildId);
  }

  /** The cache of the project's main builder for a platform, when that builder is running. */
  async cacheUsage(projectId: string, platform: string): Promise<CacheUsage | undefined> {
    const pool = await this.pool();
    const main = await pool.mainEngine(projectId, platform);
    return main ? cacheUsage(main) : undefined;
  }

  /** Empties the cache of the project's main builder (all records); undefined when not running. */
  async resetCache(projectId: string, platform: string): Promise<PruneResult | undefined> {
    const pool = await this.pool();
    const main = await pool.mainEngine(projectId, platform);
    return main ? pruneCache(main, { all: true }) : undefined;
  }

  /** Cancels every build, waits for their rows to be written, and stops the engines. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const active of this.#active.values()) active.controller.abort();
    await Promise.allSettled([...this.#running]);
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool) await (await pool.catch(() => undefined))?.close();
  }
}
