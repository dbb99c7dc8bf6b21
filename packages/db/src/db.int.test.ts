import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateBuildNumber, checkDatabase, createDb, Prisma } from "./index.ts";
import {
  addMember,
  createApiToken,
  createBuild,
  createOrg,
  createProject,
  createTestDatabase,
  createUser,
  type TestDatabase,
} from "./testing.ts";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

/** The Prisma error code a promise rejects with (P2002 = unique constraint). */
async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError) return err.code;
    throw err;
  }
  return undefined;
}

describe("checkDatabase", () => {
  it("reports ok with a latency for a reachable database", async () => {
    const health = await checkDatabase(t.db);
    expect(health.status).toBe("ok");
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.error).toBeUndefined();
  });

  it("reports an error, without throwing, for an unreachable database", async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const db = createDb("postgresql://slipway:secret-pw@127.0.0.1:1/nowhere", {
      connectionTimeoutMillis: 2_000,
    });
    try {
      const health = await checkDatabase(db, { timeoutMs: 5_000 });
      expect(health.status).toBe("error");
      expect(health.error).toMatch(/reach|connect|refused/i);
      expect(health.error).not.toContain("secret-pw");
      expect(health.latencyMs).toBeLessThan(5_000);
    } finally {
      await db.$disconnect();
    }
  });

  it("reports a timeout as an error", async () => {
    const never = { $queryRaw: () => new Promise(() => {}) } as unknown as Parameters<
      typeof checkDatabase
    >[0];
    const health = await checkDatabase(never, { timeoutMs: 50 });
    expect(health).toMatchObject({ status: "error", error: "no answer within 50 ms" });
  });
});

describe("unique constraints", () => {
  it("user email is unique", async () => {
    const u = await createUser(t.db);
    expect(await errorCode(createUser(t.db, { email: u.email }))).toBe("P2002");
  });

  it("org slug is unique; project slug is unique within an org only", async () => {
    const a = await createOrg(t.db);
    const b = await createOrg(t.db);
    expect(await errorCode(createOrg(t.db, { slug: a.slug }))).toBe("P2002");
    await createProject(t.db, { orgId: a.id, slug: "api" });
    await createProject(t.db, { orgId: b.id, slug: "api" });
    expect(await errorCode(createProject(t.db, { orgId: a.id, slug: "api" }))).toBe("P2002");
  });

  it("one membership per user and org", async () => {
    const org = await createOrg(t.db);
    const user = await createUser(t.db);
    await addMember(t.db, org.id, user.id, "ADMIN");
    expect(await errorCode(addMember(t.db, org.id, user.id, "VIEWER"))).toBe("P2002");
  });

  it("build numbers are unique per project", async () => {
    const org = await createOrg(t.db);
    const project = await createProject(t.db, { orgId: org.id });
    await createBuild(t.db, { project, number: 1 });
    expect(await errorCode(createBuild(t.db, { project, number: 1 }))).toBe("P2002");
  });

  it("API token hashes are unique", async () => {
    const org = await createOrg(t.db);
    const { apiToken } = await createApiToken(t.db, { orgId: org.id });
    expect(
      await errorCode(createApiToken(t.db, { orgId: org.id, secretHash: apiToken.secretHash })),
    ).toBe("P2002");
  });

  it("audit sequence numbers are unique per org", async () => {
    const org = await createOrg(t.db);
    const event = {
      orgId: org.id,
      seq: 1n,
      actorType: "SYSTEM" as const,
      actorName: "system",
      action: "org.create",
      targetType: "org",
      targetId: org.id,
      targetName: org.name,
      hash: new Uint8Array(32),
    };
    await t.db.auditEvent.create({ data: event });
    expect(await errorCode(t.db.auditEvent.create({ data: event }))).toBe("P2002");
  });

  it("one invoice per org and period start", async () => {
    const org = await createOrg(t.db);
    const invoice = {
      orgId: org.id,
      periodStart: new Date("2026-01-01T00:00:00Z"),
      periodEnd: new Date("2026-02-01T00:00:00Z"),
      lineItems: [],
      subtotalCents: 0,
      totalCents: 0,
    };
    await t.db.invoice.create({ data: invoice });
    expect(await errorCode(t.db.invoice.create({ data: invoice }))).toBe("P2002");
  });
});

describe("schema behaviour", () => {
  it("allocates distinct, gapless build numbers under concurrency", async () => {
    const org = await createOrg(t.db);
    const project = await createProject(t.db, { orgId: org.id });
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => allocateBuildNumber(t.db, project.id)),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("project settings get their defaults", async () => {
    const org = await createOrg(t.db);
    const project = await createProject(t.db, { orgId: org.id });
    expect(project.settings).toMatchObject({
      builderSize: "SMALL",
      platforms: ["linux/amd64"],
      autoscalingEnabled: false,
      lintPolicy: "REPORT",
      cacheSizeLimitBytes: 53_687_091_200n,
    });
  });

  it("deleting an org cascades to its projects, builds and tokens; users stay", async () => {
    const org = await createOrg(t.db);
    const user = await createUser(t.db);
    await addMember(t.db, org.id, user.id, "OWNER");
    const project = await createProject(t.db, { orgId: org.id });
    await createBuild(t.db, { project, triggeredByUserId: user.id });
    await createApiToken(t.db, { orgId: org.id, projectId: project.id, createdById: user.id });

    await t.db.org.delete({ where: { id: org.id } });
    expect(await t.db.project.count({ where: { orgId: org.id } })).toBe(0);
    expect(await t.db.build.count({ where: { orgId: org.id } })).toBe(0);
    expect(await t.db.apiToken.count({ where: { orgId: org.id } })).toBe(0);
    expect(await t.db.membership.count({ where: { orgId: org.id } })).toBe(0);
    expect(await t.db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  });

  it("deleting a user keeps the builds they triggered", async () => {
    const org = await createOrg(t.db);
    const user = await createUser(t.db);
    const project = await createProject(t.db, { orgId: org.id });
    const build = await createBuild(t.db, {
      project,
      triggeredBy: user.name,
      triggeredByUserId: user.id,
    });
    await t.db.user.delete({ where: { id: user.id } });
    const after = await t.db.build.findUniqueOrThrow({ where: { id: build.id } });
    expect(after.triggeredByUserId).toBeNull();
    expect(after.triggeredBy).toBe(user.name);
  });
});
