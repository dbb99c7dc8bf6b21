import { poolSettingsSchema } from "@slipway/builder-core";
import { verifyAuditChain } from "@slipway/db";
import { createApiToken, createTestDatabase, type TestDatabase } from "@slipway/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../api/auth.server";
import { resolveProject } from "../api/projects.server";
import type { StartBuildInput } from "../builds/service.server";
import { actorFor, orgWithRoles } from "../testing/auth";
import { ServiceError } from "./errors";
import {
  createProject,
  DEFAULT_SETTINGS,
  deleteProject,
  FieldErrors,
  GIB,
  getProjectSettings,
  type ProjectSettingsValues,
  renameProject,
  settingsFromForm,
  updateProjectSettings,
} from "./projects.server";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof orgWithRoles>>;
let b: Awaited<ReturnType<typeof orgWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await orgWithRoles(t.db, "proj-a");
  b = await orgWithRoles(t.db, "proj-b");
});

afterAll(async () => {
  await t?.drop();
});

const actor = (org: typeof a, role: keyof typeof a.users) =>
  actorFor(org.users[role], org.org, role, org.memberships[role]);

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError))
    throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

const eventsOf = (orgId: string, action: string) =>
  t.db.auditEvent.findMany({ where: { orgId, action }, orderBy: { seq: "asc" } });

describe("creating projects", () => {
  it("derives the slug from the name, creates default settings and records project.created once", async () => {
    const created = await createProject(t.db, actor(a, "MEMBER"), { name: "  Billing API  " });
    expect(created).toMatchObject({ slug: "billing-api", name: "Billing API" });
    const stored = await getProjectSettings(t.db, a.org.id, "billing-api");
    expect(stored?.settings).toEqual(DEFAULT_SETTINGS);
    const events = await eventsOf(a.org.id, "project.created");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      targetId: created.id,
      changes: { name: { from: null, to: "Billing API" }, slug: { from: null, to: "billing-api" } },
    });
    expect((await verifyAuditChain(t.db, a.org.id)).ok).toBe(true);
  });

  it("refuses bad names and slugs next to the field, taken slugs with a clear message, and viewers", async () => {
    const empty = await refusal(createProject(t.db, actor(a, "OWNER"), { name: "   " }));
    expect(empty).toBeInstanceOf(FieldErrors);
    expect((empty as FieldErrors).fields.name).toMatch(/Enter a name/);

    const badSlug = await refusal(
      createProject(t.db, actor(a, "OWNER"), { name: "Ok", slug: "Not A Slug!" }),
    );
    expect(badSlug.field).toBe("slug");
    expect(badSlug.code).toBe("BAD_REQUEST");

    const symbols = await refusal(createProject(t.db, actor(a, "OWNER"), { name: "!!!" }));
    expect(symbols.field).toBe("name");

    const reserved = await refusal(createProject(t.db, actor(a, "OWNER"), { name: "New" }));
    expect(reserved.message).toMatch(/reserved/);

    const taken = await refusal(createProject(t.db, actor(a, "ADMIN"), { name: "Billing API" }));
    expect(taken).toMatchObject({ code: "CONFLICT", field: "name" });
    expect(taken.message).toMatch(/already has a project at “billing-api”/);

    // The same slug in another org is fine: slugs are unique per org.
    await expect(
      createProject(t.db, actor(b, "OWNER"), { name: "Billing API" }),
    ).resolves.toMatchObject({ slug: "billing-api" });

    const viewer = await refusal(createProject(t.db, actor(a, "VIEWER"), { name: "Nope" }));
    expect(viewer.code).toBe("FORBIDDEN");
    expect(await t.db.project.count({ where: { orgId: a.org.id, name: "Nope" } })).toBe(0);
    expect(await eventsOf(a.org.id, "project.created")).toHaveLength(1);
  });
});

