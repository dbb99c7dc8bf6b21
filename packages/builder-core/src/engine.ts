import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { pingEngine } from "./engine-api.ts";
import { type EnginePaths, enginePaths } from "./paths.ts";

export const engineMetaSchema = z.object({
  id: z.string().min(1),
  platform: z.string().min(1),
  pid: z.number().int().positive(),
  socketPath: z.string().min(1),
  startedAt: z.string(),
});
export type EngineMeta = z.infer<typeof engineMetaSchema>;

export interface EngineHandle extends EngineMeta {
  paths: EnginePaths;
}

const DOCKERD_CANDIDATES = ["/usr/sbin/dockerd", "/usr/bin/dockerd", "/usr/local/bin/dockerd"];

export function findDockerd(): string | undefined {
  return DOCKERD_CANDIDATES.find((candidate) => existsSync(candidate));
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
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
  const logFd = openSync(paths.logFile, "a");
  const child = spawn(
    dockerd,
    [
      `--data-root=${paths.dataRoot}`,
      `--exec-root=${paths.execRoot}`,
      `--host=unix://${paths.socketPath}`,
      `--pidfile=${paths.pidFile}`,
      "--iptables=false",
      "--ip-masq=false",
      "--bridge=none",
      "--storage-driver=overlay2",
    ],
    { detached: true, stdio: ["ignore", logFd, logFd] },
  );
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
    throw new Error(
      `builder engine ${options.engineId} did not become healthy; last log lines:\n${await tail(paths.logFile, 15)}`,
    );
  }
  const meta: EngineMeta = {
    id: options.engineId,
    platform: options.platform,
    pid,
    socketPath: paths.socketPath,
    startedAt: new Date().toISOString(),
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
  await releaseEngineMounts(handle.paths);
  await rm(handle.paths.metaFile, { force: true });
}
