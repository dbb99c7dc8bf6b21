// projects, cache, runners and webhooks over tRPC: bad input is a 4xx with the field named, and a
// member of org B reaches nothing of org A even when naming A's project slug inside B.

import { createProject, createTestDatabase, type TestDatabase } from "@slipway/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { setCacheEngines } from "../../services/cache.server";
import { type QueryParams, setTelemetryQueryClient } from "../../telemetry/query.server";
import { callerFor, orgWithRoles } from "../../testing/auth";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof orgWithRoles>>;
let b: Awaited<ReturnType<typeof orgWithRoles>>;
let projectA: { id: string };
const asked: QueryParams[] = [];
const resets: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  a = await orgWithRoles(t.db, "trpc-a");
  b = await orgWithRoles(t.db, "trpc-b");
  projectA = await createProject(t.db, { orgId: a.org.id, slug: "app", name: "App" });
  setCacheEngines({
    cacheUsage: async () => undefined,
    resetCache: async (projectId) => {
      resets.push(projectId);
      return { deletedIds: [], reclaimedBytes: 0 };
    },
    builders: async () => ({ engines: [], snapshots: [] }),
  });
  setTelemetryQueryClient({
    async get<S extends z.ZodType>(_path: string, params: QueryParams, schema: S) {
      asked.push(params);
      return schema.parse({ rows: [] }) as z.output<S>;
    },
  });
});

afterAll(async () => {
  setCacheEngines(undefined);
  setTelemetryQueryClient(undefined);
  await t?.drop();
});

async function errorOf(promise: Promise<unknown>): Promise<TRPCError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
}

describe("projects over tRPC", () => {
  it("creates, changes settings and deletes; bad input is BAD_REQUEST naming the field", async () => {
    const owner = callerFor(t.db, a.users.OWNER);
    const created = await owner.projects.create({ orgSlug: "trpc-a", name: "Docs site" });
    expect(created.slug).toBe("docs-site");
    const dup = await errorOf(owner.projects.create({ orgSlug: "trpc-a", name: "Docs site" }));
    expect(dup?.code).toBe("CONFLICT");

    const bad = await errorOf(
      owner.projects.updateSettings({
        orgSlug: "trpc-a",
        projectSlug: "docs-site",
        settings: {
          builderSize: "SMALL",
          platforms: ["linux/amd64"],
          autoscalingEnabled: true,
          buildsPerBuilder: 0,
          maxBuilders: 2,
          cacheSizeLimitGiB: 10,
          cacheRetentionDays: 7,
          lintPolicy: "REPORT",
        },
      }),
    );
    expect(bad?.code).toBe("BAD_REQUEST");
    expect(bad?.message).toMatch(/buildsPerBuilder/);

    const saved = await owner.projects.updateSettings({
      orgSlug: "trpc-a",
      projectSlug: "docs-site",
      settings: {
        builderSize: "LARGE",
        platforms: ["linux/arm64"],
        autoscalingEnabled: true,
        buildsPerBuilder: 3,
        maxBuilders: 5,
        cacheSizeLimitGiB: 10,
        cacheRetentionDays: 7,
        lintPolicy: "FAIL_ON_ERROR",
      },
    });
    expect(saved.changed.sort()).toEqual([
      "autoscalingEnabled",
      "builderSize",
      "buildsPerBuilder",
      "cacheRetentionDays",
      "cacheSizeLimitGiB",
      "lintPolicy",
      "maxBuilders",
      "platforms",
    ]);
    const read = await callerFor(t.db, a.users.VIEWER).projects.settings({
      orgSlug: "trpc-a",
      projectSlug: "docs-site",
    });
    expect(read.settings).toMatchObject({ builderSize: "LARGE", platforms: ["linux/arm64"] });

    const wrongName = await errorOf(
      owner.projects.delete({ orgSlug: "trpc-a", projectSlug: "docs-site", confirm: "docs" }),
    );
    expect(wrongName?.code).toBe("BAD_REQUEST");
    await owner.projects.delete({
      orgSlug: "trpc-a",
      projectSlug: "docs-site",
      confirm: "Docs site",
    });
    const gone = await errorOf(
      owner.projects.settings({ orgSlug: "trpc-a", projectSlug: "docs-site" }),
    );
    expect(gone?.code).toBe("NOT_FOUND");
  });

  it("gives org B nothing of org A, by A's slug or through B's own org", async () => {
    for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const) {
      const outsider = callerFor(t.db, b.users[role]);
      // Through their own org, naming A's project slug: no such project in B.
      for (const attempt of [
        () => outsider.projects.settings({ orgSlug: "trpc-b", projectSlug: "app" }),
        () => outsider.cache.get({ orgSlug: "trpc-b", projectSlug: "app" }),
      ]) {
        expect((await errorOf(attempt()))?.code, role).toBe("NOT_FOUND");
      }
      if (role === "OWNER" || role === "ADMIN") {
        for (const attempt of [
          () => outsider.projects.rename({ orgSlug: "trpc-b", projectSlug: "app", name: "Pwned" }),
          () => outsider.projects.delete({ orgSlug: "trpc-b", projectSlug: "app", confirm: "App" }),
          () =>
            outsider.cache.reset({
              orgSlug: "trpc-b",
              projectSlug: "app",
              platform: "linux/amd64",
            }),
        ]) {
          expect((await errorOf(attempt()))?.code, role).toBe("NOT_FOUND");
        }
      }
    }
    expect(resets).toEqual([]);
    const project = await t.db.project.findUniqueOrThrow({ where: { id: projectA.id } });
    expect(project).toMatchObject({ name: "App", deletedAt: null });

    // Runner insights are asked for the caller's own org id, never another.
    asked.length = 0;
    await callerFor(t.db, b.users.VIEWER).runners.overview({ orgSlug: "trpc-b" });
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((p) => p.orgId === b.org.id)).toBe(true);
  });

  it("refuses bad runner periods and cache platforms with BAD_REQUEST", async () => {
    const viewer = callerFor(t.db, a.users.VIEWER);
    expect((await errorOf(viewer.runners.overview({ orgSlug: "trpc-a", days: 3 })))?.code).toBe(
      "BAD_REQUEST",
    );
    expect(
      (
        await errorOf(
          viewer.cache.get({ orgSlug: "trpc-a", projectSlug: "app", platform: "linux/s390x" }),
        )
      )?.code,
    ).toBe("BAD_REQUEST");
    const owner = callerFor(t.db, a.users.OWNER);
    const reset = await owner.cache.reset({
      orgSlug: "trpc-a",
      projectSlug: "app",
      platform: "linux/amd64",
    });
    expect(reset.deletedCount).toBe(0);
    expect(resets).toEqual([projectA.id]);
  });
});
