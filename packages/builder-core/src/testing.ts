import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Helpers for this package's tests (not exported from the package).

/** Writes a throw-away build context; returns its folder. */
export async function makeContext(files: Record<string, string>, parent?: string): Promise<string> {
  const dir = await mkdtemp(join(parent ?? tmpdir(), "slipway-ctx-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** Pids of processes whose command line contains `needle` (to check a canceled RUN is gone). */
export async function processesMatching(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replace(/\0/g, " ");
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** A TCP port that was free a moment ago on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Debian's docker-registry (distribution 2.8) on loopback, storing under `dir`; engines push to
 * it over plain HTTP (127.0.0.0/8 registries are insecure-allowed by default).
 */
export async function startRegistry(dir: string): Promise<{ port: number; child: ChildProcess }> {
  const binary = "/usr/bin/docker-registry";
  if (!existsSync(binary)) {
    throw new Error(`${binary} not found: install Debian's docker-registry package`);
  }
  const port = await freePort();
  const config = join(dir, "registry.yml");
  await writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "registry")}`,
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "",
    ].join("\n"),
  );
  const child = spawn(binary, ["serve", config], { stdio: "ignore" });
  const up = await waitUntil(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 200;
    } catch {
      return false;
    }
  }, 10_000);
  if (!up) {
    child.kill("SIGKILL");
    throw new Error(`docker-registry did not answer on 127.0.0.1:${port}`);
  }
  return { port, child };
}
