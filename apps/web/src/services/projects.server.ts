// Projects of an org: create, rename, delete (soft, typed confirmation) and their build settings.
// Every input is parsed with the zod schemas below (the same ones the tRPC router declares), so a
// form post and a tRPC call are refused with the same words, next to the same field.

import { AUDIT_ACTIONS, type BuilderSize, type LintPolicy, recordAudit } from "@slipway/db";
import { z } from "zod";
import { can } from "../auth/permissions";
import type { Db } from "../db.server";
import { isSlug } from "../presenters/params";
import {
  BUILDER_SIZES,
  GIB,
  KNOWN_PLATFORMS,
  LIMITS,
  LINT_POLICIES,
} from "../presenters/project-options";
import { type OrgActor, userActor } from "./actor";
import { ServiceError } from "./errors";
import { slugify } from "./orgs.server";

export { BUILDER_SIZES, GIB, KNOWN_PLATFORMS, LIMITS, LINT_POLICIES };

export const PROJECT_NAME_MAX_LENGTH = 60;
/** `/orgs/:org/projects/new` is the create page, so no project may live there. */
export const RESERVED_PROJECT_SLUGS = new Set(["new"]);

/** The schema's defaults (prisma/schema.prisma ProjectSettings), for projects without a row. */
export const DEFAULT_SETTINGS: ProjectSettingsValues = {
  builderSize: "SMALL",
  platforms: ["linux/amd64"],
  autoscalingEnabled: false,
  buildsPerBuilder: 1,
  maxBuilders: 1,
  cacheSizeLimitGiB: 50,
  cacheRetentionDays: 14,
  lintPolicy: "REPORT",
};

const wholeNumber = (label: string, { min, max }: { min: number; max: number }) =>
  z
    .number({ message: `Enter ${label} as a whole number.` })
    .int({ message: `Enter ${label} as a whole number.` })
    .min(min, { message: `Use at least ${min}.` })
    .max(max, { message: `Use at most ${max}.` });

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, { message: "Enter a name for the project." })
  .max(PROJECT_NAME_MAX_LENGTH, { message: `Use at most ${PROJECT_NAME_MAX_LENGTH} characters.` });

export const createProjectSchema = z.object({
  name: projectNameSchema,
  /** Empty or missing: derived from the name. */
  slug: z.string().trim().max(100).optional(),
});
export type CreateProjectInput = z.input<typeof createProjectSchema>;

export const projectSlugSchema = z.string().refine(isSlug, { message: "not a valid project slug" });

export const renameProjectSchema = z.object({
  projectSlug: projectSlugSchema,
  name: projectNameSchema,
});
export const deleteProjectSchema = z.object({
  projectSlug: projectSlugSchema,
  /** Must be the project's name, typed by the user. */
  confirm: z.string().max(200),
});

export const projectSettingsSchema = z.object({
  builderSize: z.enum(BUILDER_SIZES, { message: "Choose small, medium or large." }),
  platforms: z
    .array(
      z.enum(KNOWN_PLATFORMS, {
        message: `Choose among ${KNOWN_PLATFORMS.join(", ")}.`,
      }),
      { message: "Choose at least one platform." },
    )
    .min(1, { message: "Choose at least one platform." })
    .max(KNOWN_PLATFORMS.length)
    .refine((list) => new Set(list).size === list.length, {
      message: "Each platform may be chosen once.",
    }),
  autoscalingEnabled: z.boolean({ message: "Choose on or off." }),
  buildsPerBuilder: wholeNumber("builds per builder", LIMITS.buildsPerBuilder),
  maxBuilders: wholeNumber("the number of builders", LIMITS.maxBuilders),
  cacheSizeLimitGiB: wholeNumber("the cache size limit in GiB", LIMITS.cacheSizeLimitGiB),
  cacheRetentionDays: wholeNumber("the retention in days", LIMITS.cacheRetentionDays),
  lintPolicy: z.enum(LINT_POLICIES, {
    message: "Choose report, fail on error or fail on warning.",
  }),
});
export type ProjectSettingsValues = z.output<typeof projectSettingsSchema>;

/** A refusal with a message per field (a settings form can be wrong in several places at once). */
export class FieldErrors extends ServiceError {
  constructor(readonly fields: Record<string, string>) {
    const [first] = Object.entries(fields);
    super("BAD_REQUEST", first ? `${first[0]}: ${first[1]}` : "Invalid input.", first?.[0]);
    this.name = "FieldErrors";
  }
}

/** Parses with a schema; a bad input becomes FieldErrors naming each field (first message wins). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "form");
    fields[key] ??= issue.message;
  }
  throw new FieldErrors(fields);
}

/**
 * Form fields → the settings object (the schema still decides what is valid). Numbers that are not
 * numbers stay NaN so the schema names them; an unchecked checkbox is absent, i.e. off.
 */
