import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { runBuild } from "./build.ts";
import { type EngineHandle, startEngine, stopEngine } from "./engine.ts";
import { detectCgroups } from "./resources.ts";
import { makeContext } from "./testing.ts";

const MiB = 1024 ** 2;
const cgroups = detectCgroups();

// One engine with a small custom size: CPU and memory are sampled from its cgroup, and its limits
// hold (these machines have cgroup v1 or v2; without either, the proc sampler below still runs).
describe("builder resources: sampling and size limits", () => {
  let stateDir: string;
  let engine: EngineHandle | undefined;
  const target = () => {
    if (!engine) throw new Error("engine did not start");
    return engine;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-res-"));
    engine = await startEngine({
      stateDir,
      engineId: "res-test",
      platform: "linux/amd64",
      size: { cpus: 0.5, memoryBytes: 384 * MiB, cacheKeepBytes: 512 * MiB },
    });
    await ensureBaseImage(engine);
  });

  afterAll(async () => {
    if (engine) await stopEngine(engine);
    await rm(stateDir, { recursive: true, force: true });
  });

  it("samples CPU and memory about once a second; a busy RUN shows CPU use within the size's limit", async () => {
    const contextDir = await makeContext(
      { Dockerfile: "FROM slipway/busybox:1\nRUN timeout 3 sh -c 'while :; do :; done' || true\n" },
      stateDir,
    );
    const summary = await runBuild(target(), { contextDir, noCache: true });
    expect(summary.status).toBe("succeeded");
    const resources = summary.resources;
    if (!resources) throw new Error("no resources in the summary");
    expect(resources.source).toBe(
      cgroups.version === "none" ? "proc" : `cgroup-${cgroups.version}`,
    );
    expect(resources.samples.length).toBeGreaterThanOrEqual(2);
    const busy = resources.samples.filter((sample) => sample.cpuPercent > 10);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(resources.peakMemoryBytes).toBeGreaterThan(0);
    expect(resources.oomKilled).toBe(false);
    if (cgroups.version !== "none") {
      // 0.5 CPU: a spinning loop cannot use more than half a core (some slack for the sampling)
      expect(Math.max(...resources.samples.map((sample) => sample.cpuPercent))).toBeLessThan(70);
      expect(resources.limits).toEqual({ cpus: 0.5, memoryBytes: 384 * MiB });
      // the kernel enforced the quota: some periods were throttled
      const cgroup = target().cgroup;
      const cpuDir = cgroup?.version === "v2" ? cgroup.dirs.unified : cgroup?.dirs.cpu;
      const cpuStat = await readFile(join(cpuDir ?? "", "cpu.stat"), "utf8");
      expect(Number(/^nr_throttled (\d+)$/m.exec(cpuStat)?.[1])).toBeGreaterThan(0);
    }
    // the GC target went to the engine's own daemon config
    const config = JSON.parse(await readFile(join(target().paths.dir, "daemon.json"), "utf8"));
    expect(config).toEqual({ builder: { gc: { enabled: true, defaultKeepStorage: "512MB" } } });
  });

  it.skipIf(cgroups.version === "none")(
    "a RUN over the memory limit is OOM-killed and the summary says so",
    async () => {
      const contextDir = await makeContext(
        {
          Dockerfile: "FROM slipway/busybox:1\nRUN dd if=/dev/zero of=/dev/null bs=600M count=1\n",
        },
        stateDir,
      );
      const summary = await runBuild(target(), { contextDir, noCache: true });
      expect(summary.status).toBe("failed");
      expect(summary.resources?.oomKilled).toBe(true);
      expect(summary.error?.kind).toBe("out-of-memory");
      expect(summary.error?.message).toContain("the builder's limit is 384 MiB");
      expect(summary.error?.step?.dockerfileLine).toBe(2);
      // the engine itself survived
      expect(
        (
          await runBuild(target(), {
            contextDir: await makeContext(
              { Dockerfile: "FROM slipway/busybox:1\nRUN true\n" },
              stateDir,
            ),
          })
        ).status,
      ).toBe("succeeded");
    },
  );

  it.skipIf(cgroups.version === "none")("removes the engine's cgroup when it stops", async () => {
    const cgroup = target().cgroup;
    expect(cgroup).toBeDefined();
    const dirs = Object.values(cgroup?.dirs ?? {});
    expect(dirs.every((dir) => existsSync(dir))).toBe(true);
    await stopEngine(target());
    engine = undefined;
    expect(dirs.some((dir) => existsSync(dir))).toBe(false);
    // and the folders runc made for the RUN containers in the other hierarchies (cpuset, ...)
    expect((cgroup?.otherDirs ?? []).filter((dir) => existsSync(dir))).toEqual([]);
  });

  it("samples the process tree from /proc when the engine has no cgroup", async () => {
    const plain = await startEngine({
      stateDir,
      engineId: "res-proc",
      platform: "linux/amd64",
      cgroups: false,
    });
    try {
      expect(plain.cgroup).toBeUndefined();
      await ensureBaseImage(plain);
      const contextDir = await makeContext(
        {
          Dockerfile: "FROM slipway/busybox:1\nRUN timeout 2 sh -c 'while :; do :; done' || true\n",
        },
        stateDir,
      );
      const summary = await runBuild(plain, { contextDir, noCache: true, sampleIntervalMs: 500 });
      expect(summary.status).toBe("succeeded");
      expect(summary.resources?.source).toBe("proc");
      const peakCpu = Math.max(...(summary.resources?.samples ?? []).map((s) => s.cpuPercent));
      // a loop may get well under a core on a busy 2-core machine
      expect(peakCpu).toBeGreaterThan(10);
      expect(summary.resources?.peakMemoryBytes).toBeGreaterThan(10 * MiB);
    } finally {
      await stopEngine(plain);
    }
  });
});
