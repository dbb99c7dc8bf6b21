// The path a user takes, minus Node's start-up: the CLI's build command (packContext, upload,
// progress stream) against the real API handlers on a real HTTP server, the BuildService and its
// BuilderPool, and a throw-away PostgreSQL database; compared with a raw POST /build of a tar of
// the same context to the same engine (the project's main builder), in the same run.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runBuildCommand } from "../../apps/cli/src/commands/build.ts";
import { serveFetchHandler } from "../../apps/web/src/api/node-server.ts";
import { handleApiRequest } from "../../apps/web/src/api/router.server.ts";
import { BuildService } from "../../apps/web/src/builds/service.server.ts";
import { SpoolSink, spoolFile } from "../../apps/web/src/builds/sink.server.ts";
import { engineStream, jsonLines } from "../../packages/builder-core/src/engine-api.ts";
import {
  createApiToken,
  createOrg,
  createProject,
  createTestDatabase,
  prepareTestTemplate,
} from "../../packages/db/src/testing.ts";

export async function rawBuild(
  socketPath: string,
  contextDir: string,
  noCache: boolean,
): Promise<number> {
  const started = performance.now();
  const tar = spawn("tar", ["-C", contextDir, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
  const query = new URLSearchParams({ version: "2", networkmode: "host", t: "bench/raw:1" });
  if (noCache) query.set("nocache", "1");
  const { response } = engineStream(socketPath, {
    method: "POST",
    path: `/v1.41/build?${query}`,
    headers: { "Content-Type": "application/x-tar" },
    body: tar.stdout,
  });
  const res = await response;
  let ok = false;
  for await (const line of jsonLines(res)) {
    if (line && typeof line === "object" && "errorDetail" in line)
      throw new Error(JSON.stringify(line));
    if (line && typeof line === "object" && "id" in line && line.id === "moby.image.id") ok = true;
  }
  if (!ok) throw new Error("raw build produced no image");
  return performance.now() - started;
}

/** Pause between timed builds; see fullPathBench. */
const SETTLE_MS = 500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Returns rows [mode, slipway median ms, raw median ms]. */
export async function fullPathBench(
  parent: string,
  contextDir: string,
  runs: number,
): Promise<[string, number, number][]> {
  await prepareTestTemplate();
  const t = await createTestDatabase();
  const stateDir = await mkdtemp(join(parent, "web-"));
  const service = new BuildService({
    db: t.db,
    stateDir,
    maxContextBytes: 512 * 1024 * 1024,
    sink: new SpoolSink(spoolFile(stateDir)),
  });
  const server = serveFetchHandler((request) =>
    handleApiRequest(request, { db: t.db, builds: service }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rows: [string, number, number][] = [];
  try {
    const org = await createOrg(t.db, { slug: "bench" });
    const project = await createProject(t.db, { orgId: org.id, slug: "bench" });
    const { token } = await createApiToken(t.db, { orgId: org.id, name: "bench" });
    const quiet = { out: () => undefined, err: () => undefined };
    const slipway = async (noCache: boolean) => {
      const started = performance.now();
      const code = await runBuildCommand(
        contextDir,
        {
          tag: ["bench/ours:1"],
          buildArg: [],
          cache: !noCache,
          progress: "plain",
          project: "bench",
          url,
        },
        { SLIPWAY_TOKEN: token, HOME: stateDir },
        quiet,
      );
      if (code !== 0) throw new Error(`slipway build exited ${code}`);
      return performance.now() - started;
    };
    // the first build starts the project's main builder; the raw builds go to the same engine
    await slipway(false);
    const engine = await (await service.pool()).mainEngine(project.id, "linux/amd64");
    if (!engine) throw new Error("no main builder after the first build");
    for (const mode of ["cold (no-cache)", "warm"] as const) {
      const noCache = mode !== "warm";
      const ours: number[] = [];
      const raw: number[] = [];
      await rawBuild(engine.socketPath, contextDir, noCache);
      await slipway(noCache);
      for (let i = 0; i < runs; i++) {
        // The server still works after a build's summary (telemetry, the cache size, the idle
        // builder's cache check, deleting the upload): let that finish before the next build, so
        // it does not land on the raw build that follows (measured: it made raw cold builds
        // slower than Slipway's, 0.74-0.86x).
        await settle();
        raw.push(await rawBuild(engine.socketPath, contextDir, noCache));
        await settle();
        ours.push(await slipway(noCache));
      }
      rows.push([mode, median(ours), median(raw)]);
    }
  } finally {
    await service.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.drop();
    await rm(stateDir, { recursive: true, force: true });
  }
  return rows;
}
