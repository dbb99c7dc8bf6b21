import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../crypto.ts";
import type { Db } from "../index.ts";
import { createTestDatabase, type TestDatabase } from "../testing.ts";
import { DEMO_USERS, type DemoSeedResult, seedDemo } from "./demo.ts";

const now = new Date("2026-03-15T12:00:00Z");

async function counts(db: Db) {
  const [users, orgs, memberships, projects, settings, builds, tokens, plans, subs, invoices] =
    await Promise.all([
      db.user.count(),
      db.org.count(),
      db.membership.count(),
      db.project.count(),
      db.projectSettings.count(),
      db.build.count(),
      db.apiToken.count(),
      db.plan.count(),
      db.subscription.count(),
      db.invoice.count(),
    ]);
  return { users, orgs, memberships, projects, settings, builds, tokens, plans, subs, invoices };
}

describe("seedDemo", () => {
  let t: TestDatabase;
  let first: DemoSeedResult;

  beforeAll(async () => {
    t = await createTestDatabase();
    first = await seedDemo(t.db, { now });
  });

  afterAll(async () => {
    await t?.drop();
  });

  it("creates the demo org with members of every role, projects and ~300 builds", async () => {
    expect(first.created).toBe(true);
    expect(first.org).toMatchObject({ slug: "acme", name: "Acme Robotics" });
    expect(first.users.map((u) => u.role).sort()).toEqual(["ADMIN", "MEMBER", "OWNER", "VIEWER"]);
    expect(first.projects.map((p) => p.slug)).toEqual(["api", "web", "worker"]);
    expect(first.projects.flatMap((p) => p.platforms)).toContain("linux/arm64");
    expect(first.builds.length).toBeGreaterThanOrEqual(250);
    expect(first.builds.length).toBeLessThanOrEqual(350);

    const statuses = new Map<string, number>();
    for (const b of first.builds) statuses.set(b.status, (statuses.get(b.status) ?? 0) + 1);
    expect(statuses.get("CANCELED")).toBe(2);
    expect(statuses.get("FAILED") ?? 0).toBeGreaterThan(0);
    expect((statuses.get("SUCCEEDED") ?? 0) / first.builds.length).toBeGreaterThan(0.8);

    const settings = await t.db.projectSettings.findMany();
    expect(settings.some((s) => s.autoscalingEnabled)).toBe(true);
    expect(await t.db.plan.count()).toBe(4);
    expect(await t.db.subscription.count({ where: { orgId: first.org.id } })).toBe(1);
    expect(await t.db.invoice.count({ where: { orgId: first.org.id } })).toBe(1);
  });

  it("builds are plausible: inside the last 30 days, ordered times, numbered per project", () => {
    const from = now.getTime() - 30 * 24 * 3600 * 1000;
    const numbers = new Map<string, number[]>();
    for (const b of first.builds) {
      expect(b.queuedAt.getTime()).toBeGreaterThanOrEqual(from);
      expect(b.finishedAt?.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(b.startedAt?.getTime()).toBeGreaterThanOrEqual(b.queuedAt.getTime());
      expect(b.finishedAt?.getTime()).toBeGreaterThan(b.startedAt?.getTime() ?? 0);
      expect(b.cachedStepCount).toBeLessThanOrEqual(b.stepCount);
      numbers.set(b.projectId, [...(numbers.get(b.projectId) ?? []), b.number]);
    }
    for (const ns of numbers.values()) {
      expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
    }
  });

  it("is idempotent: a second run writes nothing and returns the same builds", async () => {
    const before = await counts(t.db);
    const second = await seedDemo(t.db, { now: new Date(now.getTime() + 86_400_000) });
    expect(second.created).toBe(false);
    expect(await counts(t.db)).toEqual(before);
    expect(second.builds).toEqual(first.builds);
  });

  it("marks every demo row as seeded", async () => {
    expect(await t.db.org.count({ where: { seeded: false } })).toBe(0);
    expect(await t.db.project.count({ where: { seeded: false } })).toBe(0);
    expect(await t.db.build.count({ where: { seeded: false } })).toBe(0);
    expect(await t.db.user.count({ where: { seeded: false } })).toBe(0);
    expect(await t.db.user.count({ where: { seeded: true } })).toBe(DEMO_USERS.length);
  });

  it("stores argon2id password hashes that verify, and only hashes of API tokens", async () => {
    for (const u of DEMO_USERS) {
      const row = await t.db.user.findUniqueOrThrow({ where: { email: u.email } });
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(row.passwordHash, u.password)).toBe(true);
      expect(await verifyPassword(row.passwordHash, "wrong")).toBe(false);
    }
    const tokens = await t.db.apiToken.findMany();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const token of tokens) {
      expect(token.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(token.prefix).toMatch(/^slw_/);
    }
  });

  it("is deterministic: a fresh database with the same `now` gets the same data", async () => {
    const other = await createTestDatabase();
    try {
      const again = await seedDemo(other.db, { now });
      expect(again.created).toBe(true);
      expect(again.org.id).toBe(first.org.id);
      expect(again.builds).toEqual(first.builds);
    } finally {
      await other.drop();
    }
  });
});
