// Build overhead benchmark: `slipway build` through the CLI command, the API and the pool
// (full-path.ts; issue 4's targets: at most 1.10x cold and 1.25x warm), and runBuild alone
// (context packing, .dockerignore, trace decoding, step tracking), each against a raw POST /build
// of a tar of the same context, on the same engine;
// time-to-ready of a fresh builder engine; and throughput of CONCURRENT sleep-bound builds
// (`RUN sleep 1`) through a BuilderPool with autoscaling on vs off.
// Run as root: `npx tsx bench/builds/run.ts [--runs=5] [--starts=10] [--concurrent=8]`.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BuilderPool,
  engineRequest,
  ensureBaseImage,
  runBuild,
  startEngine,
  stopEngine,
} from "../../packages/builder-core/src/index.ts";
import { fullPathBench, rawBuild } from "./full-path.ts";

// `--runs=N` builds per mode, `--starts=N` engine starts
const flag = (name: string, fallback: number) => {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
  return value ? Number(value) : fallback;
};
const RUNS = flag("runs", 5);
const STARTS = flag("starts", 10);
const CONCURRENT = flag("concurrent", 8);
const MAX_BUILDERS = flag("max-builders", 4);
// `--only=full` runs just the CLI → API → engine comparison (quick before/after checks)
const ONLY = process.argv.find((arg) => arg.startsWith("--only="))?.split("=")[1];

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
  const rows: [string, number, number][] = [];
  const full = await fullPathBench(stateDir, contextDir, RUNS);
  console.log(`\nslipway build (CLI → API → engine, in-process): median of ${RUNS} runs\n`);
  console.log("| mode | slipway ms | raw POST /build ms | ratio |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [mode, ours, raw] of full) {
    console.log(
      `| ${mode} | ${Math.round(ours)} | ${Math.round(raw)} | ${(ours / raw).toFixed(2)} |`,
    );
  }
  if (ONLY === "full") {
    await rm(stateDir, { recursive: true, force: true });
    return;
  }
  const engine = await startEngine({ stateDir, engineId: "bench", platform: "linux/amd64" });
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
  const throughput: [string, number, number, number][] = [];
  for (const autoscalingEnabled of [false, true]) {
    throughput.push([
      autoscalingEnabled ? `on (max ${MAX_BUILDERS} builders)` : "off (1 builder)",
      ...(await concurrentBuilds(stateDir, autoscalingEnabled)),
    ]);
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
  console.log(
    `\nthroughput: ${CONCURRENT} concurrent builds of \`RUN sleep 1\` (distinct, uncached), one project\n`,
  );
  console.log("| autoscaling | wall s | builds/min | engines used |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const [mode, wallMs, perMinute, engines] of throughput) {
    console.log(
      `| ${mode} | ${(wallMs / 1000).toFixed(1)} | ${perMinute.toFixed(1)} | ${engines} |`,
    );
  }
  const [off, on] = throughput;
  if (off && on) console.log(`\nthroughput ratio on/off: ${(on[2] / off[2]).toFixed(2)}x`);
}

/**
 * A fresh pool: one warm-up build (so the main has a cache snapshot for clones), then CONCURRENT
 * builds submitted at once. Returns [wall ms, builds per minute, distinct engines used].
 */
async function concurrentBuilds(
  parent: string,
  autoscalingEnabled: boolean,
): Promise<[number, number, number]> {
  const stateDir = join(parent, `pool-${autoscalingEnabled ? "on" : "off"}`);
  const pool = await BuilderPool.start({
    stateDir,
    settings: { autoscalingEnabled, maxBuilders: MAX_BUILDERS, buildsPerBuilder: 1 },
    prepareEngine: (engine) => ensureBaseImage(engine),
  });
  try {
    const context = async (name: string, run: string) => {
      const dir = join(stateDir, "contexts", name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, "Dockerfile"), `FROM slipway/busybox:1\nRUN ${run}\n`);
      return dir;
    };
    const warm = await pool.submit({
      projectId: "bench",
      platform: "linux/amd64",
      build: { contextDir: await context("warm", "echo warm") },
    }).result;
    if (warm.status !== "succeeded") throw new Error(JSON.stringify(warm.error));
    const deadline = Date.now() + 60_000;
    while (autoscalingEnabled && pool.status().snapshots.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const dirs = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => context(`job-${i}`, `sleep 1 && echo job ${i}`)),
    );
    const started = performance.now();
    const results = await Promise.all(
      dirs.map(
        (contextDir) =>
          pool.submit({ projectId: "bench", platform: "linux/amd64", build: { contextDir } })
            .result,
      ),
    );
    const wallMs = performance.now() - started;
    const failed = results.find((result) => result.status !== "succeeded");
    if (failed) throw new Error(`a concurrent build failed: ${JSON.stringify(failed.error)}`);
    return [wallMs, (CONCURRENT / wallMs) * 60_000, new Set(results.map((r) => r.engineId)).size];
  } finally {
    await pool.close();
  }
}

await main();
