import { z } from "zod";
import { ServiceError } from "../../services/errors";
import {
  createProject,
  createProjectSchema,
  deleteProject,
  deleteProjectSchema,
  getProjectSettings,
  projectSettingsSchema,
  projectSlugSchema,
  renameProject,
  renameProjectSchema,
  updateProjectSettings,
} from "../../services/projects.server";
import { orgProcedure, router } from "../init";

export const projectsRouter = router({
  create: orgProcedure
    .meta({ permission: "project.create" })
    .input(createProjectSchema)
    .mutation(({ ctx, input }) => createProject(ctx.db, ctx.actor, input)),

  rename: orgProcedure
    .meta({ permission: "project.rename" })
    .input(renameProjectSchema)
    .mutation(({ ctx, input }) => renameProject(ctx.db, ctx.actor, input)),

  /** `confirm` must be the project's name. */
  delete: orgProcedure
    .meta({ permission: "project.delete" })
    .input(deleteProjectSchema)
    .mutation(({ ctx, input }) => deleteProject(ctx.db, ctx.actor, input)),

  settings: orgProcedure
    .meta({ permission: "build.read" })
    .input(z.object({ projectSlug: projectSlugSchema }))
    .query(async ({ ctx, input }) => {
      const project = await getProjectSettings(ctx.db, ctx.actor.org.id, input.projectSlug);
      if (!project)
        throw new ServiceError("NOT_FOUND", `There is no project “${input.projectSlug}”.`);
      return project;
    }),

  updateSettings: orgProcedure
    .meta({ permission: "project.settings.update" })
    .input(z.object({ projectSlug: projectSlugSchema, settings: projectSettingsSchema }))
    .mutation(({ ctx, input }) => updateProjectSettings(ctx.db, ctx.actor, input)),
});
