import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineHandle, startEngine, stopEngine } from "./engine.ts";
import { engineRequest } from "./engine-api.ts";
import { probeBuilderEngines } from "./probe.ts";

// A real dockerd (BuildKit embedded) started in a throw-away state directory.
describe("builder engine lifecycle", () => {
  let stateDir: string;
  let engine: EngineHandle | undefined;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-engine-"));
  });

  afterAll(async () => {
    if (engine) await stopEngine(engine);
    await rm(stateDir, { recursive: true, force: true });
  });

  it("reports idle when no builder runs", async () => {
    const health = await probeBuilderEngines({ stateDir });
    expect(health.status).toBe("idle");
    expect(health.engines).toEqual([]);
  });

  it("starts an engine that answers the Docker API and shows as healthy", async () => {
    engine = await startEngine({ stateDir, engineId: "test-amd64", platform: "linux/amd64" });
    const version = await engineRequest(engine.socketPath, "GET", "/version");
    expect(version.statusCode).toBe(200);
    expect(JSON.parse(version.body)).toHaveProperty("ApiVersion");

    const health = await probeBuilderEngines({ stateDir });
    expect(health.status).toBe("ok");
    expect(health.engines).toEqual([
      { id: "test-amd64", platform: "linux/amd64", pid: engine.pid, healthy: true },
    ]);
  });

  it("reports an engine that died as unhealthy, naming it", async () => {
    if (!engine) throw new Error("engine did not start");
    process.kill(engine.pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const health = await probeBuilderEngines({ stateDir });
    expect(health.status).toBe("error");
    expect(health.detail).toContain("test-amd64");
    await stopEngine(engine);
    engine = undefined;
    expect((await probeBuilderEngines({ stateDir })).status).toBe("idle");
  });
});
