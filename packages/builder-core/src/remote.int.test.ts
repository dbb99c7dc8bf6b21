import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBaseImage } from "./base-image.ts";
import { type EngineHandle, startEngine, stopEngine } from "./engine.ts";
import { type EngineTarget, type EngineTls, pingEngine } from "./engine-api.ts";
import { registerQemuBinfmt } from "./platform.ts";
import { BuilderPool } from "./pool.ts";
import { freePort, makeContext } from "./testing.ts";

const run = promisify(execFile);

/** A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, with openssl. */
async function makeCertificates(dir: string) {
  const ssl = (...args: string[]) => run("openssl", args, { cwd: dir });
  const key = (name: string) =>
    ssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", name);
  await key("ca-key.pem");
  await ssl(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca-key.pem",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=slipway test CA",
  );
  for (const [name, usage, san] of [
    ["server", "serverAuth", "subjectAltName=IP:127.0.0.1\n"],
    ["client", "clientAuth", ""],
  ] as const) {
    await key(`${name}-key.pem`);
    await ssl(
      "req",
      "-new",
      "-key",
      `${name}-key.pem`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    );
    await writeFile(join(dir, `${name}.ext`), `${san}extendedKeyUsage=${usage}\n`);
    await ssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
    );
  }
  return {
    caFile: join(dir, "ca.pem"),
    serverCert: join(dir, "server.pem"),
    serverKey: join(dir, "server-key.pem"),
    ca: await readFile(join(dir, "ca.pem")),
    cert: await readFile(join(dir, "client.pem")),
    key: await readFile(join(dir, "client-key.pem")),
  };
}

// A second dockerd listening on tcp://127.0.0.1 with --tlsverify stands in for another machine.
describe("remote engine over mutual TLS", () => {
  let stateDir: string;
  let remote: EngineHandle | undefined;
  let tls: EngineTls;
  let pool: BuilderPool | undefined;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "slipway-remote-"));
    const certs = await makeCertificates(stateDir);
    const port = await freePort();
    remote = await startEngine({
      stateDir: join(stateDir, "remote-host"),
      engineId: "remote-arm",
      platform: "linux/arm64",
      tcp: { port, caFile: certs.caFile, certFile: certs.serverCert, keyFile: certs.serverKey },
    });
    tls = { host: "127.0.0.1", port, ca: certs.ca, cert: certs.cert, key: certs.key };
    // The stand-in "arm64 machine" is this amd64 host's dockerd: its arm64 base image goes in over
    // TCP, and its RUN steps run under the host's QEMU (so its builds say emulated).
    await registerQemuBinfmt();
    await ensureBaseImage({ id: "remote-arm", tls }, { platform: "linux/arm64" });
  });

  afterAll(async () => {
    await pool?.close();
    if (remote) await stopEngine(remote);
    await rm(stateDir, { recursive: true, force: true });
  });

  it("answers with the client certificate and refuses a client without one", async () => {
    expect(await pingEngine({ tls })).toBe(true);
    const anonymous: EngineTarget = { tls: { ...tls, cert: "", key: "" } };
    expect(await pingEngine(anonymous)).toBe(false);
  });

  it("routes a build for the remote's platform to it", async () => {
    pool = await BuilderPool.start({
      stateDir: join(stateDir, "control-plane"),
      remoteEngines: [{ id: "remote-arm", platform: "linux/arm64", tls }],
    });
    const contextDir = await makeContext(
      { Dockerfile: "FROM slipway/busybox:1\nRUN echo built-remotely\n" },
      stateDir,
    );
    const result = await pool.submit({
      projectId: "acme/arm",
      platform: "linux/arm64",
      build: { contextDir },
    }).result;
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      status: "succeeded",
      route: "remote",
      engineKind: "remote",
      engineId: "remote-arm",
    });
    expect(result.imageId).toMatch(/^sha256:/);
    const run = result.steps.find((step) => step.instruction?.startsWith("RUN"));
    expect(run?.logs.map((log) => log.text).join("")).toContain("built-remotely");
    // runBuild asked the remote for its platform (/version): amd64 here, hence emulated
    expect(result.emulated).toBe(true);
    // nothing ran locally: no local engine was started, and no sampling of a remote
    expect(pool.status().engines).toEqual([]);
    expect(result.resources).toBeUndefined();
  });
});
