import type { ChildProcess } from "node:child_process";
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { detectCgroups } from "@slipway/builder-core";
import { createApiToken, createOrg, createProject, createTestDatabase } from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiDeps } from "../api/handlers.server";
import { serveFetchHandler } from "../api/node-server";
import { handleApiRequest } from "../api/router.server";
import { getBuildPage } from "../presenters/build-page.server";
import type { BuildStreamEvent } from "./protocol";
import { BuildService } from "./service.server";
import { SpoolSink, spoolFile } from "./sink.server";

const bin = fileURLToPath(new URL("../../../cli/bin/slipway.js", import.meta.url));
const MiB = 1024 ** 2;
/** This file's "small" builders: tight enough for a RUN to be killed for memory. */
const LIMIT = 384 * MiB;
const cgroups = detectCgroups();

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// What is recorded per build, queue positions and multi-platform push, through the real CLI, the
// API handlers, the BuildService and its BuilderPool on real engines, and a throw-away database.
// One project ("tight": builds per builder 1, autoscaling off, small = 384 MiB) keeps this file
// to one amd64 engine, plus an amd64 and an arm64 engine for the multi-platform project.
describe("build records, queue positions and multi-platform push", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let stateDir: string;
  let home: string;
  let server: Server;
  let url: string;
  let service: BuildService;
  let token: string;
  let otherToken: string;
  let tightId: string;

  const env = (): NodeJS.ProcessEnv => {
    const vars: NodeJS.ProcessEnv = { ...process.env, HOME: home, SLIPWAY_URL: url };
    delete vars.XDG_CONFIG_HOME;
    delete vars.SLIPWAY_PROJECT;
    return { ...vars, SLIPWAY_TOKEN: token };
  };
  const cli = (args: string[]) =>
    new Promise<CliResult>((resolve) => {
      execFile("node", [bin, ...args], { env: env() }, (error, stdout, stderr) => {
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
  const getBuild = async (id: string, as = token) => {
    const answer = await fetch(`${url}/api/v1/builds/${id}`, {
      headers: { authorization: `Bearer ${as}` },
    });
    return { status: answer.status, body: (await answer.json()) as { build: ApiBuild } };
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    stateDir = await mkdtemp(join(tmpdir(), "slipway-web-builds-"));
    home = await mkdtemp(join(tmpdir(), "slipway-cli-home-"));
    const org = await createOrg(t.db, { slug: "acme" });
    tightId = (
      await createProject(t.db, {
        orgId: org.id,
        slug: "tight",
        settings: {
          builderSize: "SMALL",
          autoscalingEnabled: false,
          buildsPerBuilder: 1,
          maxBuilders: 1,
        },
      })
    ).id;
    await createProject(t.db, {
      orgId: org.id,
      slug: "multi",
      settings: { platforms: ["linux/amd64", "linux/arm64"] },
    });
    token = (await createApiToken(t.db, { orgId: org.id, name: "ci" })).token;
    const other = await createOrg(t.db, { slug: "globex" });
    otherToken = (await createApiToken(t.db, { orgId: other.id, name: "other" })).token;
    service = new BuildService({
      db: t.db,
      stateDir,
      maxContextBytes: 64 * MiB,
      sink: new SpoolSink(spoolFile(stateDir)),
      builderSizes: { SMALL: { cpus: 1, memoryBytes: LIMIT, cacheKeepBytes: 512 * MiB } },
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

  it("records the context sent, CPU/memory samples, peak memory, image size and queue time", async () => {
    const files = {
      // the RUN prints ~390 kB: more than the builder (256 KiB) and telemetry (64 KiB) keep
      Dockerfile: "FROM slipway/busybox:1\nCOPY . /ctx\nRUN sleep 2 && du -s /ctx && seq 1 70000\n",
      ".dockerignore": "*.log\nbuild\n",
      "app/big.bin": "b".repeat(40_000),
      "app/small.txt": "s".repeat(1_000),
      "readme.md": "r".repeat(3_000),
      "debug.log": "ignored".repeat(10_000),
      "build/out.bin": "ignored".repeat(10_000),
    };
    const sent = ["Dockerfile", ".dockerignore", "app/big.bin", "app/small.txt", "readme.md"];
    const sentBytes = sent.reduce((sum, name) => sum + files[name as keyof typeof files].length, 0);
    const dir = await context(files);
    const result = await cli(["build", dir, "--project", "tight", "--progress", "plain"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // the CLI's summary: context size and peak memory
    expect(result.stdout).toMatch(
      /context 4\d\.\d kB \(5 files\) · peak memory \d+(\.\d)? [kMG]B of 402\.7 MB/,
    );

    const row = await t.db.build.findFirstOrThrow({ where: { projectId: tightId, number: 1 } });
    expect(row.status).toBe("SUCCEEDED");
    // the Dockerfile as built, for the build page to mark lint findings on
    expect(row.dockerfileText).toBe(files.Dockerfile);
    const page = await getBuildPage(t.db, { orgSlug: "acme", projectSlug: "tight", number: 1 });
    expect(page.kind === "ok" && page.data.dockerfile).toEqual({
      path: "Dockerfile",
      text: files.Dockerfile,
    });
    expect(
      await getBuildPage(t.db, { orgSlug: "globex", projectSlug: "tight", number: 1 }),
    ).toEqual({ kind: "project-not-found", org: { slug: "globex", name: expect.any(String) } });
    expect(Number(row.contextBytes)).toBe(sentBytes);
    expect(row.contextFileCount).toBe(5);
    expect(row.contextLargest).toEqual([
      { path: "app", kind: "dir", bytes: 41_000 },
      { path: "app/big.bin", kind: "file", bytes: 40_000 },
      { path: "readme.md", kind: "file", bytes: 3_000 },
      { path: "app/small.txt", kind: "file", bytes: 1_000 },
      { path: "Dockerfile", kind: "file", bytes: files.Dockerfile.length },
      { path: ".dockerignore", kind: "file", bytes: files[".dockerignore"].length },
    ]);
    const samples = row.resourceSamples as {
      t: number;
      platform: string;
      cpuPercent: number;
      memoryBytes: number;
    }[];
    // a 2-second RUN sampled about once a second
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const sample of samples) {
      expect(sample.platform).toBe("linux/amd64");
      expect(sample.t).toBeGreaterThanOrEqual(0);
      expect(sample.t).toBeLessThanOrEqual((row.durationMs ?? 0) + 2_000);
      expect(sample.memoryBytes).toBeGreaterThan(0);
      expect(sample.memoryBytes).toBeLessThanOrEqual(LIMIT);
    }
    expect(Number(row.peakMemoryBytes)).toBeGreaterThan(MiB);
    expect(Number(row.peakMemoryBytes)).toBeGreaterThanOrEqual(
      Math.max(...samples.map((s) => s.memoryBytes)),
    );
    if (cgroups.version !== "none") expect(Number(row.memoryLimitBytes)).toBe(LIMIT);
    // the project's cache retention (the default 14 days) reaches its builders' pruning
    expect((await service.pool()).settingsFor(tightId).cacheRetentionMs).toBe(14 * 86_400_000);
    expect(row.oomKilled).toBe(false);
    // busybox plus the copied context
    expect(Number(row.imageSizeBytes)).toBeGreaterThan(sentBytes);
    expect(row.startedAt?.getTime()).toBeGreaterThanOrEqual(row.queuedAt.getTime());

    const { body } = await getBuild(row.id);
    expect(body.build).toMatchObject({
      status: "succeeded",
      queuePosition: null,
      context: { bytes: sentBytes, fileCount: 5 },
      resources: {
        peakMemoryBytes: Number(row.peakMemoryBytes),
        oomKilled: false,
      },
      imageSizeBytes: Number(row.imageSizeBytes),
    });
    expect(body.build.queuedMs).toBe((row.startedAt?.getTime() ?? 0) - row.queuedAt.getTime());
    expect(body.build.resources.samples).toHaveLength(samples.length);
    expect(body.build.context.largest[0]).toEqual({ path: "app", kind: "dir", bytes: 41_000 });
    // another org does not see it
    expect((await getBuild(row.id, otherToken)).status).toBe(404);

    // The RUN step's output goes with its telemetry (spooled here: no ingest in this file), so
    // its detail can show it; the telemetry goes out after the build is final, so wait for it.
    // Too long to keep whole: its head and its tail, and how much was left out between.
    const spooledRun = async () => {
      const text = await readFile(spoolFile(stateDir), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
        .find((e) => e.type === "step" && String(e.data.name).includes("du -s /ctx"));
    };
    await expect.poll(spooledRun, { timeout: 15_000 }).toBeDefined();
    const run = await spooledRun();
    const logs = run?.data.logs as { at: string | null; stream: string; text: string }[];
    const text = logs.map((l) => l.text).join("");
    expect(text.length).toBeLessThanOrEqual(65_536);
    expect(text).toMatch(/^\d+\s+\/ctx\n1\n2\n3\n/);
    expect(text).toMatch(/\n69999\n70000\n$/);
    // one gap: the builder kept 256 KiB (head and tail), telemetry 64 KiB of those; what both
    // left out is counted in one entry, exactly
    const printed = `${text.split("\n")[0]}\n${Array.from({ length: 70_000 }, (_, i) => `${i + 1}\n`).join("")}`;
    const kept = logs.filter((l) => l.stream === "stdout").reduce((n, l) => n + l.text.length, 0);
    expect(logs.filter((l) => l.stream === "other")).toEqual([
      {
        at: null,
        stream: "other",
        text: `[… ${printed.length - kept} bytes of output left out …]\n`,
      },
    ]);
    expect(
      logs.filter((l) => l.stream !== "other").every((l) => l.stream === "stdout" && l.at),
    ).toBe(true);
    expect(run?.data.logsTruncated).toBe(true);
  });

  it("shows waiting builds as queued with their position, in the stream, the API and the CLI", async () => {
    // three concurrent builds, one builder taking one build at a time, no autoscaling
    const dirs = await Promise.all(
      [1, 2, 3].map((n) =>
        context({ Dockerfile: `FROM slipway/busybox:1\nRUN sleep 3 && echo queued-${n}\n` }),
      ),
    );
    const outputs = new Map<number, string>();
    const children: ChildProcess[] = [];
    const exits = dirs.map((dir, i) => {
      const child = spawn("node", [bin, "build", dir, "--project", "tight", "--progress", "json"], {
        env: env(),
      });
      children.push(child);
      outputs.set(i, "");
      child.stdout?.on("data", (chunk: Buffer) => {
        outputs.set(i, (outputs.get(i) ?? "") + chunk.toString());
      });
      return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
    });
    // poll the API while they run: what GET /builds/:id says of each
    const seen: { id: string; status: string; queuePosition: number | null }[] = [];
    let done = false;
    void Promise.all(exits).then(() => {
      done = true;
    });
    while (!done) {
      const ids = [...outputs.values()].flatMap((text) =>
        text
          .split("\n")
          .filter((line) => line.startsWith('{"type":"build"'))
          .map((line) => (JSON.parse(line) as { build: { id: string } }).build.id),
      );
      for (const id of ids) {
        const { body } = await getBuild(id);
        seen.push({ id, status: body.build.status, queuePosition: body.build.queuePosition });
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);

    const streams = [...outputs.values()].map((text) =>
      text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as BuildStreamEvent),
    );
    const positions = streams.map((events) =>
      events.flatMap((event) => (event.type === "queued" ? [event.position] : [])),
    );
    // one started at once, one waited as next, one waited behind it and then moved up
    expect(positions.map((p) => p.join(",")).sort()).toEqual(["", "1", "2,1"]);
    const engines = new Set(
      streams.flatMap((events) =>
        events.flatMap((event) => (event.type === "started" ? [event.engineId] : [])),
      ),
    );
    expect(engines.size).toBe(1);
    // the API said the same while they waited
    const idOf = (events: BuildStreamEvent[]) => {
      const first = events[0];
      return first?.type === "build" ? first.build.id : "";
    };
    const third = streams.find((_, i) => positions[i]?.join(",") === "2,1");
    const second = streams.find((_, i) => positions[i]?.join(",") === "1");
    if (!third || !second) throw new Error("no queued builds");
    expect(seen).toContainEqual({ id: idOf(third), status: "queued", queuePosition: 2 });
    expect(seen).toContainEqual({ id: idOf(third), status: "queued", queuePosition: 1 });
    expect(seen).toContainEqual({ id: idOf(second), status: "queued", queuePosition: 1 });
    // a queued build is never shown running with a position
    expect(seen.filter((s) => s.status !== "queued" && s.queuePosition !== null)).toEqual([]);
    // queue time is what it waited: the third waited for two 3-second builds
    const summaryOf = (events: BuildStreamEvent[]) => {
      const last = events.at(-1);
      if (last?.type !== "summary") throw new Error("no summary");
      return last.summary;
    };
    expect(summaryOf(third).queuedMs).toBeGreaterThan(5_000);
    expect(summaryOf(third).context?.fileCount).toBe(1);
    expect(summaryOf(third).resources?.peakMemoryBytes).toBeGreaterThan(0);
  });

  it.skipIf(cgroups.version === "none")(
    "a step over the builder's memory limit is OOM-killed; the row, the error and the CLI say so",
    async () => {
      const dir = await context({
        Dockerfile: "FROM slipway/busybox:1\nRUN dd if=/dev/zero of=/dev/null bs=600M count=1\n",
      });
      const result = await cli(["build", dir, "--project", "tight", "--progress", "plain"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("error: out-of-memory:");
      expect(result.stderr).toContain("the builder's limit is 384 MiB");
      expect(result.stdout).toContain("OUT OF MEMORY: a step was killed at the builder's limit");
      const row = await t.db.build.findFirstOrThrow({
        where: { projectId: tightId },
        orderBy: { number: "desc" },
      });
      expect(row.status).toBe("FAILED");
      expect(row.oomKilled).toBe(true);
      expect(row.error).toMatch(
        /^out-of-memory: .*killed for memory: the builder's limit is 384 MiB/,
      );
      expect(Number(row.memoryLimitBytes)).toBe(LIMIT);
      expect((await getBuild(row.id)).body.build.resources.oomKilled).toBe(true);
    },
  );

  it("pushes each platform's image and a manifest list under the tag", async () => {
    const { startRegistry } = await import("../../../../packages/builder-core/src/testing.ts");
    const registry = await startRegistry(stateDir);
    try {
      const tag = `127.0.0.1:${registry.port}/acme/multi:2`;
      const dir = await context({ Dockerfile: "FROM slipway/busybox:1\nRUN uname -m > /arch\n" });
      const result = await cli([
        "build",
        dir,
        "--project",
        "multi",
        "--platform",
        "linux/amd64,linux/arm64",
        "-t",
        tag,
        "--push",
        "--progress",
        "json",
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const events = result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as BuildStreamEvent);
      const last = events.at(-1);
      if (last?.type !== "summary") throw new Error("no summary");
      const list = last.summary.manifestLists?.[0];
      expect(list?.tag).toBe(tag);
      const answer = await fetch(`http://127.0.0.1:${registry.port}/v2/acme/multi/manifests/2`, {
        headers: { accept: "application/vnd.docker.distribution.manifest.list.v2+json" },
      });
      expect(answer.headers.get("docker-content-digest")).toBe(list?.digest);
      const index = (await answer.json()) as {
        manifests: { digest: string; platform: { architecture: string } }[];
      };
      const pushed = last.summary.platforms.map((p) => p.pushed?.[0]?.digest);
      expect(index.manifests.map((m) => [m.platform.architecture, m.digest])).toEqual([
        ["amd64", pushed[0]],
        ["arm64", pushed[1]],
      ]);
      // the two platform builds ran at once, each on its own platform's builder
      const [amd64, arm64] = last.summary.platforms.map((p) => {
        const start = Date.parse(p.startedAt ?? "");
        return { start, end: start + p.durationMs, engine: p.engineId };
      });
      if (!amd64 || !arm64) throw new Error("two platforms expected");
      expect(amd64.start).toBeLessThan(arm64.end);
      expect(arm64.start).toBeLessThan(amd64.end);
      expect(amd64.engine).not.toBe(arm64.engine);
    } finally {
      registry.child.kill("SIGKILL");
    }
  });

  it("marks builds an earlier server process left queued or running failed, at start-up", async () => {
    const { orgId } = await t.db.project.findUniqueOrThrow({ where: { id: tightId } });
    const ago = (ms: number) => new Date(Date.now() - ms);
    const row = (number: number, data: Record<string, unknown>) =>
      t.db.build.create({
        data: {
          orgId,
          projectId: tightId,
          number,
          platforms: ["linux/amd64"],
          tags: [],
          triggeredBy: "ci",
          queuedAt: ago(60_000),
          ...data,
        },
      });
    // what the process that died left: a queued build, a running one, and rows to leave alone
    const queued = await row(9001, { status: "QUEUED" });
    const running = await row(9002, { status: "RUNNING", startedAt: ago(50_000) });
    const seeded = await row(9003, { status: "RUNNING", startedAt: ago(50_000), seeded: true });
    const done = await row(9004, { status: "SUCCEEDED", finishedAt: ago(40_000) });
    // the restarted process
    const restarted = new BuildService({
      db: t.db,
      stateDir: join(stateDir, "restarted"),
      maxContextBytes: 64 * MiB,
      sink: new SpoolSink(spoolFile(join(stateDir, "restarted"))),
    });
    // a build queued since it started is its own
    const fresh = await row(9005, { status: "QUEUED", queuedAt: new Date(Date.now() + 1) });
    try {
      expect(await restarted.failInterruptedBuilds()).toBe(2);
      // once per process
      expect(await restarted.failInterruptedBuilds()).toBe(2);
      const after = async (id: string) => t.db.build.findUniqueOrThrow({ where: { id } });
      const wasQueued = await after(queued.id);
      expect(wasQueued).toMatchObject({ status: "FAILED", durationMs: 0 });
      expect(wasQueued.error).toMatch(
        /^interrupted: the server restarted while this build was queued/,
      );
      expect(wasQueued.finishedAt?.getTime()).toBeGreaterThan(queued.queuedAt.getTime());
      const wasRunning = await after(running.id);
      expect(wasRunning.status).toBe("FAILED");
      expect(wasRunning.error).toMatch(
        /^interrupted: the server restarted while this build was running/,
      );
      expect((await after(seeded.id)).status).toBe("RUNNING");
      expect((await after(done.id)).status).toBe("SUCCEEDED");
      expect((await after(fresh.id)).status).toBe("QUEUED");
      // the API (and so the dashboard and `GET /builds/:id`) says so
      const { body } = await getBuild(queued.id);
      expect(body.build).toMatchObject({ status: "failed", queuePosition: null });
      expect((body.build as ApiBuild & { error: string }).error).toContain("run the build again");
    } finally {
      await restarted.close();
      await t.db.build.deleteMany({
        where: { id: { in: [queued.id, running.id, seeded.id, done.id, fresh.id] } },
      });
    }
  });
});

interface ApiBuild {
  id: string;
  status: string;
  queuedMs: number | null;
  queuePosition: number | null;
  context: {
    bytes: number | null;
    fileCount: number | null;
    largest: { path: string; kind: string; bytes: number }[];
  };
  resources: {
    memoryLimitBytes: number | null;
    peakMemoryBytes: number | null;
    oomKilled: boolean;
    samples: unknown[];
  };
  imageSizeBytes: number | null;
}
