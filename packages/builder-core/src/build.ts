import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { z } from "zod";
import { type ContextStats, ContextTooLargeError, packContext } from "./context.ts";
import { ContextTarScanner, InvalidContextTarError } from "./context-tar.ts";
import { isProcessAlive } from "./engine.ts";
import {
  type EngineTarget,
  engineLabel,
  engineMessage,
  engineRequest,
  engineStream,
  jsonLines,
} from "./engine-api.ts";
import {
  emulationAvailable,
  hostPlatform,
  isNativePlatform,
  normalizePlatform,
  PlatformUnsupportedError,
} from "./platform.ts";
import { type PushError, type PushedTag, pushImage } from "./push.ts";
import { type BuildResources, type ResourceSampler, startResourceSampler } from "./resources.ts";
import { type BuildStep, decodeTraceAux, type StepEvent, StepTracker } from "./trace.ts";

export const registryAuthSchema = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  /** A registry token instead of a username and password. */
  identitytoken: z.string().optional(),
  /** The registry host, e.g. registry.example.com:5000. */
  serveraddress: z.string().optional(),
});
export type RegistryAuth = z.infer<typeof registryAuthSchema>;

export const buildOptionsObjectSchema = z.object({
  /** The folder sent as the build context (packed as a tar while it is sent). */
  contextDir: z.string().min(1).optional(),
  /**
   * Or: a tar file that already is the context (e.g. an upload the server kept as it came), sent
   * to the engine as it is; `dockerfile` is then the Dockerfile's path inside it. The engine does
   * not apply .dockerignore to it: leave ignored files out first (filterContextTar).
   */
  contextTar: z.string().min(1).optional(),
  /** The Dockerfile's text, needed with `contextTar` (steps are matched to its lines). */
  dockerfileText: z.string().optional(),
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
  /** After a successful build, push every tag (each names its registry, e.g. host:5000/app:1). */
  push: z.boolean().default(false),
  /** Credentials for the push (sent to the engine as X-Registry-Auth). */
  registryAuth: registryAuthSchema.optional(),
  /** Sample the engine's CPU and memory during the build (local engines only). */
  sampleResources: z.boolean().default(true),
  sampleIntervalMs: z.number().int().min(50).default(1_000),
});

export const buildOptionsSchema = buildOptionsObjectSchema
  .refine((options) => !options.push || options.tags.length > 0, {
    message: "push needs at least one tag naming the registry",
    path: ["tags"],
  })
  .refine((options) => (options.contextDir === undefined) !== (options.contextTar === undefined), {
    message: "give either contextDir or contextTar",
    path: ["contextDir"],
  })
  .refine((options) => options.contextTar === undefined || options.dockerfileText !== undefined, {
    message: "contextTar needs dockerfileText",
    path: ["dockerfileText"],
  });

export type BuildEvent =
  | StepEvent
  | { type: "phase"; phase: "sending-context" | "building" }
  | { type: "context"; stats: ContextStats }
  | { type: "phase"; phase: "pushing"; tag: string }
  | { type: "pushed"; tag: string; digest?: string };

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
  /** The context tar is corrupt or has an entry that would leave the context. */
  | "context-invalid"
  | "step-failed"
  | "engine-exited"
  | "engine-error"
  /** A RUN step was OOM-killed: the builder's memory limit (its size) was reached. */
  | "out-of-memory"
  /** No engine for the platform: foreign, with no remote engine and no emulator. */
  | "platform-unsupported"
  | PushError["kind"];

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
  /** The platform built (when one was asked for). */
  platform?: string;
  /** The platform is foreign to the engine, which ran it under QEMU emulation. */
  emulated: boolean;
  /** The engine's CPU and memory during the build (local engines with sampling on). */
  resources?: BuildResources;
  /** Tags pushed, with the manifest digest the registry stored (push: true). */
  pushed?: PushedTag[];
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
    const res = await engineRequest(engine, "GET", `/images/${imageId}/json`, 10_000);
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
    emulated: false,
  };
}

function engineName(engine: EngineTarget): string {
  return engineLabel(engine);
}

