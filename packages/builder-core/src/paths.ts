import { createHash } from "node:crypto";
import { join } from "node:path";

/** Where one engine keeps its files: its data root is the persistent layer cache. */
export interface EnginePaths {
  dir: string;
  dataRoot: string;
  execRoot: string;
  socketPath: string;
  pidFile: string;
  logFile: string;
  metaFile: string;
}

// A Unix socket path must fit in sun_path (108 bytes on Linux). Deep checkouts exceed that, so
// the exec root and socket, which hold sockets, move to a short per-engine folder under /tmp;
// the data root and logs stay under the state directory.
const MAX_SOCKET_PATH = 100;

export function enginePaths(stateDir: string, engineId: string): EnginePaths {
  const dir = join(stateDir, "builders", engineId);
  let runDir = join(dir, "run");
  if (join(runDir, "exec", "containerd", "containerd-debug.sock").length > MAX_SOCKET_PATH) {
    const digest = createHash("sha256").update(dir).digest("hex").slice(0, 12);
    runDir = join("/tmp", `slipway-${digest}`);
  }
  return {
    dir,
    dataRoot: join(dir, "data"),
    execRoot: join(runDir, "exec"),
    socketPath: join(runDir, "docker.sock"),
    pidFile: join(dir, "dockerd.pid"),
    logFile: join(dir, "dockerd.log"),
    metaFile: join(dir, "engine.json"),
  };
}

export function buildersDir(stateDir: string): string {
  return join(stateDir, "builders");
}