export function settingsFromForm(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const number = (name: string) => (text(name) === "" ? Number.NaN : Number(text(name)));
  return {
    builderSize: text("builderSize"),
    platforms: form.getAll("platforms").filter((v): v is string => typeof v === "string"),
    autoscalingEnabled:
      text("autoscalingEnabled") === "on" || text("autoscalingEnabled") === "true",
    buildsPerBuilder: number("buildsPerBuilder"),
    maxBuilders: number("maxBuilders"),
    cacheSizeLimitGiB: number("cacheSizeLimitGiB"),
    cacheRetentionDays: number("cacheRetentionDays"),
    lintPolicy: text("lintPolicy"),
  };
}

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
}

async function findProject(
  db: Pick<Db, "project">,
  orgId: string,
  projectSlug: string,
): Promise<ProjectSummary> {
  const project = isSlug(projectSlug)
    ? await db.project.findFirst({
        where: { orgId, slug: projectSlug, deletedAt: null },
        select: { id: true, slug: true, name: true },
      })
    : null;
  if (!project) throw new ServiceError("NOT_FOUND", `There is no project “${projectSlug}”.`);
  return project;
}

export async function createProject(
  db: Db,
  actor: OrgActor,
  input: CreateProjectInput,
): Promise<ProjectSummary> {
  if (!can(actor.role, "project.create"))
    throw new ServiceError("FORBIDDEN", "Viewers cannot create projects.");
  const { name, slug: given } = parseInput(createProjectSchema, input);
  const slug = (given || slugify(name)).toLowerCase();
  const slugField = given ? "slug" : "name";
  if (!isSlug(slug)) {
    throw new FieldErrors({
      [slugField]: given
        ? "Use lower-case letters, digits and dashes, starting with a letter or digit (at most 63)."
        : "The name needs at least one letter or digit for the project's address.",
    });
  }
  if (RESERVED_PROJECT_SLUGS.has(slug)) {
    throw new FieldErrors({ [slugField]: `The address “${slug}” is reserved. Choose another.` });
  }
  const taken = await db.project.findFirst({
    where: { orgId: actor.org.id, slug },
    select: { deletedAt: true },
  });
  if (taken) {
    throw new ServiceError(
      "CONFLICT",
      taken.deletedAt
        ? `A deleted project used the address “${slug}”; it stays reserved. Choose another name or address.`
        : `${actor.org.name} already has a project at “${slug}”. Choose another name or address.`,
      slugField,
    );
  }
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { orgId: actor.org.id, slug, name, settings: { create: {} } },
        select: { id: true, slug: true, name: true },
      });
      await recordAudit(tx, {
        orgId: actor.org.id,
        actor: userActor(actor.user),
        action: AUDIT_ACTIONS.projectCreated,
        target: { type: "project", id: project.id, name },
        changes: { name: { from: null, to: name }, slug: { from: null, to: slug } },
        ...actor.info,
      });
      return project;
    });
  } catch (error) {
    // Two creates of the same slug at once: the unique index decides, the loser gets the message.
    if ((error as { code?: string }).code === "P2002") {
      throw new ServiceError(
        "CONFLICT",
        `${actor.org.name} already has a project at “${slug}”. Choose another name or address.`,
        slugField,
      );
    }
    throw error;
  }
}

export async function renameProject(
  db: Db,
  actor: OrgActor,
  input: z.input<typeof renameProjectSchema>,
): Promise<ProjectSummary> {
  if (!can(actor.role, "project.rename"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can rename projects.");
  const { projectSlug, name } = parseInput(renameProjectSchema, input);
  return db.$transaction(async (tx) => {
    const project = await findProject(tx, actor.org.id, projectSlug);
    if (project.name === name) throw new FieldErrors({ name: "That is already its name." });
    await tx.project.update({ where: { id: project.id }, data: { name } });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.projectRenamed,
      target: { type: "project", id: project.id, name },
      changes: { name: { from: project.name, to: name } },
      ...actor.info,
    });
    return { ...project, name };
  });
}