/** The engine's own platform: known for local engines, asked of remote ones. */
async function enginePlatform(engine: EngineTarget): Promise<string | undefined> {
  if (engine.nativePlatform) return engine.nativePlatform;
  if (!engine.tls) return hostPlatform();
  try {
    const res = await engineRequest(engine, "GET", "/version", 10_000);
    const version = z.object({ Os: z.string(), Arch: z.string() }).parse(JSON.parse(res.body));
    return normalizePlatform(`${version.Os}/${version.Arch}`);
  } catch {
    return undefined;
  }
}

function samplerFor(
  engine: EngineTarget,
  options: { sampleResources: boolean; sampleIntervalMs: number },
): ResourceSampler | undefined {
  if (!options.sampleResources || engine.tls) return undefined;
  if (engine.cgroup) {
    return startResourceSampler({ cgroup: engine.cgroup }, options.sampleIntervalMs);
  }
  if (engine.pid !== undefined && engine.paths) {
    return startResourceSampler(
      { pid: engine.pid, marker: engine.paths.execRoot },
      options.sampleIntervalMs,
    );
  }
  return undefined;
}

type ParsedBuildOptions = z.output<typeof buildOptionsSchema>;

/** The context as a stream for the engine, with its stats once it has been read. */
interface PreparedContext {
  packed: { stream: Readable; dockerfileName: string; stats: () => ContextStats };
  dockerfileText: string;
}

/** A folder: packed as a tar (honouring .dockerignore) while it is sent. */
async function folderContext(
  dir: string,
  parsed: ParsedBuildOptions,
): Promise<PreparedContext | { error: BuildError }> {
  const contextDir = resolve(dir);
  const contextInfo = await stat(contextDir).catch(() => undefined);
  if (!contextInfo?.isDirectory()) {
    return {
      error: {
        kind: "context-missing",
        message: `the build context ${contextDir} does not exist or is not a folder`,
      },
    };
  }
  const dockerfilePath = resolve(contextDir, parsed.dockerfile);
  let dockerfileText: string;
  try {
    const info = await stat(dockerfilePath);
    if (!info.isFile()) throw new Error("not a file");
    dockerfileText = await readFile(dockerfilePath, "utf8");
  } catch {
    return {
      error: {
        kind: "dockerfile-missing",
        message: `no Dockerfile at ${parsed.dockerfile} (looked for ${dockerfilePath})`,
      },
    };
  }
  const packed = await packContext({
    contextDir,
    dockerfilePath,
    ...(parsed.maxContextBytes > 0 && { maxBytes: parsed.maxContextBytes }),
  });
  return {
    packed: {
      stream: packed.stream,
      dockerfileName: packed.dockerfileName,
      stats: () => packed.stats,
    },
    dockerfileText,
  };
}

/**
 * A tar file that is the context: streamed to the engine as it is (no unpacking and packing
 * again), its headers read on the way for the stats, the size limit and unsafe paths.
 */
