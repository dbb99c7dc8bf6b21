import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { type BuildEvent, runBuild } from "./build.ts";
import { type EngineHandle, startEngine, stopEngine } from "./engine.ts";
import { freePort, makeContext, waitUntil } from "./testing.ts";

const REGISTRY = "/usr/bin/docker-registry";

function registryGet(port: number, path: string) {
  return new Promise<{ status: number; digest?: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
      },
      (res) => {
        res.resume();
        const digest = res.headers["docker-content-digest"];
        resolve({ status: res.statusCode ?? 0, ...(typeof digest === "string" && { digest }) });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// One engine and Debian's docker-registry (distribution 2.8) on loopback, which dockerd pushes to
// over plain HTTP (127.0.0.0/8 registries are insecure-allowed by default).
describe("push to a registry", () => {
  let stateDir: string;
  let engine: EngineHandle | undefined;
  let registry: ChildProcess | undefined;
  let port = 0;
  const target = () => {
    if (!engine) throw new Error("engine did not start");
    return engine;
  };

  beforeAll(async () => {
    if (!existsSync(REGISTRY)) {
      throw new Error(`${REGISTRY} not found: install Debian's docker-registry package`);
    }
    stateDir = await mkdtemp(join(tmpdir(), "slipway-push-"));
    port = await freePort();
    const config = join(stateDir, "registry.yml");
    await writeFile(
      config,
      [
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${join(stateDir, "registry")}`,
        "http:",
        `  addr: 127.0.0.1:${port}`,
        "",
      ].join("\n"),
    );
    registry = spawn(REGISTRY, ["serve", config], { stdio: "ignore" });
    const [started] = await Promise.all([
      startEngine({ stateDir, engineId: "push-test", platform: "linux/amd64" }),
      waitUntil(
        async () => (await registryGet(port, "/v2/").catch(() => undefined))?.status === 200,
        10_000,
      ),
    ]);
    engine = started;
    await ensureBaseImage(engine);
  });

  afterAll(async () => {
    registry?.kill("SIGKILL");
    if (engine) await stopEngine(engine);
    await rm(stateDir, { recursive: true, force: true });
  });

  it("pushes every tag after a successful build; the registry serves the manifest", async () => {
    const contextDir = await makeContext(
      { Dockerfile: "FROM slipway/busybox:1\nRUN echo pushed > /marker\n" },
      stateDir,
    );
    const tags = [`127.0.0.1:${port}/slipway/app:1`, `127.0.0.1:${port}/slipway/app:latest`];
    const events: BuildEvent[] = [];
    const summary = await runBuild(target(), {
      contextDir,
      tags,
      push: true,
      onEvent: (event) => events.push(event),
    });
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe("succeeded");
    expect(summary.pushed?.map((entry) => entry.tag)).toEqual(tags);
    const digest = summary.pushed?.[0]?.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.pushed?.[1]?.digest).toBe(digest);
    const manifest = await registryGet(port, "/v2/slipway/app/manifests/1");
    expect(manifest).toEqual({ status: 200, digest });
    expect(events).toContainEqual({ type: "phase", phase: "pushing", tag: tags[0] });
  });

  it("names an unreachable registry; the image is still built", async () => {
    const closed = await freePort();
    const contextDir = await makeContext({ Dockerfile: "FROM slipway/busybox:1\n" }, stateDir);
    const summary = await runBuild(target(), {
      contextDir,
      tags: [`127.0.0.1:${closed}/slipway/app:1`],
      push: true,
    });
    expect(summary.status).toBe("failed");
    expect(summary.imageId).toMatch(/^sha256:/);
    expect(summary.error?.kind).toBe("registry-unreachable");
    expect(summary.error?.message).toContain(`push of 127.0.0.1:${closed}/slipway/app:1 failed`);
    expect(summary.error?.message).toMatch(/connection refused/);
  });

  it("refuses push without a tag", async () => {
    await expect(runBuild(target(), { contextDir: stateDir, push: true })).rejects.toThrow(
      /push needs at least one tag/,
    );
  });
});
