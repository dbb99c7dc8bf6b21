import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { cacheUsage } from "./cache.ts";
import { isProcessAlive, startEngine } from "./engine.ts";
import { enginePaths } from "./paths.ts";
import { BuilderPool, type PoolEvent } from "./pool.ts";
import { makeContext, processesMatching, waitUntil } from "./testing.ts";

const PLATFORM = "linux/amd64";

describe("BuilderPool on real engines", () => {
  let stateDir: string;
  let pool: BuilderPool | undefined;
  let orphanPid = 0;
  const events: PoolEvent[] = [];
  const ctx = (run: string) =>
    makeContext({ Dockerfile: `FROM slipway/busybox:1\nRUN ${run}\n` }, stateDir);
  const thePool = () => {
    if (!pool) throw new Error("pool did not start");
    return pool;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-pool-"));
    // an engine a previous run left behind
    const orphan = await startEngine({ stateDir, engineId: "old-x-clone-1", platform: PLATFORM });
    orphanPid = orphan.pid;
    pool = await BuilderPool.start({
      stateDir,
      settings: {
        autoscalingEnabled: true,
        buildsPerBuilder: 1,
        maxBuilders: 3,
        cloneIdleStopMs: 300,
      },
      prepareEngine: (engine) => ensureBaseImage(engine),
      onEvent: (event) => events.push(event),
    });
  });

  afterAll(async () => {
    await pool?.close();
    if (orphanPid && isProcessAlive(orphanPid)) process.kill(orphanPid, "SIGKILL");
    await rm(stateDir, { recursive: true, force: true });
  });

  it("stops engines left by a previous run and deletes their clone folders", () => {
    expect(isProcessAlive(orphanPid)).toBe(false);
    expect(events).toContainEqual({
      type: "orphan-stopped",
      engineId: "old-x-clone-1",
      pid: orphanPid,
    });
    expect(existsSync(enginePaths(stateDir, "old-x-clone-1").dir)).toBe(false);
  });

  it("scales out to clones seeded from the main's cache, never writing back to it", async () => {
    const p = thePool();
    const warm = await p.submit({
      projectId: "acme/web",
      platform: PLATFORM,
      build: { contextDir: await ctx("echo warm-up") },
    }).result;
    expect(warm).toMatchObject({ status: "succeeded", engineKind: "main" });
    // the idle main is copied to a snapshot for clones
    expect(await waitUntil(() => p.status().snapshots.length === 1, 30_000)).toBe(true);
    const main = await p.mainEngine("acme/web", PLATFORM);
    if (!main) throw new Error("no main engine");
    const before = await cacheUsage(main);

    const commands = ["echo job-a && sleep 2", "echo job-b && sleep 2", "echo job-c && sleep 2"];
    const contexts = await Promise.all(commands.map(ctx));
    const builds = contexts.map((contextDir) =>
      p.submit({ projectId: "acme/web", platform: PLATFORM, build: { contextDir } }),
    );
    expect(await waitUntil(() => p.status().engines.length === 3, 20_000)).toBe(true);
    const engines = p.status().engines;
    expect(engines.filter((engine) => engine.kind === "clone")).toHaveLength(2);
    for (const clone of engines.filter((engine) => engine.kind === "clone")) {
      expect(clone.seededFrom).toMatch(/^snapshot of /);
    }
    const results = await Promise.all(builds.map((build) => build.result));
    for (const result of results) expect(result.status).toBe("succeeded");
    expect(new Set(results.map((result) => result.engineId)).size).toBe(3);

    // idle clones stop and their folders go
    expect(await waitUntil(() => p.status().engines.length === 1, 15_000)).toBe(true);
    const cloneIds = engines.filter((e) => e.kind === "clone").map((e) => e.id);
    expect(
      await waitUntil(
        () => cloneIds.every((id) => !existsSync(enginePaths(stateDir, id).dir)),
        10_000,
      ),
    ).toBe(true);

    // the main's cache holds what it had plus its own build, nothing from the clones' builds
    const after = await cacheUsage(main);
    const beforeIds = new Set(before.records.map((record) => record.id));
    for (const id of beforeIds) expect(after.records.map((record) => record.id)).toContain(id);
    const onMainIndex = results.findIndex((result) => result.engineKind === "main");
    expect(onMainIndex).toBeGreaterThanOrEqual(0);
    const mainCommand = commands[onMainIndex] ?? "";
    const added = after.records.filter((record) => !beforeIds.has(record.id));
    for (const record of added) {
      for (const command of commands.filter((c) => c !== mainCommand)) {
        expect(record.description ?? "").not.toContain(command);
      }
    }
  });

  it("queues on the main builder without autoscaling; a crashed engine fails its build and is restarted", async () => {
    const p = thePool();
    p.setProjectSettings("acme/api", { autoscalingEnabled: false });
    // what each build was told of its place, in order
    const told: string[][] = [[], [], []];
    const onQueue = (i: number) => (state: { state: string; position?: number }) =>
      told[i]?.push(state.state === "queued" ? `queued ${state.position}` : "running");
    const slow = p.submit({
      projectId: "acme/api",
      platform: PLATFORM,
      build: { contextDir: await ctx("sleep 47") },
      onQueue: onQueue(0),
    });
    const next = p.submit({
      projectId: "acme/api",
      platform: PLATFORM,
      build: { contextDir: await ctx("echo after-crash") },
      onQueue: onQueue(1),
    });
    const third = p.submit({
      projectId: "acme/api",
      platform: PLATFORM,
      build: { contextDir: await ctx("echo third-in-line") },
      onQueue: onQueue(2),
    });
    expect(slow.queuePosition).toBeUndefined();
    expect(next.queuePosition).toBe(1);
    expect(third.queuePosition).toBe(2);
    expect(p.status().queued).toMatchObject([
      { buildId: next.buildId, position: 1 },
      { buildId: third.buildId, position: 2 },
    ]);

    expect(
      await waitUntil(async () => (await processesMatching("sleep 47")).length > 0, 20_000),
    ).toBe(true);
    const main = p.status().engines.find((e) => e.projectId === "acme/api" && e.kind === "main");
    if (!main?.pid) throw new Error("no main engine for acme/api");
    process.kill(main.pid, "SIGKILL");

    const failed = await slow.result;
    expect(failed.status).toBe("failed");
    expect(failed.error?.kind).toBe("engine-exited");
    expect(failed.error?.message).toContain(`builder engine ${main.id} exited during the build`);
    const recovered = await next.result;
    expect(recovered.error).toBeUndefined();
    expect(recovered.status).toBe("succeeded");
    expect(recovered.engineId).toBe(main.id);
    expect((await third.result).status).toBe("succeeded");
    expect(told).toEqual([
      ["running"],
      ["queued 1", "running"],
      ["queued 2", "queued 1", "running"],
    ]);
    // the killed engine's step process did not outlive it
    expect(await processesMatching("sleep 47")).toEqual([]);
  });

  it("prunes an idle main's records unused for longer than the project's retention", async () => {
    const p = thePool();
    const project = "acme/retained";
    const marker = `${Date.now()}`;
    p.setProjectSettings(project, { cacheRetentionMs: 3_000 });
    const build = async (name: string) => {
      const result = await p.submit({
        projectId: project,
        platform: PLATFORM,
        build: { contextDir: await ctx(`echo ${name}-${marker}`) },
      }).result;
      expect(result.status).toBe("succeeded");
      return result.engineId;
    };
    const main = await build("first");
    const engine = await p.mainEngine(project, PLATFORM);
    if (!engine) throw new Error(`no main engine for ${project}`);
    const firstRecords = async () =>
      (await cacheUsage(engine)).records.filter((r) => r.description?.includes(`first-${marker}`));
    expect(await firstRecords()).not.toEqual([]);
    // past the retention, the next idle moment prunes the first build's records
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await build("second")).toBe(main);
    expect(
      await waitUntil(
        () =>
          events.some(
            (e) => e.type === "cache-pruned" && e.engineId === main && e.reason === "retention",
          ),
        30_000,
      ),
    ).toBe(true);
    expect(
      events.find(
        (e) => e.type === "cache-pruned" && e.engineId === main && e.reason === "retention",
      ),
    ).toMatchObject({ retentionMs: 3_000 });
    expect(await firstRecords()).toEqual([]);
  });

  it("prunes an idle main's cache down to the project's cache size limit", async () => {
    const p = thePool();
    p.setProjectSettings("acme/worker", { cacheSizeLimitBytes: 1 });
    const built = await p.submit({
      projectId: "acme/worker",
      platform: PLATFORM,
      // a layer of a few megabytes, so the cache is certainly over a 1-byte limit
      build: { contextDir: await ctx("dd if=/dev/zero of=/blob bs=1M count=4") },
    }).result;
    expect(built.status).toBe("succeeded");
    const main = built.engineId;
    expect(
      await waitUntil(
        () => events.some((e) => e.type === "cache-pruned" && e.engineId === main),
        30_000,
      ),
    ).toBe(true);
    const pruned = events.find((e) => e.type === "cache-pruned" && e.engineId === main);
    expect(pruned).toMatchObject({ reason: "size-limit", limitBytes: 1 });
    const engine = await p.mainEngine("acme/worker", PLATFORM);
    if (!engine) throw new Error("no main engine for acme/worker");
    // Only what BuildKit may not prune is left: records an image or a running build holds.
    const left = (await cacheUsage(engine)).records;
    expect(left.filter((record) => !record.inUse && !record.shared)).toEqual([]);
  });
});
