import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { type ContextStats, ContextTooLargeError, packContext } from "./context.ts";
import { isProcessAlive } from "./engine.ts";
import {
  type EngineTarget,
  engineMessage,
  engineRequest,
  engineStream,
  jsonLines,
} from "./engine-api.ts";
import { type BuildStep, decodeTraceAux, type StepEvent, StepTracker } from "./trace.ts";

export const buildOptionsSchema = z.object({
  /** The folder sent as the build context. */
  contextDir: z.string().min(1),
  /** Relative to the context (or absolute, possibly outside it). */
  dockerfile: z.string().min(1).default("Dockerfile"),
  tags: z.array(z.string().min(1)).default([]),
  buildArgs: z.record(z.string(), z.string()).default({}),
  labels: z.record(z.string(), z.string()).default({}),
  target: z.string().min(1).optional(),
  noCache: z.boolean().default(false),
  /** These engines have no bridge network: RUN steps use the host's network or none. */
  networkMode: z.enum(["host", "none"]).default("host"),
  /** e.g. linux/amd64; the engine's own platform when unset. */
  platform: z.string().min(1).optional(),
  /** Tar bytes past which the context upload is aborted. 0 turns the limit off. */
  maxContextBytes: z
    .number()
    .int()
    .nonnegative()
    .default(512 * 1024 * 1024),
  /** Identifies the build on the engine (for its cancel endpoint); random when unset. */
  buildId: z.string().min(1).optional(),
});

export type BuildEvent =
  | StepEvent
  | { type: "phase"; phase: "sending-context" | "building" }
  | { type: "context"; stats: ContextStats };

export type BuildOptions = z.input<typeof buildOptionsSchema> & {
  /** Aborting it cancels the build on the engine; the summary then says `canceled`. */
  signal?: AbortSignal;
  onEvent?: (event: BuildEvent) => void;
};

export type BuildErrorKind =
  | "context-missing"
  | "dockerfile-missing"
  | "dockerfile-syntax"
  | "context-too-large"
  | "context-unreadable"
  | "step-failed"
  | "engine-exited"
  | "engine-error";

export interface BuildError {
  kind: BuildErrorKind;
  message: string;
  /** The step that failed, when the engine said which. */
  step?: { name: string; dockerfileLine?: number };
}

export interface BuildSummary {
  buildId: string;
  status: "succeeded" | "failed" | "canceled";
  startedAt: string;
  durationMs: number;
  /** Every vertex BuildKit reported, in order (its internal ones too: context, export). */
  steps: BuildStep[];
  /** The Dockerfile's own steps ("[stage i/n]"). */
  stepCount: number;
  cachedStepCount: number;
  /** cachedStepCount / stepCount, 0 when there were none. */
  cacheHitRatio: number;
  imageId?: string;
  imageSize?: number;
  tags: string[];
  error?: BuildError;
  context?: ContextStats;
  warnings: string[];
}

const lineSchema = z.object({
  id: z.string().optional(),
  aux: z.unknown().optional(),
  stream: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.object({ message: z.string().optional() }).optional(),
});

/** Sorts an engine's build error into a kind the UI can explain. */
export function classifyEngineError(message: string): BuildErrorKind {
  if (/dockerfile parse error|unknown instruction|failed to create LLB definition/i.test(message)) {
    return "dockerfile-syntax";
  }
  if (
    /failed to read dockerfile|dockerfile.*no such file|Cannot locate specified Dockerfile/i.test(
      message,
    )
  ) {
    return "dockerfile-missing";
  }
  if (/executor failed running|exit code: \d+|did not complete successfully/i.test(message)) {
    return "step-failed";
  }
  return "engine-error";
}

function buildQuery(options: z.output<typeof buildOptionsSchema>, dockerfile: string, id: string) {
  const query = new URLSearchParams({
    version: "2",
    dockerfile,
    networkmode: options.networkMode,
    buildid: id,
    rm: "1",
    forcerm: "1",
  });
  for (const tag of options.tags) query.append("t", tag);
  if (Object.keys(options.buildArgs).length > 0) {
    query.set("buildargs", JSON.stringify(options.buildArgs));
  }
  if (Object.keys(options.labels).length > 0) query.set("labels", JSON.stringify(options.labels));
  if (options.target) query.set("target", options.target);
  if (options.noCache) query.set("nocache", "1");
  if (options.platform) query.set("platform", options.platform);
  return query;
}

