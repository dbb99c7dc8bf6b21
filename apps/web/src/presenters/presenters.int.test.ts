import { addMember, createTestDatabase, createUser } from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db.server";
import { NOW, seedManyBuilds, seedReadModelFixture } from "../testing/fixtures";
import { getOrgOverview } from "./org-overview.server";
import { getOrgShell } from "./orgs.server";
import { getProjectBuilds } from "./project-builds.server";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb?.drop();
});

describe("read models", () => {
  beforeAll(async () => {
    await seedReadModelFixture(db);
    await seedManyBuilds(db, "zeta", "busy", 60);
  });

  it("builds the org shell from live projects of that org only, listing the user's orgs", async () => {
    const user = await createUser(db);
    for (const slug of ["acme", "globex"]) {
      const org = await db.org.findUniqueOrThrow({ where: { slug } });
      await addMember(db, org.id, user.id, "VIEWER");
    }
    const shell = await getOrgShell(db, "acme", user.id);
    expect(shell?.org).toEqual({ slug: "acme", name: "Acme Robotics" });
    expect(shell?.projects.map((p) => p.slug)).toEqual(["api", "web"]);
    // zeta exists but the user is not a member.
    expect(shell?.orgs.map((o) => o.slug)).toEqual(["acme", "globex"]);
    expect(await getOrgShell(db, "nope", user.id)).toBeNull();
  });

  describe("getOrgOverview", () => {
    it("is null for an unknown org", async () => {
      expect(await getOrgOverview(db, "nope", { now: NOW })).toBeNull();
    });

    it("shows one card per live project with its 30-day numbers", async () => {
      const overview = await getOrgOverview(db, "acme", { now: NOW });
      expect(overview?.projects.map((p) => p.slug)).toEqual(["api", "web"]);
      const api = overview?.projects[0];
      expect(api).toMatchObject({
        name: "api",
        platforms: ["linux/amd64", "linux/arm64"],
        autoscalingEnabled: true,
        maxBuilders: 4,
        builds: 5,
        succeeded: 3,
        failed: 1,
        successRate: 0.75,
        p50DurationMs: 120_000,
        lastBuild: { number: 6, status: "RUNNING", createdAt: "2025-03-31T11:00:00.000Z" },
      });
      expect(api?.cacheHitRatio).toBeCloseTo(0.55);
      expect(overview?.projects[1]).toMatchObject({
        slug: "web",
        autoscalingEnabled: false,
        builds: 0,
        successRate: null,
        p50DurationMs: null,
        lastBuild: null,
      });
    });

    it("counts only this org's live projects in the totals", async () => {
      const overview = await getOrgOverview(db, "acme", { now: NOW });
      expect(overview?.totals).toMatchObject({
        builds: 5,
        succeeded: 3,
        failed: 1,
        successRate: 0.75,
        p50DurationMs: 120_000,
      });
      const globex = await getOrgOverview(db, "globex", { now: NOW });
      expect(globex?.totals).toMatchObject({ builds: 3, succeeded: 0, failed: 2, successRate: 0 });
      expect(globex?.projects.map((p) => p.slug)).toEqual(["api"]);
    });

    it("has 30 UTC days of builds by status, ending today", async () => {
      const overview = await getOrgOverview(db, "acme", { now: NOW });
      const daily = overview?.daily ?? [];
      expect(daily).toHaveLength(30);
      expect(daily[0]?.date).toBe("2025-03-02");
      expect(daily.at(-1)).toEqual({
        date: "2025-03-31",
        QUEUED: 0,
        RUNNING: 1,
        SUCCEEDED: 1,
        FAILED: 0,
        CANCELED: 0,
      });
      expect(daily.find((d) => d.date === "2025-03-29")).toMatchObject({
        SUCCEEDED: 1,
        FAILED: 1,
      });
      const sum = daily.reduce(
        (n, d) => n + d.QUEUED + d.RUNNING + d.SUCCEEDED + d.FAILED + d.CANCELED,
        0,
      );
      expect(sum).toBe(overview?.totals.builds);
      expect(overview?.window).toEqual({
        days: 30,
        from: "2025-03-02T00:00:00.000Z",
        to: NOW.toISOString(),
      });
    });
  });

  describe("getProjectBuilds", () => {
    it("lists a project's builds newest first", async () => {
      const result = await getProjectBuilds(db, { orgSlug: "acme", projectSlug: "api", page: 1 });
      expect(result.kind).toBe("ok");
      if (result.kind !== "ok") return;
      expect(result.data.builds.map((b) => b.number)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(result.data.builds[1]).toMatchObject({
        status: "SUCCEEDED",
        durationMs: 60_000,
        cacheHitRatio: 0.9,
        triggeredBy: "Ada Lovelace",
        platforms: ["linux/amd64", "linux/arm64"],
        createdAt: "2025-03-31T10:00:00.000Z",
      });
      expect(result.data.pagination).toEqual({
        page: 1,
        pageSize: 25,
        totalBuilds: 6,
        totalPages: 1,
      });
    });

    it("scopes the project slug by org", async () => {
      const globex = await getProjectBuilds(db, { orgSlug: "globex", projectSlug: "api", page: 1 });
      expect(globex.kind === "ok" && globex.data.pagination.totalBuilds).toBe(3);
      expect(
        await getProjectBuilds(db, { orgSlug: "globex", projectSlug: "web", page: 1 }),
      ).toEqual({ kind: "project-not-found", org: { slug: "globex", name: "Globex" } });
    });

    it("does not find unknown orgs or deleted projects", async () => {
      expect(await getProjectBuilds(db, { orgSlug: "nope", projectSlug: "api", page: 1 })).toEqual({
        kind: "org-not-found",
      });
      const deleted = await getProjectBuilds(db, {
        orgSlug: "acme",
        projectSlug: "legacy",
        page: 1,
      });
      expect(deleted.kind).toBe("project-not-found");
    });

    it("paginates on the server", async () => {
      const page3 = await getProjectBuilds(db, { orgSlug: "zeta", projectSlug: "busy", page: 3 });
      expect(page3.kind).toBe("ok");
      if (page3.kind !== "ok") return;
      expect(page3.data.pagination).toEqual({
        page: 3,
        pageSize: 25,
        totalBuilds: 60,
        totalPages: 3,
      });
      expect(page3.data.builds.map((b) => b.number)).toEqual(
        Array.from({ length: 10 }, (_, i) => 10 - i),
      );
      expect(await getProjectBuilds(db, { orgSlug: "zeta", projectSlug: "busy", page: 4 })).toEqual(
        { kind: "page-out-of-range", totalPages: 3 },
      );
    });

    it("has one empty first page for a project without builds", async () => {
      const web = await getProjectBuilds(db, { orgSlug: "acme", projectSlug: "web", page: 1 });
      expect(web.kind === "ok" && web.data.builds).toEqual([]);
      expect(web.kind === "ok" && web.data.pagination.totalPages).toBe(1);
    });
  });
});
