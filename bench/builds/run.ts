// Build overhead benchmark: runBuild (context packing, .dockerignore, trace decoding, step
// tracking) against a raw POST /build of a tar of the same context, on the same engine; and
// time-to-ready of a fresh builder engine. Run as root: `npx tsx bench/builds/run.ts`.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineStream, jsonLines } from "../../packages/builder-core/src/engine-api.ts";
import {
  engineRequest,
  ensureBaseImage,
  runBuild,
  startEngine,
  stopEngine,
} from "../../packages/builder-core/src/index.ts";

// `--runs=N` builds per mode, `--starts=N` engine starts
const flag = (name: string, fallback: number) => {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  return value ? Number(value) : fallback;
};
const RUNS = flag("runs", 5);
const STARTS = flag("starts", 10);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};

async function rawBuild(socketPath: string, contextDir: string, noCache: boolean): Promise<number> {
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

async function main() {
  const stateDir = await mkdtemp(join(tmpdir(), "slipway-bench-"));
  const contextDir = join(stateDir, "context");
  await mkdir(join(contextDir, "src"), { recursive: true });
  for (let i = 0; i < 200; i++) {
    await writeFile(join(contextDir, "src", `file-${i}.txt`), `content ${i}\n`.repeat(100));
  }
  await writeFile(
    join(contextDir, "Dockerfile"),
    [
      "FROM slipway/busybox:1",
      "COPY src /src",
      "RUN for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; done",
      "RUN wc -c /src/* | tail -1",
      "",
    ].join("\n"),
  );
  const engine = await startEngine({ stateDir, engineId: "bench", platform: "linux/amd64" });
  const rows: [string, number, number][] = [];
  try {
    await ensureBaseImage(engine);
    for (const mode of ["cold (no-cache)", "warm"] as const) {
      const noCache = mode !== "warm";
      const ours: number[] = [];
      const raw: number[] = [];
      // one untimed round each to warm the engine
      await rawBuild(engine.socketPath, contextDir, noCache);
      await runBuild(engine, { contextDir, tags: ["bench/ours:1"], noCache });
      for (let i = 0; i < RUNS; i++) {
        raw.push(await rawBuild(engine.socketPath, contextDir, noCache));
        const summary = await runBuild(engine, { contextDir, tags: ["bench/ours:1"], noCache });
        if (summary.status !== "succeeded") throw new Error(JSON.stringify(summary.error));
        ours.push(summary.durationMs);
      }
      rows.push([mode, median(ours), median(raw)]);
    }
  } finally {
    await stopEngine(engine);
  }

  const ready: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    const fresh = await startEngine({ stateDir, engineId: `ready-${i}`, platform: "linux/amd64" });
    ready.push(performance.now() - started);
    const ping = await engineRequest(fresh.socketPath, "GET", "/_ping");
    if (ping.body !== "OK") throw new Error("engine not ready");
    await stopEngine(fresh);
  }
  await rm(stateDir, { recursive: true, force: true });

  console.log(`\nbuilds: median of ${RUNS} runs on one engine (200-file context, 4 steps)\n`);
  console.log("| mode | runBuild ms | raw POST /build ms | ratio |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [mode, ours, raw] of rows) {
    console.log(
      `| ${mode} | ${Math.round(ours)} | ${Math.round(raw)} | ${(ours / raw).toFixed(2)} |`,
    );
  }
  console.log(`\ntime to ready builder (${STARTS} fresh engine starts)\n`);
  console.log("| p50 ms | p95 ms |");
  console.log("| ---: | ---: |");
  console.log(`| ${Math.round(percentile(ready, 50))} | ${Math.round(percentile(ready, 95))} |`);
}

await main();
