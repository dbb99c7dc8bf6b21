import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { pingEngine } from "./engine-api.ts";
import { type EnginePaths, enginePaths } from "./paths.ts";
import { hostPlatform } from "./platform.ts";
import {
  type BuilderSize,
  builderLimits,
  cgroupProcsFiles,
  createEngineCgroup,
  type EngineCgroup,
  engineCgroupSchema,
  removeEngineCgroup,
} from "./resources.ts";

export const engineMetaSchema = z.object({
  id: z.string().min(1),
  /** What the engine builds for (its pool group); may be a foreign platform under emulation. */
  platform: z.string().min(1),
  /** The host's own platform, which the engine runs natively. */
  nativePlatform: z.string().optional(),
  pid: z.number().int().positive(),
  socketPath: z.string().min(1),
  startedAt: z.string(),
  /** Set when the host has writable cgroups: the engine's processes and limits. */
  cgroup: engineCgroupSchema.optional(),
});
export type EngineMeta = z.infer<typeof engineMetaSchema>;

export interface EngineHandle extends EngineMeta {
  paths: EnginePaths;
}

const DOCKERD_CANDIDATES = ["/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd"];

export function findDockerd(): string | undefined {
  return DOCKERD_CANDIDATES.find((candidate) => existsSync(candidate));
}

/** True while the process runs; a zombie (exited, not yet reaped) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // "pid (comm) S ...": the state follows the last ')'
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function tail(file: string, lines: number): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export interface StartEngineOptions {
  stateDir: string;
  engineId: string;
  platform: string;
  /** buildx waits 20 s for a builder to come up; so do we. */
  startTimeoutMs?: number;
  /**
   * CPU and memory limits (small, medium, large or custom) applied to the engine's cgroup, and
   * BuildKit's cache GC target. Unset: no limits. Limits need cgroups (see README).
   */
  size?: BuilderSize;
  /** Put the engine in its own cgroup when the host allows it (default true). */
  cgroups?: boolean;
  /**
   * Also listen on TCP with mutual TLS (dockerd --tlsverify), to serve as another host's remote
   * engine: PEM file paths of the CA that signs client certificates, and the server's own pair.
   */
  tcp?: { host?: string; port: number; caFile: string; certFile: string; keyFile: string };
}

/** Bytes as dockerd's config parses them (binary units). */
function storageString(bytes: number): string {
  return `${Math.max(1, Math.floor(bytes / 1024 ** 2))}MB`;
}

/**
 * Starts a dockerd (BuildKit embedded) with its own data root, exec root, socket and pid file.
 * Networking is host/none only: no bridge or iptables, which these machines cannot provide.
 */
