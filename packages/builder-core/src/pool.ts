import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { type BuildOptions, type BuildSummary, runBuild, summaryWithoutEngine } from "./build.ts";
import { type CacheUsage, cacheUsage, enforceCacheLimit, enforceCacheRetention } from "./cache.ts";
import {
  cleanupEngineFolders,
  type EngineHandle,
  engineMetaSchema,
  isProcessAlive,
  startEngine,
  stopEngine,
} from "./engine.ts";
import type { EngineTls } from "./engine-api.ts";
import { buildersDir, enginePaths } from "./paths.ts";
import { normalizePlatform, type PlatformRoute, routePlatform } from "./platform.ts";
import { builderSizeSchema, type EngineCgroup } from "./resources.ts";

export const poolSettingsSchema = z.object({
  /** Start clone engines when every engine of a project+platform is full. */
  autoscalingEnabled: z.boolean().default(false),
  /** Builds one engine runs at once. */
  buildsPerBuilder: z.number().int().min(1).default(1),
  /** Engines per project+platform, the main one included. */
  maxBuilders: z.number().int().min(1).default(3),
  /** A clone with no build for this long is stopped and deleted. */
  cloneIdleStopMs: z.number().int().nonnegative().default(60_000),
  /** A main engine with no build for this long is stopped (its cache stays on disk). */
  mainIdleStopMs: z
    .number()
    .int()
    .nonnegative()
    .default(15 * 60_000),
  /** CPU and memory limits of each local engine (see BUILDER_SIZES), and its cache GC target. */
  builderSize: builderSizeSchema.default("medium"),
  /**
   * The project's cache size limit: when the main engine goes idle, its cache is pruned
   * (least recently used first) down to this size, before the snapshot clones start from.
   */
  cacheSizeLimitBytes: z.number().int().positive().optional(),
  /**
   * The project's cache retention: when the main engine goes idle, records not used for longer
   * than this are pruned (before the size limit is applied, and before the snapshot).
   */
  cacheRetentionMs: z.number().int().positive().optional(),
});
export type PoolSettings = z.output<typeof poolSettingsSchema>;
export type PoolSettingsInput = z.input<typeof poolSettingsSchema>;

export interface BuilderPoolOptions {
  stateDir: string;
  /** Defaults for every project. */
  settings?: PoolSettingsInput;
  /** Runs on each engine once it answers, before its first build (e.g. ensureBaseImage). */
  prepareEngine?: (engine: EngineHandle) => Promise<unknown>;
  onEvent?: (event: PoolEvent) => void;
  /** Engines on other machines that build their platform natively (see registerRemoteEngine). */
  remoteEngines?: RemoteEngine[];
}

/** A dockerd on another machine, reached over TCP with client certificates. */
export interface RemoteEngine {
  id: string;
  /** The platform it builds natively, e.g. linux/arm64. */
  platform: string;
  tls: EngineTls;
  /** Builds it runs at once, across projects (default 2); more wait in their queues. */
  maxConcurrentBuilds?: number;
}

export type PoolEvent =
  | { type: "engine-started"; engineId: string; kind: EngineKind; seededFrom: string }
  | { type: "engine-stopped"; engineId: string; kind: EngineKind; reason: string }
  | { type: "snapshot"; key: string; takenAt: string; durationMs: number }
  | {
      type: "cache-pruned";
      engineId: string;
      /** size-limit: down to `limitBytes`; retention: records unused for over `retentionMs`. */
      reason: "size-limit" | "retention";
      limitBytes?: number;
      retentionMs?: number;
      reclaimedBytes: number;
    }
  | { type: "orphan-stopped"; engineId: string; pid: number };

export type EngineKind = "main" | "clone";

export interface PoolBuildRequest {
  projectId: string;
  /** e.g. linux/amd64: builds are scheduled per project and platform. */
  platform: string;
  build: BuildOptions;
  /**
   * Called whenever the build's place changes: `queued` with its position (1 = next) each time
   * that changes, then `running` once it has a builder (possibly still starting).
   */
  onQueue?: (
    state: { state: "queued"; position: number } | { state: "running"; engineId: string },
  ) => void;
}

