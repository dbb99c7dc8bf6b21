import { createHash } from "node:crypto";
import { closeSync, constants, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/**
 * Builder sizes. `cpus` becomes a CFS quota (cgroup v1 cpu.cfs_quota_us, v2 cpu.max) and
 * `memoryBytes` a memory limit (v1 memory.limit_in_bytes, v2 memory.max) on the engine's cgroup,
 * which holds its dockerd, containerd and every RUN container (dockerd's --cgroup-parent points
 * BuildKit's containers inside it). `cacheKeepBytes` is BuildKit's garbage-collection target
 * (daemon config builder.gc.defaultKeepStorage).
 */
export const BUILDER_SIZES = {
  small: { cpus: 1, memoryBytes: 2 * 1024 ** 3, cacheKeepBytes: 10 * 1024 ** 3 },
  medium: { cpus: 2, memoryBytes: 4 * 1024 ** 3, cacheKeepBytes: 25 * 1024 ** 3 },
  large: { cpus: 4, memoryBytes: 8 * 1024 ** 3, cacheKeepBytes: 50 * 1024 ** 3 },
} as const;

export const builderSizeSchema = z.union([
  z.enum(["small", "medium", "large"]),
  z.object({
    cpus: z.number().positive().max(1024),
    memoryBytes: z
      .number()
      .int()
      .min(32 * 1024 ** 2),
    cacheKeepBytes: z.number().int().nonnegative().optional(),
  }),
]);
export type BuilderSize = z.infer<typeof builderSizeSchema>;

export interface BuilderLimits {
  cpus: number;
  memoryBytes: number;
  cacheKeepBytes?: number;
}

export function builderLimits(size: BuilderSize): BuilderLimits {
  return typeof size === "string" ? { ...BUILDER_SIZES[size] } : size;
}

/** Where an engine's cgroup lives (recorded in engine.json so a later run can clean it up). */
export const engineCgroupSchema = z.object({
  version: z.enum(["v1", "v2"]),
  /** The path inside the hierarchy, e.g. /slipway/<engine id>: dockerd's --cgroup-parent. */
  path: z.string().startsWith("/"),
  /** Folders to read and remove: v1 one per controller, v2 the unified one. */
  dirs: z.record(z.string(), z.string()),
  /** v1: the same path in the other hierarchies, where runc creates the RUN containers' too. */
  otherDirs: z.array(z.string()).optional(),
  limits: z.object({ cpus: z.number(), memoryBytes: z.number() }).optional(),
});
export type EngineCgroup = z.infer<typeof engineCgroupSchema>;

const V1_CONTROLLERS = ["cpu", "cpuacct", "memory", "pids"] as const;
const CGROUP_ROOT = "/sys/fs/cgroup";

export type CgroupSupport =
  | { version: "v2"; root: string }
  | {
      version: "v1";
      mounts: Record<(typeof V1_CONTROLLERS)[number], string>;
      /** Every other cgroup hierarchy mounted (cpuset, devices, ..., name=systemd, unified). */
      others: string[];
    }
  | { version: "none"; reason: string };

let detected: CgroupSupport | undefined;

/**
 * Which cgroup hierarchy this host offers for builder limits: v2 with the cpu and memory
 * controllers, or v1 with cpu, cpuacct and memory mounted writable; otherwise none (limits are not
 * applied and resources are sampled from /proc instead).
 */
export function detectCgroups(): CgroupSupport {
  if (detected) return detected;
  detected = probeCgroups();
  return detected;
}

function probeCgroups(): CgroupSupport {
  if (process.getuid?.() !== 0) return { version: "none", reason: "not running as root" };
  let mountinfo: string;
  try {
    mountinfo = readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return { version: "none", reason: "no /proc/self/mountinfo" };
  }
  const mounts = mountinfo.split("\n").map((line) => {
    const [left = "", right = ""] = line.split(" - ");
    const fields = left.split(" ");
    const [fstype = "", , superOptions = ""] = right.split(" ");
    return { point: fields[4] ?? "", options: fields[5] ?? "", fstype, superOptions };
  });
  const v2 = mounts.find((mount) => mount.fstype === "cgroup2" && mount.point === CGROUP_ROOT);
  if (v2 && !v2.options.split(",").includes("ro")) {
    const controllers = readFileSync(join(CGROUP_ROOT, "cgroup.controllers"), "utf8").split(/\s+/);
    if (controllers.includes("cpu") && controllers.includes("memory")) {
      return { version: "v2", root: CGROUP_ROOT };
    }
    return { version: "none", reason: "cgroup v2 without the cpu and memory controllers" };
  }
  const v1: Partial<Record<(typeof V1_CONTROLLERS)[number], string>> = {};
  for (const mount of mounts) {
    if (mount.fstype !== "cgroup" || mount.options.split(",").includes("ro")) continue;
    const names = mount.superOptions.split(",");
    for (const controller of V1_CONTROLLERS) {
      if (names.includes(controller) && !v1[controller]) v1[controller] = mount.point;
    }
  }
  if (v1.cpu && v1.cpuacct && v1.memory && v1.pids) {
    const used = new Set(Object.values(v1));
    const others = mounts
      .filter(
        (mount) =>
          (mount.fstype === "cgroup" || mount.fstype === "cgroup2") && !used.has(mount.point),
      )
      .map((mount) => mount.point);
    return {
      version: "v1",
      mounts: { cpu: v1.cpu, cpuacct: v1.cpuacct, memory: v1.memory, pids: v1.pids },
      others: [...new Set(others)],
    };
  }
  return { version: "none", reason: "no writable cgroup v2 or v1 cpu/cpuacct/memory hierarchy" };
}

const CFS_PERIOD_US = 100_000;

/**
 * Creates /slipway/<engine id>-<hash of its folder> in the host's cgroup hierarchy (two state
 * directories may hold engines of the same id) with the size's CPU and memory limits. With v2
 * the engine's processes go in its `engine` leaf (no processes in inner nodes), and the RUN
 * containers beside it. Undefined when the host offers no writable cgroups.
 */
export async function createEngineCgroup(
  engineId: string,
  engineDir: string,
  limits: BuilderLimits | undefined,
): Promise<EngineCgroup | undefined> {
  const support = detectCgroups();
  const name = `${engineId}-${createHash("sha256").update(engineDir).digest("hex").slice(0, 8)}`;
  const path = `/slipway/${name}`;
  const applied = limits && { cpus: limits.cpus, memoryBytes: limits.memoryBytes };
  if (support.version === "v1") {
    const dirs: Record<string, string> = {};
    for (const [controller, mount] of Object.entries(support.mounts)) {
      dirs[controller] = join(mount, path);
      await mkdir(dirs[controller], { recursive: true });
    }
    if (limits && dirs.cpu && dirs.memory) {
      await writeFile(join(dirs.cpu, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
      await writeFile(
        join(dirs.cpu, "cpu.cfs_quota_us"),
        String(Math.round(limits.cpus * CFS_PERIOD_US)),
      );
      await writeFile(join(dirs.memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
    }
    return {
      version: "v1",
      path,
      dirs,
      otherDirs: support.others.map((mount) => join(mount, path)),
      ...(applied && { limits: applied }),
    };
  }
  if (support.version === "v2") {
    const base = join(support.root, "slipway");
    const dir = join(base, name);
    await mkdir(join(dir, "engine"), { recursive: true });
    for (const parent of [support.root, base, dir]) {
      await writeFile(join(parent, "cgroup.subtree_control"), "+cpu +memory +pids").catch(
        () => undefined,
      );
    }
    if (limits) {
      await writeFile(
        join(dir, "cpu.max"),
        `${Math.round(limits.cpus * CFS_PERIOD_US)} ${CFS_PERIOD_US}`,
      );
      await writeFile(join(dir, "memory.max"), String(limits.memoryBytes));
    }
    return {
      version: "v2",
      path,
      dirs: { unified: dir, engineLeaf: join(dir, "engine") },
      ...(applied && { limits: applied }),
    };
  }
  return undefined;
}

/** The cgroup.procs files the engine's dockerd must be written to before it starts. */
export function cgroupProcsFiles(cgroup: EngineCgroup): string[] {
  if (cgroup.version === "v2") {
    return [join(cgroup.dirs.engineLeaf ?? cgroup.dirs.unified ?? "", "cgroup.procs")];
  }
  return Object.values(cgroup.dirs).map((dir) => join(dir, "cgroup.procs"));
}

async function subtree(dir: string): Promise<string[]> {
  const out = [dir];
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.isDirectory()) out.push(...(await subtree(join(dir, entry.name))));
  }
  return out;
}

/** Every process in the engine's cgroup and below. */
export async function cgroupPids(cgroup: EngineCgroup): Promise<number[]> {
  const root = cgroup.version === "v2" ? cgroup.dirs.unified : cgroup.dirs.pids;
  if (!root) return [];
  const pids = new Set<number>();
  for (const dir of await subtree(root)) {
    const raw = await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "");
    for (const line of raw.split("\n")) if (/^\d+$/.test(line)) pids.add(Number(line));
  }
  return [...pids];
}

/**
 * Kills whatever is left in the engine's cgroup (a killed dockerd's containerd, shims and RUN
 * processes) and removes its folders, deepest first. Best effort.
 */
export async function removeEngineCgroup(cgroup: EngineCgroup): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pids = await cgroupPids(cgroup);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const roots =
    cgroup.version === "v2"
      ? [cgroup.dirs.unified ?? ""]
      : [...Object.values(cgroup.dirs), ...(cgroup.otherDirs ?? [])];
  for (const root of roots) {
    const dirs = (await subtree(root)).sort((a, b) => b.length - a.length);
    for (const dir of dirs) await rmdir(dir).catch(() => undefined);
  }
}

/** One reading of an engine's usage: cumulative CPU time, current memory, OOM kills so far. */
export interface ResourceReading {
  cpuNs: number;
  memoryBytes: number;
  oomKills: number;
  /** v1: times the memory limit was hit (memory.failcnt); an OOM kill needs at least one. */
  limitHits?: number;
}

function statField(text: string, key: string): number | undefined {
  const match = new RegExp(`^${key} (\\d+)$`, "m").exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export async function readCgroup(cgroup: EngineCgroup): Promise<ResourceReading> {
  if (cgroup.version === "v2") {
    const dir = cgroup.dirs.unified ?? "";
    const [cpuStat, memory, events] = await Promise.all(
      ["cpu.stat", "memory.current", "memory.events"].map((file) =>
        readFile(join(dir, file), "utf8").catch(() => ""),
      ),
    );
    return {
      cpuNs: (statField(cpuStat ?? "", "usage_usec") ?? 0) * 1000,
      memoryBytes: Number((memory ?? "").trim()) || 0,
      oomKills: statField(events ?? "", "oom_kill") ?? 0,
    };
  }
  const [usage, memory, oom, failcnt] = await Promise.all([
    readFile(join(cgroup.dirs.cpuacct ?? "", "cpuacct.usage"), "utf8").catch(() => "0"),
    readFile(join(cgroup.dirs.memory ?? "", "memory.usage_in_bytes"), "utf8").catch(() => "0"),
    readFile(join(cgroup.dirs.memory ?? "", "memory.oom_control"), "utf8").catch(() => ""),
    readFile(join(cgroup.dirs.memory ?? "", "memory.failcnt"), "utf8").catch(() => ""),
  ]);
  const hits = Number.parseInt(failcnt.trim(), 10);
  return {
    cpuNs: Number(usage.trim()) || 0,
    memoryBytes: Number(memory.trim()) || 0,
    oomKills: statField(oom, "oom_kill") ?? 0,
    ...(Number.isFinite(hits) && { limitHits: hits }),
  };
}

/** Microseconds since boot, the clock of the kernel log's records. */
function uptimeMicros(): number {
  try {
    return Math.round(Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1e6);
  } catch {
    return 0;
  }
}

/**
 * OOM kills the kernel logged since `sinceMicros` (boot clock) for tasks in the cgroup `path` or
 * below. cgroup v1 counts an OOM kill (memory.oom_control) only in the victim's own cgroup, a
 * RUN container's, which is gone by the time the build ends; the kernel log names both the
 * limiting cgroup and the victim's. Reads /dev/kmsg (root); 0 when it cannot.
 */
export function kernelLogOomKills(path: string, sinceMicros: number): number {
  let fd: number;
  try {
    fd = openSync("/dev/kmsg", constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return 0;
  }
  let kills = 0;
  const buffer = Buffer.alloc(16 * 1024);
  try {
    for (let records = 0; records < 100_000; records++) {
      let length: number;
      try {
        length = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        // EPIPE: records were overwritten while reading; go on. EAGAIN: the end.
        if ((error as NodeJS.ErrnoException).code === "EPIPE") continue;
        break;
      }
      if (length <= 0) break;
      const record = buffer.toString("utf8", 0, length);
      const [prefix = "", message = ""] = record.split(";", 2);
      const micros = Number(prefix.split(",")[2]);
      if (micros < sinceMicros || !message.startsWith("oom-kill:")) continue;
      if (
        message.includes(`oom_memcg=${path},`) ||
        message.includes(`task_memcg=${path}/`) ||
        message.includes(`oom_memcg=${path}/`)
      ) {
        kills += 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return kills;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

/**
 * Without cgroups: the engine's process tree read from /proc. dockerd's descendants (containerd),
 * plus the containerd shims (reparented away from containerd, found by the engine's exec root in
 * their command line) and their descendants, the RUN processes. CPU is utime+stime, memory the
 * sum of resident set sizes (shared pages count more than once), OOM kills are not visible.
 */
export async function readProcessTree(rootPid: number, marker: string): Promise<ResourceReading> {
  const procs = new Map<number, { ppid: number; cpuTicks: number; rssPages: number }>();
  const roots = new Set([rootPid]);
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is the state (field 3): ppid is field 4, utime 14, stime 15, rss 24
      procs.set(pid, {
        ppid: Number(fields[1]),
        cpuTicks: Number(fields[11]) + Number(fields[12]),
        rssPages: Number(fields[21]),
      });
      if (pid !== rootPid) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline.includes(marker)) roots.add(pid);
      }
    } catch {
      // exited meanwhile
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, info] of procs) {
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
  }
  const seen = new Set<number>();
  const stack = [...roots];
  let cpuTicks = 0;
  let rssPages = 0;
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const info = procs.get(pid);
    if (!info) continue;
    cpuTicks += info.cpuTicks;
    rssPages += info.rssPages;
    stack.push(...(children.get(pid) ?? []));
  }
  return {
    cpuNs: (cpuTicks / CLOCK_TICKS) * 1e9,
    memoryBytes: rssPages * PAGE_SIZE,
    oomKills: 0,
  };
}

export interface ResourceSample {
  /** Milliseconds since the build started. */
  t: number;
  /** CPU time used over the last interval, in percent of one core (200 = two cores busy). */
  cpuPercent: number;
  memoryBytes: number;
}

export interface BuildResources {
  /** Where the numbers come from: the engine's cgroup, or its process tree in /proc. */
  source: "cgroup-v1" | "cgroup-v2" | "proc";
  intervalMs: number;
  samples: ResourceSample[];
  peakMemoryBytes: number;
  /** A process in the engine's cgroup was killed for memory during the build (cgroups only). */
  oomKilled: boolean;
  limits?: { cpus: number; memoryBytes: number };
}

export interface ResourceSampler {
  stop(): Promise<BuildResources>;
}

/** Samples an engine's usage every `intervalMs` until stopped (once more on stop). */
export function startResourceSampler(
  source:
    | { cgroup: EngineCgroup }
    | { pid: number; marker: string; limits?: { cpus: number; memoryBytes: number } },
  intervalMs = 1_000,
): ResourceSampler {
  const started = performance.now();
  const startedMicros = uptimeMicros();
  const read = () =>
    "cgroup" in source ? readCgroup(source.cgroup) : readProcessTree(source.pid, source.marker);
  const samples: ResourceSample[] = [];
  let peak = 0;
  let previous: { at: number; reading: ResourceReading } | undefined;
  let firstOomKills: number | undefined;
  let lastOomKills = 0;
  let firstLimitHits: number | undefined;
  let lastLimitHits: number | undefined;
  let pending: Promise<void> = Promise.resolve();
  const take = async () => {
    const at = performance.now();
    const reading = await read();
    firstOomKills ??= reading.oomKills;
    lastOomKills = reading.oomKills;
    firstLimitHits ??= reading.limitHits;
    lastLimitHits = reading.limitHits;
    peak = Math.max(peak, reading.memoryBytes);
    if (previous) {
      const wallNs = (at - previous.at) * 1e6;
      const cpuPercent =
        wallNs > 0 ? Math.max(0, ((reading.cpuNs - previous.reading.cpuNs) / wallNs) * 100) : 0;
      samples.push({
        t: Math.round(at - started),
        cpuPercent: Math.round(cpuPercent * 10) / 10,
        memoryBytes: reading.memoryBytes,
      });
    }
    previous = { at, reading };
  };
  const tick = () => {
    pending = pending.then(take).catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      tick();
      await pending;
      const limits = "cgroup" in source ? source.cgroup.limits : source.limits;
      let oomKilled = lastOomKills > (firstOomKills ?? 0);
      // the kernel log is read (~10 ms, synchronously) only when the limit was hit meanwhile:
      // no hit, no OOM kill; an unreadable counter reads it anyway
      const limitHit =
        firstLimitHits === undefined ||
        lastLimitHits === undefined ||
        lastLimitHits > firstLimitHits;
      if (!oomKilled && limitHit && "cgroup" in source && source.cgroup.version === "v1") {
        oomKilled = kernelLogOomKills(source.cgroup.path, startedMicros) > 0;
      }
      return {
        source: "cgroup" in source ? `cgroup-${source.cgroup.version}` : "proc",
        intervalMs,
        samples,
        peakMemoryBytes: peak,
        oomKilled,
        ...(limits && { limits }),
      };
    },
  };
}

export function cgroupsAvailable(): boolean {
  return detectCgroups().version !== "none" && existsSync(CGROUP_ROOT);
}
