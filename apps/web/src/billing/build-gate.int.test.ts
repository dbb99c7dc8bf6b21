// The hard spend limit where builds are created: POST /api/v1/builds answers 402 with a message
// naming the org and the limit, before any build row exists; other orgs are not affected.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createApiToken,
  createOrg,
  createProject,
  createTestDatabase,
  ensurePlans,
  type TestDatabase,
} from "@slipway/db/testing";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiDeps } from "../api/handlers.server";
import { handleApiRequest } from "../api/router.server";
import { BuildService } from "../builds/service.server";
import { SpoolSink, spoolFile } from "../builds/sink.server";
import { assertBuildAllowed } from "./build-gate.server";

let t: TestDatabase;
let stateDir: string;
let service: BuildService;
let deps: ApiDeps;
let token: string;
let orgId: string;

async function contextTar(): Promise<Buffer> {
  const pack = tar.pack();
  pack.entry({ name: "Dockerfile" }, "FROM slipway/busybox:1\nRUN true\n");
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const postBuild = async (bearer: string) =>
  handleApiRequest(
    new Request("http://localhost/api/v1/builds?project=web", {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/x-tar" },
      body: new Uint8Array(await contextTar()),
    }),
    deps,
  );

beforeAll(async () => {
  t = await createTestDatabase();
  await ensurePlans(t.db);
  stateDir = await mkdtemp(join(tmpdir(), "slipway-build-gate-"));
  const team = await t.db.plan.findUniqueOrThrow({ where: { code: "team" } });
  const org = await createOrg(t.db, { slug: "capped" });
  orgId = org.id;
  await createProject(t.db, { orgId, slug: "web" });
  token = (await createApiToken(t.db, { orgId, name: "ci" })).token;
  const now = new Date();
  await t.db.subscription.create({
    data: {
      orgId,
      planId: team.id,
      currentPeriodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      currentPeriodEnd: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
      // The Team plan alone ($199) is over this limit.
      spendLimitCents: 10_000,
      hardLimit: true,
    },
  });
  const other = await createOrg(t.db, { slug: "uncapped" });
  await createProject(t.db, { orgId: other.id, slug: "web" });
  service = new BuildService({
    db: t.db,
    stateDir,
    maxContextBytes: 1024 * 1024,
    sink: new SpoolSink(spoolFile(stateDir)),
  });
  deps = { db: t.db, builds: service };
});

afterAll(async () => {
  await service?.close();
  await t?.drop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe("hard spend limit", () => {
  it("refuses new builds with 402 and a message that says what to do, recording no build", async () => {
    const response = await postBuild(token);
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      error: {
        code: "spend-limit-reached",
        message:
          "org capped reached its spend limit of $100.00 (spent $199.00 this period); raise it in Billing",
      },
    });
    expect(await t.db.build.count({ where: { orgId } })).toBe(0);
  });

  it("lets builds through once the limit is raised or made soft, and never blocks another org", async () => {
    await expect(assertBuildAllowed(t.db, { id: orgId, slug: "capped" })).rejects.toMatchObject({
      status: 402,
    });
    await t.db.subscription.update({ where: { orgId }, data: { spendLimitCents: 50_000 } });
    await expect(assertBuildAllowed(t.db, { id: orgId, slug: "capped" })).resolves.toBeUndefined();
    await t.db.subscription.update({
      where: { orgId },
      data: { spendLimitCents: 100, hardLimit: false },
    });
    await expect(assertBuildAllowed(t.db, { id: orgId, slug: "capped" })).resolves.toBeUndefined();
    // Another org (no subscription: Free, no limit) is never refused.
    const other = await t.db.org.findUniqueOrThrow({ where: { slug: "uncapped" } });
    await expect(assertBuildAllowed(t.db, other)).resolves.toBeUndefined();
  });
});