export interface PoolBuildResult extends BuildSummary {
  engineId?: string;
  engineKind?: EngineKind | "remote";
  /** native: a local engine; remote: a registered remote engine; emulated: local, under QEMU. */
  route?: PlatformRoute<RemoteEngine>["kind"];
  /** Time spent waiting in the queue and for the engine to start. */
  queuedMs: number;
}

export interface PoolBuild {
  buildId: string;
  result: Promise<PoolBuildResult>;
  readonly state: "queued" | "running" | "done";
  /** 1-based position in its project+platform queue while queued. */
  readonly queuePosition: number | undefined;
  readonly engineId: string | undefined;
}

interface Job {
  buildId: string;
  group: Group;
  options: BuildOptions;
  onQueue?: PoolBuildRequest["onQueue"];
  /** The position last reported through onQueue. */
  reportedPosition?: number;
  state: "queued" | "running" | "done";
  engine?: PoolEngine;
  submittedAt: number;
  resolve: (result: PoolBuildResult) => void;
}

interface PoolEngine {
  id: string;
  kind: EngineKind;
  group: Group;
  ready: Promise<EngineHandle>;
  handle?: EngineHandle;
  running: Set<Job>;
  retired: boolean;
  seededFrom: string;
  idleTimer?: NodeJS.Timeout;
}

interface Snapshot {
  dir: string;
  takenAt: string;
}

interface Group {
  key: string;
  projectId: string;
  platform: string;
  slug: string;
  engines: PoolEngine[];
  queue: Job[];
  cloneCounter: number;
  /** The main's cache copy that clones start from. */
  snapshot?: Snapshot;
  /** A copy under way: invalidated (and its cp killed) when the main starts a build. */
  copying?: { child: ChildProcess; invalid: boolean };
  /** The main ran builds since the last snapshot. */
  dirty: boolean;
  /** Set while a retired main cleans up, so its successor waits for the folders. */
  mainRetiring?: Promise<void>;
  route: PlatformRoute<RemoteEngine>;
}

export interface PoolStatus {
  engines: {
    id: string;
    projectId: string;
    platform: string;
    kind: EngineKind;
    state: "starting" | "ready";
    runningBuilds: number;
    pid?: number;
    seededFrom: string;
  }[];
  queued: { buildId: string; projectId: string; platform: string; position: number }[];
  snapshots: { projectId: string; platform: string; takenAt: string }[];
  remotes: { id: string; platform: string; runningBuilds: number }[];
}

function slugify(value: string): string {
  const readable = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24);
  const digest = createHash("sha256").update(value).digest("hex").slice(0, 6);
  return `${readable || "x"}-${digest}`;
}

/** Copies a folder (reflink where the filesystem can); the child is returned to be killable. */
function copyTree(from: string, to: string): { child: ChildProcess; done: Promise<void> } {
  const child = spawn("cp", ["-a", "--reflink=auto", from, to], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`cp ${from} failed (${code ?? signal}): ${stderr.trim()}`)),
    );
  });
  return { child, done };
}

/**
 * Schedules builds on engines per (project, platform). Each has one MAIN engine whose data root is
 * the project's persistent cache. With autoscaling on, when every engine runs `buildsPerBuilder`
 * builds, CLONE engines (up to `maxBuilders` in all) start from a copy of the main's cache.
 *
 * Clone seeding: a copy is only consistent while the main is not building, and clones are needed
 * precisely when the main is busy. So the pool keeps a SNAPSHOT of the main's data root, copied
 * each time the main goes idle after building (the copy is discarded if a build starts on the main
 * before it finishes, keeping the previous one), and clones start from the latest snapshot. A clone
 * needed before any snapshot exists starts with an empty cache. Clones are never written back:
 * they are stopped and deleted after `cloneIdleStopMs` without builds.
 */
