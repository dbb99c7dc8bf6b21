import { z } from "zod";
import { getProjectCache } from "../../presenters/project-cache.server";
import { getCacheEngines, resetProjectCache } from "../../services/cache.server";
import { ServiceError } from "../../services/errors";
import { projectSlugSchema } from "../../services/projects.server";
import { getTelemetryQueryClient } from "../../telemetry/query.server";
import { orgProcedure, router } from "../init";

const platformSchema = z.string().min(1).max(64);

export const cacheRouter = router({
  /** Size over time, the live cache of the main builder for `platform`, the builders. */
  get: orgProcedure
    .meta({ permission: "build.read" })
    .input(
      z.object({
        projectSlug: projectSlugSchema,
        platform: platformSchema.optional(),
        page: z.number().int().min(1).max(10_000).default(1),
      }),
    )
    .query(async ({ ctx, input }) => {
      const result = await getProjectCache(
        ctx.db,
        { engines: await getCacheEngines(), telemetry: getTelemetryQueryClient() },
        { orgId: ctx.actor.org.id, ...input },
      );
      switch (result.kind) {
        case "project-not-found":
          throw new ServiceError("NOT_FOUND", `There is no project “${input.projectSlug}”.`);
        case "platform-not-built":
          throw new ServiceError(
            "BAD_REQUEST",
            `This project builds for ${result.platforms.join(", ")}.`,
            "platform",
          );
        case "page-out-of-range":
          throw new ServiceError("NOT_FOUND", `There are ${result.totalPages} pages of records.`);
        case "ok":
          return result.view;
      }
    }),

  reset: orgProcedure
    .meta({ permission: "cache.reset" })
    .input(z.object({ projectSlug: projectSlugSchema, platform: platformSchema }))
    .mutation(async ({ ctx, input }) =>
      resetProjectCache(ctx.db, ctx.actor, input, await getCacheEngines()),
    ),
});
