import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApiToken, createOrg, createProject, createTestDatabase } from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// the schemas alone (the package's index also loads the telemetry store)
import { parseTelemetryEvent } from "../../../../packages/telemetry/src/events/index.ts";
import { BuildService } from "../builds/service.server";
import { SpoolSink, spoolFile } from "../builds/sink.server";
import type { ApiDeps } from "./handlers.server";
import { serveFetchHandler } from "./node-server";
import { handleApiRequest } from "./router.server";

const bin = fileURLToPath(new URL("../../../cli/bin/slipway.js", import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// The whole path a user takes: the real CLI binary, the API handlers on a real HTTP server, the
// real BuilderPool on real engines (temp state dir), a throw-away PostgreSQL database.
describe("REST API + slipway CLI against real engines", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let stateDir: string;
  let home: string;
  let server: Server;
  let url: string;
  let service: BuildService;
  let orgToken: string;
  let projectToken: string;
  let otherProjectId: string;
  let projectId: string;
  let projectSlug: string;
  let orgId: string;
  const MAX_CONTEXT = 256 * 1024;

  const cliEnv = (extra: NodeJS.ProcessEnv = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SLIPWAY_URL: url, ...extra };
    delete env.SLIPWAY_TOKEN;
    delete env.XDG_CONFIG_HOME;
    delete env.SLIPWAY_PROJECT;
    return { ...env, ...extra };
  };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    new Promise<CliResult>((resolve) => {
      execFile("node", [bin, ...args], { env: cliEnv(extra) }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const context = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(stateDir, "src-"));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    return dir;
  };
  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${url}/api/v1/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    stateDir = await mkdtemp(join(tmpdir(), "slipway-web-api-"));
    home = await mkdtemp(join(tmpdir(), "slipway-cli-home-"));
    const org = await createOrg(t.db, { slug: "acme" });
    orgId = org.id;
    const project = await createProject(t.db, { orgId: org.id, slug: "web" });
    projectId = project.id;
    projectSlug = project.slug;
    const other = await createOrg(t.db, { slug: "globex" });
    otherProjectId = (await createProject(t.db, { orgId: other.id, slug: "secret" })).id;
    orgToken = (await createApiToken(t.db, { orgId: org.id, name: "ci" })).token;
    projectToken = (await createApiToken(t.db, { orgId: org.id, projectId, name: "web-only" }))
      .token;
    // ingest is unreachable (nothing listens on port 9): events go to the spool
    service = new BuildService({
      db: t.db,
      stateDir,
      maxContextBytes: MAX_CONTEXT,
      sink: new SpoolSink(spoolFile(stateDir)),
    });
    const deps: ApiDeps = { db: t.db, builds: service };
    server = serveFetchHandler((request) => handleApiRequest(request, deps));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await service?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.drop();
    await rm(stateDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it("login stores the token (0600) after checking it; projects lists what the token sees", async () => {
    const login = await cli(["login", "--token", orgToken, "--url", url]);
    expect(login.stderr).toBe("");
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('token "ci" of org acme');
    const path = join(home, ".config/slipway/config.json");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ url, token: orgToken });

    const projects = await cli(["projects"]);
    expect(projects.code).toBe(0);
    expect(projects.stdout).toMatch(/^PROJECT\s+NAME/m);
    expect(projects.stdout).toContain("web");
    expect(projects.stdout).not.toContain("secret");

    const bad = await cli(["login", "--token", "slw_nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("invalid API token");
  });

  it("builds with the CLI, streams steps, records the build; the second run is CACHED", async () => {
    const dir = await context({
      Dockerfile: "FROM slipway/busybox:1\nCOPY a.txt /a.txt\nRUN cat /a.txt && sleep 1\n",
      "a.txt": "hello from slipway",
      ".dockerignore": "ignored.bin\n",
      "ignored.bin": "x".repeat(10_000),
    });
    const first = await cli([
      "build",
      dir,
      "--project",
      projectSlug,
      "-t",
      "acme/web:1",
      "--progress",
      "plain",
      "--lint",
    ]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Build #1 of acme\/web \(linux\/amd64\)/);
    expect(first.stdout).toMatch(/#\d+ \[3\/3\] RUN cat \/a.txt && sleep 1/);
    expect(first.stdout).toMatch(/#\d+ DONE \d+\.\ds/);
    expect(first.stdout).toContain("hello from slipway");
    expect(first.stdout).toMatch(/lint: /);
    expect(first.stdout).toContain("Slowest steps:");
    expect(first.stdout).toMatch(/Build #1 succeeded in .* 3 steps, 0 cached \(0%\)/);

    const row = await t.db.build.findFirstOrThrow({ where: { projectId, number: 1 } });
    expect(row).toMatchObject({
      status: "SUCCEEDED",
      stepCount: 3,
      cachedStepCount: 0,
      cacheHitRatio: 0,
      tags: ["acme/web:1"],
      platforms: ["linux/amd64"],
      triggeredBy: "ci",
      error: null,
    });
    expect(row.startedAt).not.toBeNull();
    expect(row.finishedAt).not.toBeNull();
    expect(row.durationMs).toBeGreaterThanOrEqual(1000);
    expect(row.imageDigest).toMatch(/^sha256:[a-f0-9]{64}$/);

    const second = await cli(["build", dir, "--project", projectSlug, "-t", "acme/web:1"], {
      SLIPWAY_TOKEN: projectToken,
    });
    expect(second.code).toBe(0);
    // COPY and RUN come from the cache (BuildKit does not mark the local FROM image as cached)
    expect(second.stdout).toMatch(/#(\d+) \[3\/3\] RUN cat[^\n]*\n#\1 CACHED/);
    expect(second.stdout).toMatch(/CACHED {2}\[3\/3\] RUN cat/);
    const warm = await t.db.build.findFirstOrThrow({ where: { projectId, number: 2 } });
    expect(warm.status).toBe("SUCCEEDED");
    expect(warm.cachedStepCount).toBeGreaterThanOrEqual(2);
    expect(warm.cacheHitRatio).toBeGreaterThan(0.6);
    expect(second.stdout).toMatch(/3 steps, [23] cached \((67|100)%\)/);
    expect(warm.imageDigest).toBe(row.imageDigest);

    // telemetry went to the spool (ingest unreachable), and matches ingest's schemas
    const lines = (await readFile(spoolFile(stateDir), "utf8")).trim().split("\n");
    const events = lines.map((line) => JSON.parse(line) as { type: string; data: unknown });
    for (const event of events) {
      const parsed = parseTelemetryEvent(event);
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    }
    const types = new Set(events.map((event) => event.type));
    expect([...types]).toEqual(expect.arrayContaining(["build.started", "step", "build.finished"]));

    // the list endpoint pages newest first
    const page = await api(`projects/${projectSlug}/builds?limit=1`, orgToken);
    const body = (await page.json()) as {
      builds: { number: number; status: string }[];
      nextBefore: number | null;
    };
    expect(body.builds).toMatchObject([{ number: 2, status: "succeeded" }]);
    expect(body.nextBefore).toBe(2);
    const next = (await (
      await api(`projects/${projectSlug}/builds?limit=1&before=2`, orgToken)
    ).json()) as { builds: { number: number }[]; nextBefore: number | null };
    expect(next.builds.map((b) => b.number)).toEqual([1]);

    // the main builder's cache, then a reset
    const cache = (await (await api(`projects/${projectSlug}/cache`, orgToken)).json()) as {
      builder: { running: boolean };
      usage: { count: number; totalBytes: number } | null;
    };
    expect(cache.builder.running).toBe(true);
    expect(cache.usage?.count).toBeGreaterThan(0);
    const reset = await api(`projects/${projectSlug}/cache/reset`, orgToken, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { deletedCount: number }).deletedCount).toBeGreaterThan(0);
  });

  it("refuses bad tokens and other orgs' projects with clear errors", async () => {
    const simple = await context({ Dockerfile: "FROM slipway/busybox:1\n" });
    const invalid = await cli(["build", simple, "--project", projectSlug], {
      SLIPWAY_TOKEN: "slw_invalid",
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("invalid API token");

    const foreign = await cli(
      [
        "build",
        await context({ Dockerfile: "FROM slipway/busybox:1\n" }),
        "--project",
        otherProjectId,
      ],
      {
        SLIPWAY_TOKEN: projectToken,
      },
    );
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain(`project "${otherProjectId}" not found`);
    // the HTTP answer is a 404, never the project
    expect((await api(`projects/${otherProjectId}/builds`, orgToken)).status).toBe(404);
    expect(
      (await api(`projects/${otherProjectId}/builds`, orgToken, { method: "POST" })).status,
    ).toBe(404);

    const { apiToken, token: revoked } = await createApiToken(t.db, { orgId, name: "old" });
    await t.db.apiToken.update({ where: { id: apiToken.id }, data: { revokedAt: new Date() } });
    const answer = await api("projects", revoked);
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain('API token \\"old\\" was revoked');
    const expired = await createApiToken(t.db, {
      orgId,
      name: "stale",
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(await (await api("projects", expired.token)).text()).toContain("expired");
    expect((await fetch(`${url}/api/v1/projects`)).status).toBe(401);

    // lastUsedAt is written on use
    const used = await t.db.apiToken.findFirstOrThrow({ where: { name: "ci" } });
    expect(used.lastUsedAt).not.toBeNull();
  });

  it("names what is wrong: missing Dockerfile, syntax error, unknown platform, context too large", async () => {
    const noDockerfile = await context({ "a.txt": "x" });
    const missing = await cli(["build", noDockerfile, "--project", projectSlug], {
      SLIPWAY_TOKEN: orgToken,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no Dockerfile at");

    // the server's own check, with a tar that has no Dockerfile
    const { packContext } = await import("@slipway/builder-core");
    const packed = await packContext({
      contextDir: noDockerfile,
      dockerfilePath: join(noDockerfile, "a.txt"),
    });
    const serverMissing = await api(
      `projects/${projectSlug}/builds?dockerfile=Dockerfile`,
      orgToken,
      {
        method: "POST",
        headers: { "content-type": "application/x-tar" },
        body: packed.stream as unknown as BodyInit,
        duplex: "half",
      } as RequestInit,
    );
    expect(serverMissing.status).toBe(400);
    expect(await serverMissing.json()).toMatchObject({
      error: { code: "dockerfile-missing", message: expect.stringContaining("a.txt") },
    });

    const syntax = await cli(
      [
        "build",
        await context({ Dockerfile: "FROM slipway/busybox:1\nFROBNICATE x\n" }),
        "--project",
        projectSlug,
      ],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain("Dockerfile has a syntax error");
    expect(syntax.stderr).toContain("line 2");

    const platform = await cli(
      [
        "build",
        await context({ Dockerfile: "FROM slipway/busybox:1\n" }),
        "--platform",
        "linux/s390x",
        "--project",
        projectSlug,
      ],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(platform.code).toBe(1);
    expect(platform.stderr).toContain("unknown platform linux/s390x");

    const big = await cli(
      [
        "build",
        await context({
          Dockerfile: "FROM slipway/busybox:1\n",
          "big.bin": "x".repeat(MAX_CONTEXT * 2),
        }),
        "--project",
        projectSlug,
      ],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(big.code).toBe(1);
    expect(big.stderr).toContain("larger than this server's limit");
  });

  it("names more bad input: a platform no builder runs, a malformed platform, -f, no token", async () => {
    const simple = { Dockerfile: "FROM slipway/busybox:1\n" };
    // a platform the project lists, but no engine here can build (no QEMU for s390x)
    await t.db.projectSettings.upsert({
      where: { projectId: otherProjectId },
      create: { projectId: otherProjectId, platforms: ["linux/s390x"] },
      update: { platforms: ["linux/s390x"] },
    });
    const otherOrg = await t.db.project.findUniqueOrThrow({ where: { id: otherProjectId } });
    const { token: otherToken } = await createApiToken(t.db, {
      orgId: otherOrg.orgId,
      name: "s390x",
    });
    const noBuilder = await cli(["build", await context(simple), "--project", "secret"], {
      SLIPWAY_TOKEN: otherToken,
    });
    expect(noBuilder.code).toBe(1);
    expect(noBuilder.stderr).toContain("platform-unsupported");
    expect(noBuilder.stderr).toContain("no builder for platform linux/s390x");
    const row = await t.db.build.findFirstOrThrow({ where: { projectId: otherProjectId } });
    expect(row.status).toBe("FAILED");
    expect(row.error).toContain("no builder for platform linux/s390x");

    const malformed = await cli(
      ["build", await context(simple), "--platform", "amd64", "--project", projectSlug],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('invalid platform "amd64": expected os/arch');

    const dir = await context(simple);
    const missingFile = await cli(
      ["build", dir, "-f", join(dir, "Nope.dockerfile"), "--project", projectSlug],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain(`no Dockerfile at ${join(dir, "Nope.dockerfile")}`);

    // no token anywhere: an empty home (no config) and no SLIPWAY_TOKEN
    const emptyHome = await mkdtemp(join(stateDir, "home-"));
    const anonymous = await cli(["build", dir, "--project", projectSlug], { HOME: emptyHome });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain("not logged in");
  });

  it("stops before building when lint fails under --lint-fail-on", async () => {
    const dir = await context({ Dockerfile: "FROM slipway/busybox:1\nRUN cd /tmp && echo hi\n" });
    const result = await cli(
      ["build", dir, "--project", projectSlug, "--lint-fail-on", "warning", "--progress", "plain"],
      { SLIPWAY_TOKEN: orgToken },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("DL3003");
    expect(result.stderr).toContain("lint-failed");
    const row = await t.db.build.findFirstOrThrow({
      where: { projectId },
      orderBy: { number: "desc" },
    });
    expect(row.status).toBe("FAILED");
    expect(row.error).toContain("lint-failed");
    expect(row.stepCount).toBe(0);
  });

  it("cancels a running build on Ctrl-C (the CLI calls the cancel endpoint)", async () => {
    const dir = await context({
      Dockerfile: "FROM slipway/busybox:1\nRUN sleep 45 && echo never\n",
    });
    const child: ChildProcess = spawn(
      "node",
      [bin, "build", dir, "--project", projectSlug, "--progress", "plain"],
      { env: cliEnv({ SLIPWAY_TOKEN: orgToken }) },
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
    const deadline = Date.now() + 30_000;
    while (!/RUN sleep 45/.test(stdout) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stdout).toMatch(/RUN sleep 45/);
    const started = Date.now();
    child.kill("SIGINT");
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(code).toBe(130);
    expect(stderr).toContain("canceling build");
    expect(stdout).toMatch(/Build #\d+ canceled/);
    const row = await t.db.build.findFirstOrThrow({
      where: { projectId },
      orderBy: { number: "desc" },
    });
    expect(row.status).toBe("CANCELED");
    // canceling a finished build is a 409 naming its state
    const again = await api(`builds/${row.id}/cancel`, orgToken, { method: "POST" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("already finished (canceled)");
  });
});