async function tarContext(
  path: string,
  parsed: ParsedBuildOptions,
): Promise<PreparedContext | { error: BuildError }> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    return {
      error: { kind: "context-missing", message: `the build context tar ${path} does not exist` },
    };
  }
  const dockerfileName = parsed.dockerfile;
  const scanner = new ContextTarScanner({
    ...(parsed.maxContextBytes > 0 && { maxBytes: parsed.maxContextBytes }),
  });
  const source = createReadStream(path, { highWaterMark: 1024 * 1024 });
  source.on("error", (error) => scanner.destroy(error));
  scanner.on("close", () => source.destroy());
  source.pipe(scanner);
  return {
    packed: {
      stream: scanner,
      dockerfileName,
      // what the engine got: it does not apply .dockerignore to a tar (see filterContextTar)
      stats: () => scanner.stats(),
    },
    dockerfileText: parsed.dockerfileText ?? "",
  };
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
  const platform = parsed.platform ? normalizePlatform(parsed.platform) : undefined;
  let emulated = false;
  let sampler: ResourceSampler | undefined;
  let resources: BuildResources | undefined;
  let stopping: Promise<BuildResources> | undefined;
  let pushed: PushedTag[] | undefined;
  let durationMs: number | undefined;

  const finish = async (
    result: Pick<BuildSummary, "status"> & { error?: BuildError; imageId?: string },
  ): Promise<BuildSummary> => {
    const steps = tracker?.steps ?? [];
    const numbered = tracker?.dockerfileSteps ?? [];
    const cachedStepCount = numbered.filter((step) => step.cached).length;
    // the build's time ends with the engine's stream; the image inspect and push are not part of it
    durationMs ??= Math.round(performance.now() - started);
    stopping ??= sampler?.stop();
    sampler = undefined;
    // both ask something of the engine or the kernel: at once
    const [stopped, size] = await Promise.all([
      stopping,
      result.imageId ? imageSize(engine, result.imageId) : undefined,
    ]);
    if (stopped) resources = stopped;
    let error = result.error;
    if (error?.kind === "step-failed" && resources?.oomKilled) {
      const limit = resources.limits?.memoryBytes;
      error = {
        ...error,
        kind: "out-of-memory",
        message: `${error.message} (a process was killed for memory${
          limit ? `: the builder's limit is ${Math.round(limit / 1024 ** 2)} MiB` : ""
        })`,
      };
    }
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
      ...(error && { error }),
      ...(contextStats && { context: contextStats }),
      warnings: tracker?.warnings.map((warning) => warning.message) ?? [],
      ...(platform && { platform }),
      emulated,
      ...(resources && { resources }),
      ...(pushed && { pushed }),
    };
  };

  if (signal?.aborted) return finish({ status: "canceled" });

  if (platform) {
    const native = await enginePlatform(engine);
    if (native && !isNativePlatform(platform, native)) {
      emulated = true;
      // a local engine can only run a foreign platform's RUN steps through the host's binfmt
      if (!engine.tls && !emulationAvailable(platform)) {
        return finish({
          status: "failed",
          error: {
            kind: "platform-unsupported",
            message: new PlatformUnsupportedError(platform, native).message,
          },
        });
      }
    }
  }

  const prepared = parsed.contextTar
    ? await tarContext(parsed.contextTar, parsed)
    : await folderContext(parsed.contextDir ?? "", parsed);
  if ("error" in prepared) return finish({ status: "failed", error: prepared.error });
  tracker = new StepTracker({ dockerfile: prepared.dockerfileText, ...(onEvent && { onEvent }) });
  const packed = prepared.packed;
  let contextError: Error | undefined;
  packed.stream.on("error", (error) => {
    contextError = error;
  });
  packed.stream.on("end", () => {
    contextStats = packed.stats();
    onEvent?.({ type: "context", stats: contextStats });
  });

  onEvent?.({ type: "phase", phase: "sending-context" });
  sampler = samplerFor(engine, parsed);
  const query = buildQuery(parsed, packed.dockerfileName, buildId);
  const { request, response } = engineStream(engine, {
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
    engineRequest(engine, "POST", `/build/cancel?id=${encodeURIComponent(buildId)}`).catch(
      () => undefined,
    );
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
    contextStats ??= packed.stats();
    durationMs = Math.round(performance.now() - started);
    // the samples cover the build, not the push after it
    stopping = sampler?.stop();
    sampler = undefined;
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
        kind: tooLarge
          ? "context-too-large"
          : contextError instanceof InvalidContextTarError
            ? "context-invalid"
            : "context-unreadable",
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
  if (parsed.push) {
    const result = await pushImage(engine, {
      tags: parsed.tags,
      ...(parsed.registryAuth && { auth: parsed.registryAuth }),
      ...(signal && { signal }),
      onEvent: (event) => onEvent?.(event),
    });
    pushed = result.pushed;
    if (result.canceled) return finish({ status: "canceled", imageId });
    if (result.error) {
      return finish({
        status: "failed",
        imageId,
        error: { kind: result.error.kind, message: result.error.message },
      });
    }
  }
  return finish({ status: "succeeded", imageId });
}
