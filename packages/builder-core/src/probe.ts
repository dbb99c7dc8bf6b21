import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { engineMetaSchema, findDockerd, isProcessAlive } from "./engine.ts";
import { pingEngine } from "./engine-api.ts";
import { buildersDir } from "./paths.ts";

export interface EngineProbe {
  id: string;
  platform: string;
  pid: number;
  healthy: boolean;
}

export interface BuilderEnginesHealth {
  /** idle: the engine binary is there and no builder is running, which is healthy. */
  status: "ok" | "error" | "idle";
  latencyMs: number;
  engines: EngineProbe[];
  detail?: string;
}

async function readEngineMetas(stateDir: string) {
  const root = buildersDir(stateDir);
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const metas = await Promise.all(
    entries.map(async (entry) => {
      try {
        const raw = await readFile(join(root, entry, "engine.json"), "utf8");
        return engineMetaSchema.parse(JSON.parse(raw));
      } catch {
        return undefined;
      }
    }),
  );
  return metas.filter((meta) => meta !== undefined);
}

/** Health of the builder engines recorded under the state directory, for /healthz. */
export async function probeBuilderEngines(options: {
  stateDir: string;
}): Promise<BuilderEnginesHealth> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!findDockerd()) {
    return {
      status: "error",
      latencyMs: elapsed(),
      engines: [],
      detail: "dockerd is not installed (Debian package docker.io)",
    };
  }
  const metas = await readEngineMetas(options.stateDir);
  const engines = await Promise.all(
    metas.map(async (meta) => ({
      id: meta.id,
      platform: meta.platform,
      pid: meta.pid,
      healthy: isProcessAlive(meta.pid) && (await pingEngine(meta.socketPath, 1_000)),
    })),
  );
  const unhealthy = engines.filter((engine) => !engine.healthy);
  if (engines.length === 0) {
    return { status: "idle", latencyMs: elapsed(), engines, detail: "no builder running" };
  }
  return {
    status: unhealthy.length === 0 ? "ok" : "error",
    latencyMs: elapsed(),
    engines,
    ...(unhealthy.length > 0 && {
      detail: `unhealthy: ${unhealthy.map((engine) => engine.id).join(", ")}`,
    }),
  };
}