async function imageSize(engine: EngineTarget, imageId: string): Promise<number | undefined> {
  try {
    const res = await engineRequest(engine.socketPath, "GET", `/images/${imageId}/json`, 10_000);
    if (res.statusCode !== 200) return undefined;
    return z.object({ Size: z.number() }).parse(JSON.parse(res.body)).Size;
  } catch {
    return undefined;
  }
}

/** A summary for a build that never reached an engine (queue canceled, engine did not start). */
export function summaryWithoutEngine(
  buildId: string,
  status: "failed" | "canceled",
  error?: BuildError,
  tags: string[] = [],
): BuildSummary {
  return {
    buildId,
    status,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    steps: [],
    stepCount: 0,
    cachedStepCount: 0,
    cacheHitRatio: 0,
    tags,
    ...(error && { error }),
    warnings: [],
  };
}

function engineName(engine: EngineTarget): string {
  return engine.id ?? engine.socketPath;
}

/**
 * Runs one build on an engine: streams the context (honouring .dockerignore, within a size
 * limit), follows BuildKit's progress into steps, and returns a summary. Build failures,
 * cancels and engine crashes are reported in the summary; only invalid options throw.
 */
export async function runBuild(engine: EngineTarget, options: BuildOptions): Promise<BuildSummary> {
  const { signal, onEvent, ...data } = options;
  const parsed = buildOptionsSchema.parse(data);
  const buildId = parsed.buildId ?? randomUUID();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  let contextStats: ContextStats | undefined;
  let tracker: StepTracker | undefined;

  const finish = async (
    result: Pick<BuildSummary, "status"> & { error?: BuildError; imageId?: string },
  ): Promise<BuildSummary> => {
    const steps = tracker?.steps ?? [];
    const numbered = tracker?.dockerfileSteps ?? [];
    const cachedStepCount = numbered.filter((step) => step.cached).length;
    // the build's time ends with the engine's stream; the image inspect below is not part of it
    const durationMs = Math.round(performance.now() - started);
    const size = result.imageId ? await imageSize(engine, result.imageId) : undefined;
    return {
      buildId,
      status: result.status,
      startedAt,
      durationMs,
      steps,
      stepCount: numbered.length,
      cachedStepCount,
      cacheHitRatio: numbered.length === 0 ? 0 : cachedStepCount / numbered.length,
      ...(result.imageId && { imageId: result.imageId }),
      ...(size !== undefined && { imageSize: size }),
      tags: parsed.tags,
      ...(result.error && { error: result.error }),
      ...(contextStats && { context: contextStats }),
      warnings: tracker?.warnings.map((warning) => warning.message) ?? [],
    };
  };

  if (signal?.aborted) return finish({ status: "canceled" });

  const contextDir = resolve(parsed.contextDir);
  const contextInfo = await stat(contextDir).catch(() => undefined);
  if (!contextInfo?.isDirectory()) {
    return finish({
      status: "failed",
      error: {
        kind: "context-missing",
        message: `the build context ${contextDir} does not exist or is not a folder`,
      },
    });
  }
  const dockerfilePath = resolve(contextDir, parsed.dockerfile);
  let dockerfileText: string;
  try {
    const info = await stat(dockerfilePath);
    if (!info.isFile()) throw new Error("not a file");
    dockerfileText = await readFile(dockerfilePath, "utf8");
  } catch {
    return finish({
      status: "failed",
      error: {
        kind: "dockerfile-missing",
        message: `no Dockerfile at ${parsed.dockerfile} (looked for ${dockerfilePath})`,
      },
    });
  }
  tracker = new StepTracker({ dockerfile: dockerfileText, ...(onEvent && { onEvent }) });

  const packed = await packContext({
    contextDir,
    dockerfilePath,
    ...(parsed.maxContextBytes > 0 && { maxBytes: parsed.maxContextBytes }),
  });
  contextStats = packed.stats;
  let contextError: Error | undefined;
  packed.stream.on("error", (error) => {
    contextError = error;
  });
  packed.stream.on("end", () => onEvent?.({ type: "context", stats: packed.stats }));

  onEvent?.({ type: "phase", phase: "sending-context" });
  const query = buildQuery(parsed, packed.dockerfileName, buildId);
  const { request, response } = engineStream(engine.socketPath, {
    method: "POST",
    path: `/v1.41/build?${query}`,
    headers: { "Content-Type": "application/x-tar" },
    body: packed.stream,
  });

  let canceled = false;
  let engineExited = false;
  const onAbort = () => {
    canceled = true;
    // Closing the request is what cancels a build in BuildKit (the daemon cancels the solve
    // when its client goes away); the cancel endpoint is asked too, in case the body is still
    // being read and the close is not noticed yet.
    request.destroy();
    engineRequest(
      engine.socketPath,
      "POST",
      `/build/cancel?id=${encodeURIComponent(buildId)}`,
    ).catch(() => undefined);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const watchdog =
    engine.pid === undefined
      ? undefined
      : setInterval(() => {
          if (engine.pid !== undefined && !isProcessAlive(engine.pid)) {
            engineExited = true;
            request.destroy();
          }
        }, 250);

  let imageId: string | undefined;
  let engineError: string | undefined;
  let transportError: unknown;
  try {
    const res = await response;
    if (res.statusCode !== 200) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      engineError = engineMessage({
        statusCode: res.statusCode ?? 0,
        body: Buffer.concat(chunks).toString("utf8"),
      });
    } else {
      onEvent?.({ type: "phase", phase: "building" });
      for await (const raw of jsonLines(res)) {
        const line = lineSchema.safeParse(raw);
        if (!line.success) continue;
        const { id, aux } = line.data;
        if (id === "moby.buildkit.trace" && typeof aux === "string") {
          tracker.apply(decodeTraceAux(aux));
        } else if (id === "moby.image.id") {
          const parsedAux = z.object({ ID: z.string() }).safeParse(aux);
          if (parsedAux.success) imageId = parsedAux.data.ID;
        } else if (line.data.errorDetail || line.data.error) {
          engineError = line.data.errorDetail?.message ?? line.data.error;
        }
      }
    }
  } catch (error) {
    transportError = error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (watchdog) clearInterval(watchdog);
    packed.stream.destroy();
  }
  if (!engineExited && engine.pid !== undefined && transportError && !canceled) {
    // the connection can drop a moment before the process is gone
    const pid = engine.pid;
    const deadline = Date.now() + 1_000;
    while (!engineExited && Date.now() < deadline) {
      engineExited = !isProcessAlive(pid);
      if (!engineExited) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  if (canceled) return finish({ status: "canceled" });
  if (engineExited) {
    return finish({
      status: "failed",
      error: {
        kind: "engine-exited",
        message: `builder engine ${engineName(engine)} exited during the build`,
      },
    });
  }
  if (contextError) {
    const tooLarge = contextError instanceof ContextTooLargeError;
    return finish({
      status: "failed",
      error: {
        kind: tooLarge ? "context-too-large" : "context-unreadable",
        message: contextError.message,
      },
    });
  }
  if (engineError !== undefined) {
    const failedStep = tracker.steps.find((step) => step.error);
    const kind = classifyEngineError(engineError);
    return finish({
      status: "failed",
      error: {
        kind,
        message: engineError,
        ...(failedStep &&
          kind === "step-failed" && {
            step: {
              name: failedStep.name,
              ...(failedStep.dockerfileLine !== undefined && {
                dockerfileLine: failedStep.dockerfileLine,
              }),
            },
          }),
      },
    });
  }
  if (transportError || !imageId) {
    const reason =
      transportError instanceof Error
        ? transportError.message
        : "the engine closed the build stream without an image";
    return finish({
      status: "failed",
      error: {
        kind: "engine-error",
        message: `build on ${engineName(engine)} failed: ${reason}`,
      },
    });
  }
  return finish({ status: "succeeded", imageId });
}