export async function startEngine(options: StartEngineOptions): Promise<EngineHandle> {
  const dockerd = findDockerd();
  if (!dockerd) {
    throw new Error(
      "dockerd is not installed: install Debian's docker.io package (scripts/start does)",
    );
  }
  const paths = enginePaths(options.stateDir, options.engineId);
  await Promise.all(
    [paths.dataRoot, paths.execRoot, dirname(paths.socketPath)].map((dir) =>
      mkdir(dir, { recursive: true }),
    ),
  );
  await rm(paths.socketPath, { force: true });
  const limits = options.size === undefined ? undefined : builderLimits(options.size);
  // our own daemon config, so a host's /etc/docker/daemon.json does not apply to builders
  const configFile = `${paths.dir}/daemon.json`;
  await writeFile(
    configFile,
    JSON.stringify(
      limits?.cacheKeepBytes === undefined
        ? {}
        : {
            builder: {
              gc: { enabled: true, defaultKeepStorage: storageString(limits.cacheKeepBytes) },
            },
          },
    ),
  );
  const cgroup =
    options.cgroups === false
      ? undefined
      : await createEngineCgroup(options.engineId, paths.dir, limits).catch(() => undefined);
  const dockerdArgs = [
    `--data-root=${paths.dataRoot}`,
    `--exec-root=${paths.execRoot}`,
    `--host=unix://${paths.socketPath}`,
    `--pidfile=${paths.pidFile}`,
    "--iptables=false",
    "--ip-masq=false",
    "--bridge=none",
    "--storage-driver=overlay2",
    `--config-file=${configFile}`,
    ...(options.tcp
      ? [
          `--host=tcp://${options.tcp.host ?? "127.0.0.1"}:${options.tcp.port}`,
          "--tlsverify",
          `--tlscacert=${options.tcp.caFile}`,
          `--tlscert=${options.tcp.certFile}`,
          `--tlskey=${options.tcp.keyFile}`,
        ]
      : []),
    // BuildKit puts RUN containers under <cgroup-parent>/<id>: inside the engine's cgroup
    ...(cgroup ? [`--cgroup-parent=${cgroup.path}`] : []),
  ];
  const logFd = openSync(paths.logFile, "a");
  // With a cgroup, a shell joins it and then becomes dockerd, so that containerd and everything
  // after start inside it (no window where a child escapes).
  const child = cgroup
    ? spawn(
        "/bin/sh",
        [
          "-c",
          'for f in $SLIPWAY_CGROUP_PROCS; do echo $$ > "$f" || exit 97; done; exec "$0" "$@"',
          dockerd,
          ...dockerdArgs,
        ],
        {
          detached: true,
          stdio: ["ignore", logFd, logFd],
          env: { ...process.env, SLIPWAY_CGROUP_PROCS: cgroupProcsFiles(cgroup).join(" ") },
        },
      )
    : spawn(dockerd, dockerdArgs, { detached: true, stdio: ["ignore", logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${dockerd}`);

  const healthy = await waitFor(
    async () => !isProcessAlive(pid) || (await pingEngine(paths.socketPath, 500)),
    options.startTimeoutMs ?? 20_000,
  );
  if (!healthy || !isProcessAlive(pid)) {
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
    if (cgroup) await removeEngineCgroup(cgroup);
    throw new Error(
      `builder engine ${options.engineId} did not become healthy; last log lines:\n${await tail(paths.logFile, 15)}`,
    );
  }
  const meta: EngineMeta = {
    id: options.engineId,
    platform: options.platform,
    nativePlatform: hostPlatform(),
    pid,
    socketPath: paths.socketPath,
    startedAt: new Date().toISOString(),
    ...(cgroup && { cgroup }),
  };
  await writeFile(paths.metaFile, JSON.stringify(meta, null, 2));
  return { ...meta, paths };
}

/** Mount points under a folder, deepest first, read from the kernel's mount table. */
async function mountsUnder(folders: string[]): Promise<string[]> {
  const table = await readFile("/proc/self/mountinfo", "utf8");
  const mountPoints = table
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\040/g, " "));
  return mountPoints
    .filter((point) => folders.some((folder) => point === folder || point.startsWith(`${folder}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * An engine that was killed (crash, SIGKILL) leaves its data-root bind mount and overlay mounts
 * behind, which would make its folder impossible to delete or reuse; lazily unmount them.
 */
export async function releaseEngineMounts(paths: EnginePaths): Promise<void> {
  for (const point of await mountsUnder([paths.dir, paths.execRoot])) {
    await new Promise<void>((resolve) => execFile("umount", ["-l", point], () => resolve()));
  }
}

/**
 * A dockerd that is killed leaves its children running: containerd, runc and the processes of the
 * RUN step it was executing (in their own session and mount namespace). They are found by the
 * engine's folders in their command line, or, for step processes, in their mounts; all are killed.
 * Returns how many were killed.
 */
export async function killEngineLeftovers(paths: EnginePaths): Promise<number> {
  const ownMountNs = await readlink("/proc/self/ns/mnt").catch(() => "");
  const markers = [paths.dataRoot, paths.execRoot];
  let killed = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replace(/\0/g, " ");
      let belongs = markers.some(
        (marker) => cmdline.includes(`${marker}/`) || cmdline.includes(`${marker} `),
      );
      if (!belongs && (await readlink(`/proc/${pid}/ns/mnt`)) !== ownMountNs) {
        const mounts = await readFile(`/proc/${pid}/mountinfo`, "utf8");
        belongs = mounts.includes(`${paths.dataRoot}/`);
      }
      if (belongs && isProcessAlive(pid)) {
        process.kill(pid, "SIGKILL");
        killed += 1;
      }
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return killed;
}

/** Stops an engine: SIGTERM, then SIGKILL if it has not exited within the grace period. */
export async function stopEngine(handle: EngineHandle, graceMs = 10_000): Promise<void> {
  if (isProcessAlive(handle.pid)) {
    process.kill(handle.pid, "SIGTERM");
    const exited = await waitFor(() => !isProcessAlive(handle.pid), graceMs);
    if (!exited) {
      process.kill(handle.pid, "SIGKILL");
      await waitFor(() => !isProcessAlive(handle.pid), 2_000);
    }
  }
  await cleanupEngineFolders(handle.paths, handle.cgroup);
}

/**
 * After an engine's dockerd is gone: whatever a killed engine left (containerd, runc, step
 * processes, its mounts, the containerd pid file in its exec root, which would make the next
 * dockerd wait for a dead containerd) goes too, and engine.json is removed. The data root stays.
 */
export async function cleanupEngineFolders(
  paths: EnginePaths,
  cgroup?: EngineCgroup,
): Promise<void> {
  // the cgroup holds every process the engine started: killing those is exact
  if (cgroup) await removeEngineCgroup(cgroup);
  if ((await killEngineLeftovers(paths)) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await releaseEngineMounts(paths);
  await rm(paths.execRoot, { recursive: true, force: true }).catch(() => undefined);
  const runDir = dirname(paths.socketPath);
  if (!runDir.startsWith(`${paths.dir}/`)) {
    // the short folder under /tmp that a deep state directory needs for its sockets
    await rm(runDir, { recursive: true, force: true }).catch(() => undefined);
  }
  await rm(paths.metaFile, { force: true });
}
