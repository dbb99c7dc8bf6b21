import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { emulationAvailable, registerQemuBinfmt } from "./platform.ts";
import { BuilderPool } from "./pool.ts";
import { makeContext } from "./testing.ts";

// Needs qemu-user-static (registered here by registerQemuBinfmt) and an arm64 static busybox
// (packages/builder-core/scripts/fetch-busybox.sh arm64). Two engines: amd64 and arm64.
describe("platform routing on this host", () => {
  let stateDir: string;
  let pool: BuilderPool | undefined;
  const thePool = () => {
    if (!pool) throw new Error("pool did not start");
    return pool;
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-platform-"));
    const first = await registerQemuBinfmt();
    expect(first.problems).toEqual([]);
    const again = await registerQemuBinfmt();
    expect(again).toEqual({ registered: ["arm64"], added: [], problems: [] });
    expect(emulationAvailable("linux/arm64")).toBe(true);
    pool = await BuilderPool.start({
      stateDir,
      prepareEngine: (engine) => ensureBaseImage(engine, { platform: engine.platform }),
    });
  });

  afterAll(async () => {
    await pool?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("builds amd64 natively and arm64 under QEMU in parallel, one engine each", async () => {
    const contextDir = await makeContext(
      { Dockerfile: "FROM slipway/busybox:1\nRUN echo arch=$(uname -m)\n" },
      stateDir,
    );
    const builds = thePool().submitMany({
      projectId: "acme/multi",
      platforms: ["linux/amd64", "linux/arm64"],
      build: { contextDir },
    });
    expect(new Set(builds.map((build) => build.buildId)).size).toBe(2);
    const [amd64, arm64] = await Promise.all(builds.map((build) => build.result));
    const runLogs = (summary: typeof amd64) =>
      summary?.steps
        .find((step) => step.instruction?.startsWith("RUN"))
        ?.logs.map((log) => log.text)
        .join("");
    expect(amd64?.error).toBeUndefined();
    expect(arm64?.error).toBeUndefined();
    expect(amd64).toMatchObject({ status: "succeeded", route: "native", emulated: false });
    expect(arm64).toMatchObject({
      status: "succeeded",
      route: "emulated",
      emulated: true,
      platform: "linux/arm64",
    });
    expect(runLogs(amd64)).toContain("arch=x86_64");
    expect(runLogs(arm64)).toContain("arch=aarch64");
    expect(amd64?.engineId).not.toBe(arm64?.engineId);
    // both ran at once: the second did not wait for the first
    const spans = [amd64, arm64].map((s) => [
      Date.parse(s?.startedAt ?? ""),
      Date.parse(s?.startedAt ?? "") + (s?.durationMs ?? 0),
    ]);
    expect(spans[0]?.[0]).toBeLessThan(spans[1]?.[1] ?? 0);
    expect(spans[1]?.[0]).toBeLessThan(spans[0]?.[1] ?? 0);
  });

  it("fails a platform nothing can build with a clear error", async () => {
    const contextDir = await makeContext({ Dockerfile: "FROM slipway/busybox:1\n" }, stateDir);
    const build = thePool().submit({
      projectId: "acme/multi",
      platform: "linux/s390x",
      build: { contextDir },
    });
    const result = await build.result;
    expect(result.status).toBe("failed");
    expect(result.error?.kind).toBe("platform-unsupported");
    expect(result.error?.message).toContain("no builder for platform linux/s390x");
    expect(
      thePool()
        .status()
        .engines.every((engine) => engine.platform !== "linux/s390x"),
    ).toBe(true);
  });
});