export class BuilderPool {
  readonly #options: BuilderPoolOptions;
  readonly #defaults: PoolSettings;
  readonly #projectSettings = new Map<string, PoolSettings>();
  readonly #groups = new Map<string, Group>();
  readonly #remotes = new Map<string, { remote: RemoteEngine; running: number }>();
  #closed = false;

  private constructor(options: BuilderPoolOptions) {
    this.#options = options;
    this.#defaults = poolSettingsSchema.parse(options.settings ?? {});
    for (const remote of options.remoteEngines ?? []) this.registerRemoteEngine(remote);
  }

  /**
   * Builds for the remote's platform go to it from now on (groups already routed elsewhere keep
   * their route until the pool restarts).
   */
  registerRemoteEngine(remote: RemoteEngine): void {
    this.#remotes.set(remote.id, { remote, running: 0 });
  }

  /** One build per platform, in parallel, each on its own platform's builders. */
  submitMany(request: Omit<PoolBuildRequest, "platform"> & { platforms: string[] }): PoolBuild[] {
    return request.platforms.map((platform) =>
      this.submit({
        projectId: request.projectId,
        platform,
        build: { ...request.build, buildId: undefined },
      }),
    );
  }

  /** Creates a pool after stopping the engines a previous run left behind. */
  static async start(options: BuilderPoolOptions): Promise<BuilderPool> {
    const pool = new BuilderPool(options);
    await pool.#cleanOrphans();
    return pool;
  }

  setProjectSettings(projectId: string, settings: PoolSettingsInput): void {
    this.#projectSettings.set(projectId, poolSettingsSchema.parse(settings));
    for (const group of this.#groups.values()) {
      if (group.projectId === projectId) this.#pump(group);
    }
  }

  settingsFor(projectId: string): PoolSettings {
    return this.#projectSettings.get(projectId) ?? this.#defaults;
  }

  submit(request: PoolBuildRequest): PoolBuild {
    if (this.#closed) throw new Error("the builder pool is closed");
    const projectId = z.string().min(1).parse(request.projectId);
    const platform = normalizePlatform(z.string().min(1).parse(request.platform));
    const buildId = request.build.buildId ?? randomUUID();
    let resolve!: (result: PoolBuildResult) => void;
    const result = new Promise<PoolBuildResult>((r) => {
      resolve = r;
    });
    let group: Group;
    try {
      group = this.#group(projectId, platform);
    } catch (error) {
      // nothing can build this platform: the build fails at once, naming it
      const message = error instanceof Error ? error.message : String(error);
      resolve({
        ...summaryWithoutEngine(buildId, "failed", { kind: "platform-unsupported", message }),
        platform,
        queuedMs: 0,
      });
      return { buildId, result, state: "done", queuePosition: undefined, engineId: undefined };
    }
    const job: Job = {
      buildId,
      group,
      options: { ...request.build, buildId, platform: request.build.platform ?? platform },
      state: "queued",
      submittedAt: performance.now(),
      resolve,
      ...(request.onQueue && { onQueue: request.onQueue }),
    };
    const signal = request.build.signal;
    signal?.addEventListener(
      "abort",
      () => {
        if (job.state !== "queued") return; // a running build is canceled by runBuild
        group.queue.splice(group.queue.indexOf(job), 1);
        this.#finish(job, summaryWithoutEngine(buildId, "canceled"));
        this.#reportQueue(group);
      },
      { once: true },
    );
    group.queue.push(job);
    this.#pump(group);
    this.#reportQueue(group);
    return {
      buildId,
      result,
      get state() {
        return job.state;
      },
      get queuePosition() {
        return job.state === "queued" ? group.queue.indexOf(job) + 1 : undefined;
      },
      get engineId() {
        return job.engine?.id;
      },
    };
  }

  status(): PoolStatus {
    const groups = [...this.#groups.values()];
    return {
      engines: groups.flatMap((group) =>
        group.engines.map((engine) => ({
          id: engine.id,
          projectId: group.projectId,
          platform: group.platform,
          kind: engine.kind,
          state: engine.handle ? ("ready" as const) : ("starting" as const),
          runningBuilds: engine.running.size,
          ...(engine.handle && { pid: engine.handle.pid }),
          seededFrom: engine.seededFrom,
        })),
      ),
      queued: groups.flatMap((group) =>
        group.queue.map((job, index) => ({
          buildId: job.buildId,
          projectId: group.projectId,
          platform: group.platform,
          position: index + 1,
        })),
      ),
      remotes: [...this.#remotes.values()].map(({ remote, running }) => ({
        id: remote.id,
        platform: normalizePlatform(remote.platform),
        runningBuilds: running,
      })),
      snapshots: groups.flatMap((group) =>
        group.snapshot
          ? [
              {
                projectId: group.projectId,
                platform: group.platform,
                takenAt: group.snapshot.takenAt,
              },
            ]
          : [],
      ),
    };
  }