export async function deleteProject(
  db: Db,
  actor: OrgActor,
  input: z.input<typeof deleteProjectSchema>,
  now = new Date(),
): Promise<ProjectSummary> {
  if (!can(actor.role, "project.delete"))
    throw new ServiceError("FORBIDDEN", "Only owners and admins can delete projects.");
  const { projectSlug, confirm } = parseInput(deleteProjectSchema, input);
  return db.$transaction(async (tx) => {
    const project = await findProject(tx, actor.org.id, projectSlug);
    if (confirm.trim() !== project.name) {
      throw new FieldErrors({
        confirm: `Type the project's name, “${project.name}”, exactly to delete it.`,
      });
    }
    // Soft delete: builds and audit history stay; the slug stays taken (see schema.prisma), and
    // the API refuses the project's tokens because their project is deleted.
    const { count } = await tx.project.updateMany({
      where: { id: project.id, deletedAt: null },
      data: { deletedAt: now },
    });
    if (count === 0) throw new ServiceError("NOT_FOUND", `There is no project “${projectSlug}”.`);
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.projectDeleted,
      target: { type: "project", id: project.id, name: project.name },
      changes: { deletedAt: { from: null, to: now.toISOString() } },
      ...actor.info,
    });
    return project;
  });
}

type SettingsRow = {
  builderSize: BuilderSize;
  platforms: string[];
  autoscalingEnabled: boolean;
  buildsPerBuilder: number;
  maxBuilders: number;
  cacheSizeLimitBytes: bigint;
  cacheRetentionDays: number;
  lintPolicy: LintPolicy;
};

/** Stored settings → form values (the cache limit in whole GiB, rounded up so it never shrinks). */
export function settingsValuesOf(row: SettingsRow | null): ProjectSettingsValues {
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    builderSize: row.builderSize,
    platforms: row.platforms.filter((p): p is (typeof KNOWN_PLATFORMS)[number] =>
      (KNOWN_PLATFORMS as readonly string[]).includes(p),
    ),
    autoscalingEnabled: row.autoscalingEnabled,
    buildsPerBuilder: row.buildsPerBuilder,
    maxBuilders: row.maxBuilders,
    cacheSizeLimitGiB: Math.ceil(Number(row.cacheSizeLimitBytes) / GIB),
    cacheRetentionDays: row.cacheRetentionDays,
    lintPolicy: row.lintPolicy,
  };
}

export interface ProjectWithSettings extends ProjectSummary {
  settings: ProjectSettingsValues;
  cacheSizeLimitBytes: number;
}

/** One live project of the org with its settings (defaults when it has no settings row). */
export async function getProjectSettings(
  db: Db,
  orgId: string,
  projectSlug: string,
): Promise<ProjectWithSettings | null> {
  if (!isSlug(projectSlug)) return null;
  const row = await db.project.findFirst({
    where: { orgId, slug: projectSlug, deletedAt: null },
    select: { id: true, slug: true, name: true, settings: true },
  });
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    settings: settingsValuesOf(row.settings),
    cacheSizeLimitBytes: Number(row.settings?.cacheSizeLimitBytes ?? BigInt(50 * GIB)),
  };
}

export async function updateProjectSettings(
  db: Db,
  actor: OrgActor,
  input: { projectSlug: string; settings: unknown },
): Promise<{ changed: string[] }> {
  if (!can(actor.role, "project.settings.update"))
    throw new ServiceError("FORBIDDEN", "Viewers cannot change project settings.");
  const next = parseInput(projectSettingsSchema, input.settings);
  return db.$transaction(async (tx) => {
    const project = await findProject(tx, actor.org.id, input.projectSlug);
    // Lock the settings row: two saves at once must not both record a diff against the same "from".
    await tx.$executeRaw`SELECT 1 FROM project_settings WHERE project_id = ${project.id} FOR UPDATE`;
    const row = await tx.projectSettings.findUnique({ where: { projectId: project.id } });
    const before = settingsValuesOf(row);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(next) as (keyof ProjectSettingsValues)[]) {
      const from = before[key];
      const to = next[key];
      const same = Array.isArray(from) ? JSON.stringify(from) === JSON.stringify(to) : from === to;
      if (!same) changes[key] = { from, to };
    }
    const changed = Object.keys(changes);
    // Saving an unchanged form writes nothing and records nothing (a project without a settings
    // row already builds with the defaults it would store).
    if (changed.length === 0) return { changed };
    const data = {
      builderSize: next.builderSize,
      platforms: next.platforms,
      autoscalingEnabled: next.autoscalingEnabled,
      buildsPerBuilder: next.buildsPerBuilder,
      maxBuilders: next.maxBuilders,
      cacheSizeLimitBytes: BigInt(next.cacheSizeLimitGiB) * BigInt(GIB),
      cacheRetentionDays: next.cacheRetentionDays,
      lintPolicy: next.lintPolicy,
    };
    await tx.projectSettings.upsert({
      where: { projectId: project.id },
      create: { projectId: project.id, ...data },
      update: data,
    });
    await recordAudit(tx, {
      orgId: actor.org.id,
      actor: userActor(actor.user),
      action: AUDIT_ACTIONS.projectSettingsUpdated,
      target: { type: "project", id: project.id, name: project.name },
      changes,
      ...actor.info,
    });
    return { changed };
  });
}
