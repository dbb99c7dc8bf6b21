import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { MANIFEST_LIST_TYPE, pushManifestList } from "./manifest.ts";
import { emulationAvailable, registerQemuBinfmt } from "./platform.ts";
import { BuilderPool } from "./pool.ts";
import { makeContext, startRegistry } from "./testing.ts";

// Needs qemu-user-static (registered here by registerQemuBinfmt) and an arm64 static busybox
// (packages/builder-core/scripts/fetch-busybox.sh arm64). Two engines: amd64 and arm64.
describe("platform routing on this host", () => {
  let stateDir: string;
  let pool: BuilderPool | undefined;
  let registry: { port: number; child: ChildProcess } | undefined;
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
    registry?.child.kill("SIGKILL");
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

  it("pushes both platforms' images, then a manifest list under the tag naming both", async () => {
    registry = await startRegistry(stateDir);
    const tag = `127.0.0.1:${registry.port}/acme/multi:1`;
    const contextDir = await makeContext(
      { Dockerfile: "FROM slipway/busybox:1\nRUN uname -m > /arch\n" },
      stateDir,
    );
    const results = await Promise.all(
      thePool()
        .submitMany({
          projectId: "acme/multi",
          platforms: ["linux/amd64", "linux/arm64"],
          build: { contextDir, tags: [tag], push: true },
        })
        .map((build) => build.result),
    );
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result.pushed?.[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const [amd64, arm64] = results;
    expect(amd64?.pushed?.[0]?.digest).not.toBe(arm64?.pushed?.[0]?.digest);
    const list = await pushManifestList({
      tag,
      manifests: [
        { platform: "linux/amd64", digest: amd64?.pushed?.[0]?.digest ?? "" },
        { platform: "linux/arm64", digest: arm64?.pushed?.[0]?.digest ?? "" },
      ],
    });
    if (!list.ok) throw new Error(list.error.message);
    expect(list.mediaType).toBe(MANIFEST_LIST_TYPE);

    // what a client pulling the tag sees: the list, naming each platform's image by digest
    const answer = await fetch(`http://127.0.0.1:${registry.port}/v2/acme/multi/manifests/1`, {
      headers: { accept: `${MANIFEST_LIST_TYPE}, application/vnd.oci.image.index.v1+json` },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("docker-content-digest")).toBe(list.digest);
    const index = (await answer.json()) as {
      mediaType: string;
      manifests: { digest: string; platform: { os: string; architecture: string } }[];
    };
    expect(index.mediaType).toBe(MANIFEST_LIST_TYPE);
    expect(index.manifests.map((m) => [m.platform.os, m.platform.architecture, m.digest])).toEqual([
      ["linux", "amd64", amd64?.pushed?.[0]?.digest],
      ["linux", "arm64", arm64?.pushed?.[0]?.digest],
    ]);
    // each entry resolves to that platform's image, whose config says its architecture
    for (const [i, arch] of ["amd64", "arm64"].entries()) {
      const manifest = (await (
        await fetch(
          `http://127.0.0.1:${registry.port}/v2/acme/multi/manifests/${index.manifests[i]?.digest}`,
          { headers: { accept: "application/vnd.docker.distribution.manifest.v2+json" } },
        )
      ).json()) as { config: { digest: string } };
      const config = (await (
        await fetch(
          `http://127.0.0.1:${registry.port}/v2/acme/multi/blobs/${manifest.config.digest}`,
        )
      ).json()) as { architecture: string };
      expect(config.architecture).toBe(arch);
    }

    // a digest the registry does not hold is named, not pushed
    const bad = await pushManifestList({
      tag,
      manifests: [{ platform: "linux/amd64", digest: `sha256:${"0".repeat(64)}` }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain("is not in 127.0.0.1");
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