describe("renaming and deleting", () => {
  it("renames (owner/admin), records from/to, and cannot reach another org's project", async () => {
    await createProject(t.db, actor(a, "OWNER"), { name: "Worker" });
    const member = await refusal(
      renameProject(t.db, actor(a, "MEMBER"), { projectSlug: "worker", name: "Jobs" }),
    );
    expect(member.code).toBe("FORBIDDEN");

    const renamed = await renameProject(t.db, actor(a, "ADMIN"), {
      projectSlug: "worker",
      name: "Background jobs",
    });
    expect(renamed).toMatchObject({ slug: "worker", name: "Background jobs" });
    const [event] = await eventsOf(a.org.id, "project.renamed");
    expect(event?.changes).toEqual({ name: { from: "Worker", to: "Background jobs" } });

    const same = await refusal(
      renameProject(t.db, actor(a, "ADMIN"), { projectSlug: "worker", name: "Background jobs" }),
    );
    expect(same.field).toBe("name");

    // Org B's owner names org A's slug: it does not exist for them.
    const foreign = await refusal(
      renameProject(t.db, actor(b, "OWNER"), { projectSlug: "worker", name: "Stolen" }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    expect((await getProjectSettings(t.db, a.org.id, "worker"))?.name).toBe("Background jobs");
    expect(await eventsOf(b.org.id, "project.renamed")).toHaveLength(0);
  });

  it("deletes only with the typed name; the slug stays taken", async () => {
    await createProject(t.db, actor(a, "OWNER"), { name: "Scratch" });
    const wrong = await refusal(
      deleteProject(t.db, actor(a, "OWNER"), { projectSlug: "scratch", confirm: "scratch" }),
    );
    expect(wrong).toMatchObject({ code: "BAD_REQUEST", field: "confirm" });
    expect(await getProjectSettings(t.db, a.org.id, "scratch")).not.toBeNull();

    const member = await refusal(
      deleteProject(t.db, actor(a, "MEMBER"), { projectSlug: "scratch", confirm: "Scratch" }),
    );
    expect(member.code).toBe("FORBIDDEN");
    const foreign = await refusal(
      deleteProject(t.db, actor(b, "OWNER"), { projectSlug: "scratch", confirm: "Scratch" }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    expect(await eventsOf(a.org.id, "project.deleted")).toHaveLength(0);

    await deleteProject(t.db, actor(a, "OWNER"), { projectSlug: "scratch", confirm: "Scratch" });
    expect(await getProjectSettings(t.db, a.org.id, "scratch")).toBeNull();
    expect(await eventsOf(a.org.id, "project.deleted")).toHaveLength(1);

    const again = await refusal(createProject(t.db, actor(a, "OWNER"), { name: "Scratch" }));
    expect(again.message).toMatch(/deleted project used the address “scratch”/);
  });
});

describe("project settings", () => {
  const valid: ProjectSettingsValues = {
    builderSize: "LARGE",
    platforms: ["linux/amd64", "linux/arm64"],
    autoscalingEnabled: true,
    buildsPerBuilder: 2,
    maxBuilders: 4,
    cacheSizeLimitGiB: 20,
    cacheRetentionDays: 7,
    lintPolicy: "FAIL_ON_WARNING",
  };

  it("names every bad field at once and changes nothing", async () => {
    await createProject(t.db, actor(a, "OWNER"), { name: "Settings demo" });
    const form = new FormData();
    form.set("builderSize", "HUGE");
    form.append("platforms", "linux/amd64");
    form.append("platforms", "windows/amd64");
    form.set("buildsPerBuilder", "0");
    form.set("maxBuilders", "1.5");
    form.set("cacheSizeLimitGiB", "lots");
    form.set("cacheRetentionDays", "999");
    form.set("lintPolicy", "IGNORE");
    const error = await refusal(
      updateProjectSettings(t.db, actor(a, "MEMBER"), {
        projectSlug: "settings-demo",
        settings: settingsFromForm(form),
      }),
    );
    expect(error).toBeInstanceOf(FieldErrors);
    expect(Object.keys((error as FieldErrors).fields).sort()).toEqual([
      "builderSize",
      "buildsPerBuilder",
      "cacheRetentionDays",
      "cacheSizeLimitGiB",
      "lintPolicy",
      "maxBuilders",
      "platforms",
    ]);
    const noPlatform = await refusal(
      updateProjectSettings(t.db, actor(a, "MEMBER"), {
        projectSlug: "settings-demo",
        settings: { ...valid, platforms: [] },
      }),
    );
    expect((noPlatform as FieldErrors).fields.platforms).toMatch(/at least one platform/);
    expect((await getProjectSettings(t.db, a.org.id, "settings-demo"))?.settings).toEqual(
      DEFAULT_SETTINGS,
    );
    expect(await eventsOf(a.org.id, "project.settings.updated")).toHaveLength(0);
  });

  it("records only what changed, nothing for an unchanged save, and refuses viewers and other orgs", async () => {
    const first = await updateProjectSettings(t.db, actor(a, "MEMBER"), {
      projectSlug: "settings-demo",
      settings: { ...DEFAULT_SETTINGS, autoscalingEnabled: true, maxBuilders: 3 },
    });
    expect(first.changed.sort()).toEqual(["autoscalingEnabled", "maxBuilders"]);
    const events = await eventsOf(a.org.id, "project.settings.updated");
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toEqual({
      autoscalingEnabled: { from: false, to: true },
      maxBuilders: { from: 1, to: 3 },
    });

    const unchanged = await updateProjectSettings(t.db, actor(a, "OWNER"), {
      projectSlug: "settings-demo",
      settings: { ...DEFAULT_SETTINGS, autoscalingEnabled: true, maxBuilders: 3 },
    });
    expect(unchanged.changed).toEqual([]);
    expect(await eventsOf(a.org.id, "project.settings.updated")).toHaveLength(1);

    expect(
      (
        await refusal(
          updateProjectSettings(t.db, actor(a, "VIEWER"), {
            projectSlug: "settings-demo",
            settings: valid,
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await refusal(
          updateProjectSettings(t.db, actor(b, "OWNER"), {
            projectSlug: "settings-demo",
            settings: valid,
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await getProjectSettings(t.db, a.org.id, "settings-demo"))?.settings.builderSize).toBe(
      "SMALL",
    );
    expect((await verifyAuditChain(t.db, a.org.id)).ok).toBe(true);
  });

  it("reaches what the build service reads for the next build", async () => {
    await updateProjectSettings(t.db, actor(a, "ADMIN"), {
      projectSlug: "settings-demo",
      settings: valid,
    });
    // The REST API resolves the project exactly like this for POST .../builds and hands it to
    // BuildService.start as StartBuildInput.project (and lintPolicy to the lint threshold).
    const { token } = await createApiToken(t.db, { orgId: a.org.id });
    const principal = await authenticate(
      new Request("http://localhost/api/v1/projects", {
        headers: { authorization: `Bearer ${token}` },
      }),
      t.db,
    );
    const project = await resolveProject(t.db, principal, "settings-demo");
    const forBuild: StartBuildInput["project"] = project;
    expect(forBuild).toMatchObject({
      autoscalingEnabled: true,
      buildsPerBuilder: 2,
      maxBuilders: 4,
      builderSize: "LARGE",
      cacheSizeLimitBytes: 20 * GIB,
    });
    expect(project.platforms).toEqual(["linux/amd64", "linux/arm64"]);
    expect(project.lintPolicy).toBe("FAIL_ON_WARNING");
    // …and the pool accepts them as BuildService passes them on (builder size lower-cased).
    expect(
      poolSettingsSchema.parse({
        autoscalingEnabled: forBuild.autoscalingEnabled,
        buildsPerBuilder: forBuild.buildsPerBuilder,
        maxBuilders: forBuild.maxBuilders,
        builderSize: forBuild.builderSize.toLowerCase(),
        cacheSizeLimitBytes: forBuild.cacheSizeLimitBytes,
      }),
    ).toMatchObject({ builderSize: "large", maxBuilders: 4, cacheSizeLimitBytes: 20 * GIB });

    // A project token of org B cannot resolve org A's project, whatever it asks.
    const other = await createApiToken(t.db, { orgId: b.org.id });
    const outsider = await authenticate(
      new Request("http://localhost/api/v1/projects", {
        headers: { authorization: `Bearer ${other.token}` },
      }),
      t.db,
    );
    await expect(resolveProject(t.db, outsider, project.id)).rejects.toThrow(/not found/);
  });
});
