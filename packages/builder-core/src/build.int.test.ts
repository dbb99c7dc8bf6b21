import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { type BuildEvent, runBuild } from "./build.ts";
import { cacheUsage, enforceCacheLimit, enforceCacheRetention, pruneCache } from "./cache.ts";
import { filterContextTar } from "./context-tar.ts";
import { type EngineHandle, startEngine, stopEngine } from "./engine.ts";
import { engineRequest } from "./engine-api.ts";
import { makeContext, processesMatching, waitUntil } from "./testing.ts";

// One real engine for the whole file; tiny busybox contexts.
describe("runBuild on a real engine", () => {
  let stateDir: string;
  let engine: EngineHandle | undefined;
  const contexts: string[] = [];
  const context = async (files: Record<string, string>) => {
    const dir = await makeContext(files, stateDir);
    contexts.push(dir);
    return dir;
  };
  const target = () => {
    if (!engine) throw new Error("engine did not start");
    return engine;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-build-"));
    engine = await startEngine({ stateDir, engineId: "build-test", platform: "linux/amd64" });
    const first = await ensureBaseImage(engine);
    const again = await ensureBaseImage(engine);
    expect(first.ref).toBe("slipway/busybox:1");
    expect(again).toEqual({ ...first, imported: false });
  });

  afterAll(async () => {
    if (engine) await stopEngine(engine);
    await rm(stateDir, { recursive: true, force: true });
  });

  it("builds cold, then warm with every step cached and faster, tracing steps and logs", async () => {
    const dir = await context({
      Dockerfile: [
        "FROM slipway/busybox:1",
        "ARG GREETING=hi",
        "COPY a.txt /a.txt",
        'RUN echo "$GREETING from $(cat /a.txt)" && sleep 1',
        "",
      ].join("\n"),
      "a.txt": "slipway",
      ".dockerignore": "secret\n",
      secret: "do not send",
    });
    const events: BuildEvent[] = [];
    const cold = await runBuild(target(), {
      contextDir: dir,
      tags: ["slipway-test/cold:1"],
      buildArgs: { GREETING: "hello" },
      onEvent: (event) => events.push(event),
    });
    expect(cold.error).toBeUndefined();
    expect(cold.status).toBe("succeeded");
    expect(cold.imageId).toMatch(/^sha256:/);
    expect(cold.imageSize).toBeGreaterThan(1_000_000);
    expect(cold.stepCount).toBe(3);
    expect(cold.context).toMatchObject({ fileCount: 3, ignoredCount: 1 });
    const run = cold.steps.find((step) => step.instruction?.startsWith("RUN"));
    expect(run).toMatchObject({ stepIndex: 3, stepTotal: 3, dockerfileLine: 4, cached: false });
    expect(run?.logs.map((log) => log.text).join("")).toContain("hello from slipway");
    expect(run?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(events.some((e) => e.type === "log" && e.log.text.includes("hello"))).toBe(true);
    expect(events.some((e) => e.type === "context")).toBe(true);

    const warm = await runBuild(target(), {
      contextDir: dir,
      tags: ["slipway-test/cold:1"],
      buildArgs: { GREETING: "hello" },
    });
    expect(warm.status).toBe("succeeded");
    expect(warm.imageId).toBe(cold.imageId);
    const warmRun = warm.steps.find((step) => step.instruction?.startsWith("RUN"));
    expect(warmRun?.cached).toBe(true);
    expect(warm.cachedStepCount).toBeGreaterThanOrEqual(2);
    expect(warm.cacheHitRatio).toBeGreaterThan(0.5);
    expect(warm.durationMs).toBeLessThan(cold.durationMs);

    const uncached = await runBuild(target(), {
      contextDir: dir,
      buildArgs: { GREETING: "hello" },
      noCache: true,
    });
    expect(uncached.status).toBe("succeeded");
    // with no-cache every step runs again (the base image's FROM may still say cached)
    expect(uncached.steps.find((step) => step.instruction?.startsWith("RUN"))?.cached).toBe(false);
    expect(uncached.steps.find((step) => step.instruction?.startsWith("COPY"))?.cached).toBe(false);
  });

  it("builds from a context tar as it is, counting it on the way; ignored files filtered first", async () => {
    // a client that did not apply .dockerignore: the tar holds the ignored file too
    const dockerfile = "FROM slipway/busybox:1\nCOPY . /ctx\nRUN ls /ctx && cat /ctx/a.txt\n";
    const { default: tar } = await import("tar-stream");
    const tarOf = async (files: Record<string, string>) => {
      const pack = tar.pack();
      for (const [name, content] of Object.entries(files)) pack.entry({ name }, content);
      pack.finalize();
      const chunks: Buffer[] = [];
      for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    const data = await tarOf({
      Dockerfile: dockerfile,
      ".dockerignore": "secret.txt\n",
      "a.txt": "from the tar",
      "secret.txt": "must not reach the image",
    });
    const rawFile = join(stateDir, "upload.tar");
    const tarFile = join(stateDir, "context.tar");
    await writeFile(rawFile, data);
    // the engine does not apply .dockerignore to an uploaded tar: it is applied here first
    expect(await filterContextTar(rawFile, tarFile, ["secret.txt"], ["Dockerfile"])).toEqual({
      removed: 1,
    });
    const events: BuildEvent[] = [];
    const summary = await runBuild(target(), {
      contextTar: tarFile,
      dockerfileText: dockerfile,
      noCache: true,
      onEvent: (event) => events.push(event),
    });
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe("succeeded");
    const logs = summary.steps
      .find((step) => step.dockerfileLine === 3)
      ?.logs.map((log) => log.text)
      .join("");
    expect(logs).toContain("from the tar");
    expect(logs).not.toContain("secret.txt");
    // Dockerfile, .dockerignore and a.txt
    expect(summary.context).toMatchObject({ fileCount: 3, ignoredCount: 0 });
    expect(summary.context?.fileBytes).toBe(dockerfile.length + 11 + 12);
    expect(summary.context?.bytesSent).toBe((await stat(tarFile)).size);
    expect(events).toContainEqual({ type: "context", stats: summary.context });

    // a tar with an entry that leaves the context is refused before the engine uses it
    await writeFile(tarFile, await tarOf({ Dockerfile: dockerfile, "../../escape": "x" }));
    const refused = await runBuild(target(), { contextTar: tarFile, dockerfileText: dockerfile });
    expect(refused.status).toBe("failed");
    expect(refused.error?.kind).toBe("context-invalid");
    expect(refused.error?.message).toContain('leaves the context: "../../escape"');
    await expect(runBuild(target(), { contextTar: tarFile })).rejects.toThrow(/dockerfileText/);
  });

  it("runs the stages of a two-stage Dockerfile in parallel", async () => {
    const dir = await context({
      Dockerfile: [
        "FROM slipway/busybox:1 AS left",
        "RUN sleep 2 && echo left > /left",
        "FROM slipway/busybox:1 AS right",
        "RUN sleep 2 && echo right > /right",
        "FROM slipway/busybox:1",
        "COPY --from=left /left /left",
        "COPY --from=right /right /right",
        "",
      ].join("\n"),
    });
    const summary = await runBuild(target(), { contextDir: dir, networkMode: "none" });
    expect(summary.status).toBe("succeeded");
    const left = summary.steps.find((step) => step.stage === "left" && step.stepIndex === 2);
    const right = summary.steps.find((step) => step.stage === "right" && step.stepIndex === 2);
    expect(left?.dockerfileLine).toBe(2);
    expect(right?.dockerfileLine).toBe(4);
    const span = (step: typeof left) => [
      Date.parse(step?.startedAt ?? ""),
      Date.parse(step?.completedAt ?? ""),
    ];
    const [leftStart = 0, leftEnd = 0] = span(left);
    const [rightStart = 0, rightEnd = 0] = span(right);
    expect(leftStart).toBeLessThan(rightEnd);
    expect(rightStart).toBeLessThan(leftEnd);
    expect(summary.durationMs).toBeLessThan(4_000);
  });

  it("reports a Dockerfile syntax error clearly", async () => {
    const dir = await context({ Dockerfile: "FROM slipway/busybox:1\nRUNN echo typo\n" });
    const summary = await runBuild(target(), { contextDir: dir });
    expect(summary.status).toBe("failed");
    expect(summary.error?.kind).toBe("dockerfile-syntax");
    expect(summary.error?.message).toMatch(/unknown instruction: RUNN/i);
  });

  it("names the failing step and its line", async () => {
    const dir = await context({
      Dockerfile: "FROM slipway/busybox:1\n\nRUN echo failing && exit 3\n",
    });
    const summary = await runBuild(target(), { contextDir: dir });
    expect(summary.status).toBe("failed");
    expect(summary.error).toMatchObject({
      kind: "step-failed",
      step: { name: "[2/2] RUN echo failing && exit 3", dockerfileLine: 3 },
    });
    expect(summary.error?.message).toContain("exit code: 3");
  });

  it("fails clearly on a missing context, a missing Dockerfile and a context over the limit", async () => {
    const missing = await runBuild(target(), { contextDir: join(stateDir, "nope") });
    expect(missing.error?.kind).toBe("context-missing");
    const dir = await context({ "big.bin": "x".repeat(200_000), Containerfile: "FROM scratch\n" });
    const noDockerfile = await runBuild(target(), { contextDir: dir });
    expect(noDockerfile.error).toMatchObject({ kind: "dockerfile-missing" });
    expect(noDockerfile.error?.message).toContain("Dockerfile");
    const tooLarge = await runBuild(target(), {
      contextDir: dir,
      dockerfile: "Containerfile",
      maxContextBytes: 50_000,
    });
    expect(tooLarge.status).toBe("failed");
    expect(tooLarge.error?.kind).toBe("context-too-large");
    expect(tooLarge.context?.bytesSent).toBeLessThan(200_000);
  });

  it("cancels a running build on the engine when the signal aborts", async () => {
    const dir = await context({ Dockerfile: "FROM slipway/busybox:1\nRUN sleep 37\n" });
    const controller = new AbortController();
    let abortedAt = 0;
    const summaryPromise = runBuild(target(), {
      contextDir: dir,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "step" && event.step.instruction === "RUN sleep 37") {
          if (event.step.startedAt && !abortedAt) {
            abortedAt = performance.now();
            // give the RUN a moment to really start its process
            setTimeout(() => controller.abort(), 300);
          }
        }
      },
    });
    const summary = await summaryPromise;
    expect(summary.status).toBe("canceled");
    expect(performance.now() - abortedAt).toBeLessThan(3_000);
    // The engine stops the step: its process goes away, and the engine builds again at once.
    expect(
      await waitUntil(async () => (await processesMatching("sleep 37")).length === 0, 5_000),
    ).toBe(true);
    const ping = await engineRequest(target().socketPath, "GET", "/_ping");
    expect(ping.body).toBe("OK");
  });

  it("prunes the records unused for longer than a retention, and keeps the recent ones", async () => {
    const marker = `${Date.now()}`;
    const build = async (name: string) => {
      const dir = await context({
        Dockerfile: `FROM slipway/busybox:1\nRUN echo ${name}-${marker}\n`,
      });
      const summary = await runBuild(target(), { contextDir: dir });
      expect(summary.status).toBe("succeeded");
      return { dir, summary };
    };
    const recordsOf = async (name: string) =>
      (await cacheUsage(target())).records.filter((record) =>
        record.description?.includes(`${name}-${marker}`),
      );
    await build("old");
    expect(await recordsOf("old")).not.toEqual([]);
    // everything is recent: a retention of an hour prunes nothing
    const none = await enforceCacheRetention(target(), 3_600_000);
    expect(none).toMatchObject({ pruned: false, reclaimedBytes: 0 });
    expect(await recordsOf("old")).not.toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const recent = await build("new");
    const result = await enforceCacheRetention(target(), 3_000);
    expect(result.pruned).toBe(true);
    expect(result.afterBytes).toBeLessThanOrEqual(result.beforeBytes);
    // the record of the RUN last used 4 s ago is gone; the one just built is kept
    expect(await recordsOf("old")).toEqual([]);
    expect(await recordsOf("new")).not.toEqual([]);
    const cutoff = Date.now() - 3_000 - 5_000;
    for (const record of (await cacheUsage(target())).records) {
      if (record.inUse) continue;
      expect(Date.parse(record.lastUsedAt ?? record.createdAt ?? "")).toBeGreaterThan(cutoff);
    }
    // what was kept still serves: the recent build again, its RUN cached
    const again = await runBuild(target(), { contextDir: recent.dir });
    expect(again.steps.find((step) => step.instruction?.startsWith("RUN"))?.cached).toBe(true);
  });

  it("reports the build cache and prunes it to a limit", async () => {
    const usage = await cacheUsage(target());
    expect(usage.count).toBeGreaterThan(0);
    expect(usage.totalBytes).toBe(usage.records.reduce((sum, r) => sum + r.sizeBytes, 0));
    expect(usage.records[0]).toHaveProperty("usageCount");
    const untouched = await enforceCacheLimit(target(), usage.totalBytes + 1);
    expect(untouched.pruned).toBe(false);
    const limited = await enforceCacheLimit(target(), 0);
    expect(limited.pruned).toBe(true);
    expect(limited.afterBytes).toBeLessThan(limited.beforeBytes);
    const again = await pruneCache(target(), { all: true });
    expect(again.reclaimedBytes).toBeGreaterThanOrEqual(0);
    expect((await cacheUsage(target())).totalBytes).toBeLessThanOrEqual(limited.afterBytes);
  });
});
