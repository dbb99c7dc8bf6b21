import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

function isWorkspaceRoot(dir: string): boolean {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return false;
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof pkg === "object" && pkg !== null && "workspaces" in pkg;
  } catch {
    return false;
  }
}

function walkUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (isWorkspaceRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The monorepo root: the nearest folder above this module (or else above the working
 * directory) whose package.json declares "workspaces".
 */
export function findRepoRoot(cwd: string = process.cwd()): string {
  const root = walkUp(dirname(fileURLToPath(import.meta.url))) ?? walkUp(cwd);
  if (!root) {
    throw new Error(
      `cannot find the Slipway repository root (a package.json with "workspaces") above ${cwd}; set SLIPWAY_STATE_DIR`,
    );
  }
  return root;
}

/** `$SLIPWAY_STATE_DIR`, or `<repo root>/.slipway`. Always absolute. */
export function resolveStateDir(env: { SLIPWAY_STATE_DIR?: string | undefined } = process.env) {
  const fromEnv = env.SLIPWAY_STATE_DIR?.trim();
  return fromEnv ? resolve(fromEnv) : join(findRepoRoot(), ".slipway");
}

/** Where the embedded ClickHouse engine keeps its data inside a state directory. */
export function clickhouseDataPath(stateDir: string): string {
  return join(resolve(stateDir), "clickhouse");
}