  /** The main engine of a project+platform, once started (for cache reports). */
  async mainEngine(projectId: string, platform: string): Promise<EngineHandle | undefined> {
    const main = this.#groups
      .get(`${projectId}\n${platform}`)
      ?.engines.find((engine) => engine.kind === "main");
    return main ? main.ready.catch(() => undefined) : undefined;
  }

  /** Cancels queued builds, waits for none, stops every engine and deletes the clones. */
  async close(): Promise<void> {
    this.#closed = true;
    const stops: Promise<void>[] = [];
    for (const group of this.#groups.values()) {
      for (const job of group.queue.splice(0)) {
        this.#finish(job, summaryWithoutEngine(job.buildId, "canceled"));
      }
      if (group.copying) {
        group.copying.invalid = true;
        group.copying.child.kill("SIGKILL");
      }
      for (const engine of [...group.engines]) stops.push(this.#retire(engine, "pool closed"));
    }
    await Promise.all(stops);
  }

  #group(projectId: string, platform: string): Group {
    const key = `${projectId}\n${platform}`;
    let group = this.#groups.get(key);
    if (!group) {
      const remotes = [...this.#remotes.values()].map((entry) => entry.remote);
      group = {
        route: routePlatform(platform, remotes),
        key,
        projectId,
        platform,
        slug: `${slugify(projectId)}-${platform.replace(/[^a-z0-9]+/gi, "").toLowerCase()}`,
        engines: [],
        queue: [],
        cloneCounter: 0,
        dirty: true,
      };
      const snapshotDir = this.#snapshotDir(group);
      if (existsSync(snapshotDir)) {
        group.snapshot = { dir: snapshotDir, takenAt: "before this pool started" };
      }
      this.#groups.set(key, group);
    }
    return group;
  }

  #snapshotDir(group: Group): string {
    return join(this.#options.stateDir, "snapshots", group.slug, "data");
  }

  /** Tells each waiting build of the group its position, when it changed since last told. */
  #reportQueue(group: Group): void {
    for (const [index, job] of group.queue.entries()) {
      if (job.reportedPosition === index + 1) continue;
      job.reportedPosition = index + 1;
      job.onQueue?.({ state: "queued", position: index + 1 });
    }
  }

  #pump(group: Group): void {
    if (this.#closed) return;
    const before = group.queue.length;
    this.#pumpQueue(group);
    if (group.queue.length !== before) this.#reportQueue(group);
  }

  #pumpQueue(group: Group): void {
    if (group.route.kind === "remote") {
      const entry = this.#remotes.get(group.route.remote.id);
      while (entry && group.queue.length > 0) {
        if (entry.running >= (entry.remote.maxConcurrentBuilds ?? 2)) break;
        const job = group.queue.shift();
        if (job) this.#runRemote(entry, job);
      }
      return;
    }
    const settings = this.settingsFor(group.projectId);
    while (group.queue.length > 0) {
      const candidates = group.engines
        .filter((engine) => !engine.retired && engine.running.size < settings.buildsPerBuilder)
        .sort((a, b) =>
          a.kind === b.kind ? a.running.size - b.running.size : a.kind === "main" ? -1 : 1,
        );
      let engine = candidates[0];
      if (!engine) {
        const main = group.engines.find((candidate) => candidate.kind === "main");
        if (!main) engine = this.#startMain(group);
        else if (settings.autoscalingEnabled && group.engines.length < settings.maxBuilders) {
          engine = this.#startClone(group);
        } else break;
      }
      const job = group.queue.shift();
      if (!job) break;
      this.#run(engine, job);
    }
  }

  #launch(
    group: Group,
    id: string,
    kind: EngineKind,
    seededFrom: string,
    before: () => Promise<void>,
  ) {
    const engine: PoolEngine = {
      id,
      kind,
      group,
      running: new Set(),
      retired: false,
      seededFrom,
      ready: Promise.reject(new Error("not started")),
    };
    engine.ready.catch(() => undefined);
    engine.ready = (async () => {
      await before();
      const handle = await startEngine({
        stateDir: this.#options.stateDir,
        engineId: id,
        platform: group.platform,
        size: this.settingsFor(group.projectId).builderSize,
      });
      engine.handle = handle;
      try {
        await this.#options.prepareEngine?.(handle);
      } catch (error) {
        await stopEngine(handle);
        throw error;
      }
      this.#options.onEvent?.({ type: "engine-started", engineId: id, kind, seededFrom });
      if (engine.retired) await stopEngine(handle);
      return handle;
    })();
    engine.ready.catch(() => undefined);
    group.engines.push(engine);
    return engine;
  }

  #startMain(group: Group): PoolEngine {
    const id = `${group.slug}-main`;
    const retiring = group.mainRetiring;
    return this.#launch(group, id, "main", "own cache", async () => {
      await retiring;
    });
  }

  #startClone(group: Group): PoolEngine {
    group.cloneCounter += 1;
    const id = `${group.slug}-clone-${group.cloneCounter}`;
    const snapshot = group.snapshot;
    const dataRoot = enginePaths(this.#options.stateDir, id).dataRoot;
    return this.#launch(
      group,
      id,
      "clone",
      snapshot ? `snapshot of ${snapshot.takenAt}` : "empty cache (no snapshot yet)",
      async () => {
        await rm(enginePaths(this.#options.stateDir, id).dir, { recursive: true, force: true });
        if (snapshot) {
          await mkdir(join(dataRoot, ".."), { recursive: true });
          await copyTree(snapshot.dir, dataRoot).done;
        }
      },
    );
  }

  #runRemote(entry: { remote: RemoteEngine; running: number }, job: Job): void {
    job.state = "running";
    job.onQueue?.({ state: "running", engineId: entry.remote.id });
    entry.running += 1;
    const { remote } = entry;
    void (async () => {
      const summary = await runBuild({ id: remote.id, tls: remote.tls }, job.options).catch(
        (error: unknown) =>
          summaryWithoutEngine(job.buildId, "failed", {
            kind: "engine-error",
            message: `remote engine ${remote.id}: ${error instanceof Error ? error.message : String(error)}`,
          }),
      );
      entry.running -= 1;
      this.#finish(job, summary, { engineId: remote.id, engineKind: "remote" });
      // the remote is shared: every group routed to it may have a build waiting
      for (const group of this.#groups.values()) {
        if (group.route.kind === "remote" && group.route.remote.id === remote.id) this.#pump(group);
      }
    })();
  }

  #run(engine: PoolEngine, job: Job): void {
    job.state = "running";
    job.engine = engine;
    job.onQueue?.({ state: "running", engineId: engine.id });
    engine.running.add(job);
    clearTimeout(engine.idleTimer);
    const group = engine.group;
    if (engine.kind === "main") {
      group.dirty = true;
      if (group.copying) {
        group.copying.invalid = true;
        group.copying.child.kill("SIGKILL");
      }
    }
    void (async () => {
      let summary: BuildSummary;
      try {
        const handle = await engine.ready;
        if (!isProcessAlive(handle.pid)) {
          summary = summaryWithoutEngine(job.buildId, "failed", {
            kind: "engine-exited",
            message: `builder engine ${engine.id} exited before the build started`,
          });
        } else {
          summary = await runBuild({ ...handle }, job.options);
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        summary = summaryWithoutEngine(job.buildId, "failed", {
          kind: "engine-error",
          message: `builder engine ${engine.id} could not start: ${reason}`,
        });
        if (!engine.retired) void this.#retire(engine, "failed to start");
      }
      engine.running.delete(job);
      if (summary.error?.kind === "engine-exited" && !engine.retired) {
        void this.#retire(engine, "exited during a build");
      }
      this.#finish(job, summary);
      if (!engine.retired && engine.running.size === 0) this.#idle(engine);
      this.#pump(group);
    })();
  }

  #finish(
    job: Job,
    summary: BuildSummary,
    remote?: { engineId: string; engineKind: "remote" },
  ): void {
    job.state = "done";
    job.resolve({
      ...summary,
      ...(job.engine && { engineId: job.engine.id, engineKind: job.engine.kind }),
      ...remote,
      route: job.group.route.kind,
      queuedMs: Math.max(0, Math.round(performance.now() - job.submittedAt - summary.durationMs)),
    });
  }

  #idle(engine: PoolEngine): void {
    const settings = this.settingsFor(engine.group.projectId);
    const delay = engine.kind === "main" ? settings.mainIdleStopMs : settings.cloneIdleStopMs;
    engine.idleTimer = setTimeout(() => {
      if (engine.running.size === 0 && !engine.retired) void this.#retire(engine, "idle");
    }, delay);
    engine.idleTimer.unref();
    if (engine.kind === "main") {
      void this.#keepCacheUnderLimit(engine, settings).then(() => this.#snapshot(engine));
    }
  }

  /**
   * Prunes an idle main engine's cache: records unused for longer than the project's retention,
   * then down to its size limit (least recently used first). Never fails the pool.
   */
  async #keepCacheUnderLimit(main: PoolEngine, settings: PoolSettings): Promise<void> {
    const retention = settings.cacheRetentionMs;
    const limit = settings.cacheSizeLimitBytes;
    if (retention === undefined && limit === undefined) return;
    const idle = () => main.handle && main.running.size === 0 && !main.retired;
    try {
      if (!idle() || !main.handle) return;
      // one read of the cache serves both checks when neither prunes (the usual case)
      let usage: CacheUsage | undefined = await cacheUsage({ ...main.handle });
      if (retention !== undefined && idle()) {
        const result = await enforceCacheRetention({ ...main.handle }, retention, usage);
        if (result.pruned) {
          usage = undefined;
          main.group.dirty = true;
          this.#options.onEvent?.({
            type: "cache-pruned",
            engineId: main.id,
            reason: "retention",
            retentionMs: retention,
            reclaimedBytes: result.reclaimedBytes,
          });
        }
      }
      if (limit === undefined || !idle()) return;
      const result = await enforceCacheLimit({ ...main.handle }, limit, usage);
      if (result.pruned) {
        main.group.dirty = true;
        this.#options.onEvent?.({
          type: "cache-pruned",
          engineId: main.id,
          reason: "size-limit",
          limitBytes: limit,
          reclaimedBytes: result.reclaimedBytes,
        });
      }
    } catch {
      // A prune that fails (engine stopping, busy) is retried at the next idle moment.
    }
  }

  /** Copies the idle main's data root to the group's snapshot, unless a build starts meanwhile. */
  async #snapshot(main: PoolEngine): Promise<void> {
    const group = main.group;
    if (!group.dirty || group.copying || !main.handle || main.running.size > 0) return;
    const started = performance.now();
    const target = this.#snapshotDir(group);
    const temporary = `${target}.partial-${randomUUID().slice(0, 8)}`;
    await mkdir(join(target, ".."), { recursive: true });
    if (main.running.size > 0 || main.retired) return;
    const copy = copyTree(main.handle.paths.dataRoot, temporary);
    const copying = { child: copy.child, invalid: false };
    group.copying = copying;
    group.dirty = false;
    try {
      await copy.done;
      if (copying.invalid) throw new Error("the main engine started a build during the copy");
      await rm(target, { recursive: true, force: true });
      await rename(temporary, target);
      const takenAt = new Date().toISOString();
      group.snapshot = { dir: target, takenAt };
      this.#options.onEvent?.({
        type: "snapshot",
        key: group.key,
        takenAt,
        durationMs: Math.round(performance.now() - started),
      });
    } catch {
      group.dirty = true;
      await rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    } finally {
      if (group.copying === copying) group.copying = undefined;
    }
  }

  /** Stops an engine (crashed, idle or pool closing); a clone's folder is deleted with it. */
  async #retire(engine: PoolEngine, reason: string): Promise<void> {
    if (engine.retired) return;
    engine.retired = true;
    clearTimeout(engine.idleTimer);
    const group = engine.group;
    group.engines.splice(group.engines.indexOf(engine), 1);
    const cleanup = (async () => {
      const handle = engine.handle ?? (await engine.ready.catch(() => undefined));
      if (handle) await stopEngine(handle).catch(() => undefined);
      else {
        // never answered: its process may still be there
        const paths = enginePaths(this.#options.stateDir, engine.id);
        await stopOrphan(paths.dir, engine.id, this.#options.stateDir);
      }
      if (engine.kind === "clone") {
        await rm(enginePaths(this.#options.stateDir, engine.id).dir, {
          recursive: true,
          force: true,
        });
      }
      this.#options.onEvent?.({
        type: "engine-stopped",
        engineId: engine.id,
        kind: engine.kind,
        reason,
      });
    })();
    if (engine.kind === "main") {
      const retiring = cleanup.catch(() => undefined);
      group.mainRetiring = retiring;
      void retiring.then(() => {
        if (group.mainRetiring === retiring) group.mainRetiring = undefined;
      });
    }
    await cleanup;
  }

  /** Engines left by a previous run (engine.json or pid file, process still there) are stopped. */
  async #cleanOrphans(): Promise<void> {
    const root = buildersDir(this.#options.stateDir);
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch {
      return;
    }
    for (const id of entries) {
      const pid = await stopOrphan(join(root, id), id, this.#options.stateDir);
      if (pid !== undefined) this.#options.onEvent?.({ type: "orphan-stopped", engineId: id, pid });
      if (/-clone-\d+$/.test(id)) await rm(join(root, id), { recursive: true, force: true });
    }
    // a snapshot copy that a previous run did not finish is useless
    const snapshots = join(this.#options.stateDir, "snapshots");
    for (const slug of await readdir(snapshots).catch(() => [] as string[])) {
      for (const name of await readdir(join(snapshots, slug)).catch(() => [] as string[])) {
        if (name.includes(".partial-")) {
          await rm(join(snapshots, slug, name), { recursive: true, force: true });
        }
      }
    }
  }
}

/**
 * Stops the dockerd recorded in an engine folder if it still runs (checking that the pid is
 * really that engine's dockerd, not a recycled pid), and releases what it left. Returns its pid.
 */
async function stopOrphan(dir: string, id: string, stateDir: string): Promise<number | undefined> {
  const paths = enginePaths(stateDir, id);
  let pid: number | undefined;
  let cgroup: EngineCgroup | undefined;
  try {
    const meta = engineMetaSchema.parse(JSON.parse(await readFile(paths.metaFile, "utf8")));
    pid = meta.pid;
    cgroup = meta.cgroup;
  } catch {
    const raw = await readFile(paths.pidFile, "utf8").catch(() => "");
    pid = /^\d+/.test(raw.trim()) ? Number.parseInt(raw, 10) : undefined;
  }
  let stopped: number | undefined;
  if (pid !== undefined && isProcessAlive(pid)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(`--data-root=${paths.dataRoot}`)) stopped = pid;
  }
  if (stopped !== undefined) {
    const meta = {
      id,
      platform: "unknown",
      pid: stopped,
      socketPath: paths.socketPath,
      startedAt: "",
      ...(cgroup && { cgroup }),
    };
    await stopEngine({ ...meta, paths }, 5_000);
  } else if (existsSync(dir)) {
    await cleanupEngineFolders(paths, cgroup);
  }
  return stopped;
}
