import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { parseBuildFilters } from "../../presenters/build-filters";
import { getBuildPage, getBuildStep } from "../../presenters/build-page.server";
import { MAX_PAGE, parseStepId } from "../../presenters/params";
import { getProjectBuilds } from "../../presenters/project-builds.server";
import { orgProcedure, router } from "../init";

const buildNumber = z.number().int().min(1).max(2_147_483_647);
const projectSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "not a project slug");
const filters = z
  .object({
    status: z.string().max(20).optional(),
    platform: z.string().max(64).optional(),
    from: z.string().max(10).optional(),
    to: z.string().max(10).optional(),
    tag: z.string().max(256).optional(),
  })
  .optional();

export const buildsRouter = router({
  /** One page of a project's builds with the list's filters (the same read model as the page). */
  list: orgProcedure
    .meta({ permission: "build.read" })
    .input(
      z.object({
        projectSlug,
        page: z.number().int().min(1).max(MAX_PAGE).default(1),
        filters,
      }),
    )
    .query(async ({ ctx, input }) => {
      const parsed = parseBuildFilters(
        new URLSearchParams(
          Object.entries(input.filters ?? {}).filter(
            (e): e is [string, string] => e[1] !== undefined,
          ),
        ),
      );
      if (!parsed.ok) throw new TRPCError({ code: "BAD_REQUEST", message: parsed.message });
      const result = await getProjectBuilds(ctx.db, {
        orgSlug: ctx.actor.org.slug,
        projectSlug: input.projectSlug,
        page: input.page,
        filters: parsed.filters,
      });
      if (result.kind === "ok") return result.data;
      if (result.kind === "page-out-of-range") {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `There are ${result.totalPages} pages; there is no page ${input.page}.`,
        });
      }
      throw new TRPCError({ code: "NOT_FOUND", message: `No project "${input.projectSlug}".` });
    }),

  /** A build's header, trace and lint (the build page's data; telemetry may be unavailable). */
  get: orgProcedure
    .meta({ permission: "build.read" })
    .input(z.object({ projectSlug, number: buildNumber }))
    .query(async ({ ctx, input }) => {
      const result = await getBuildPage(ctx.db, {
        orgSlug: ctx.actor.org.slug,
        projectSlug: input.projectSlug,
        number: input.number,
      });
      if (result.kind === "ok") return result.data;
      throw new TRPCError({
        code: "NOT_FOUND",
        message:
          result.kind === "build-not-found"
            ? `${result.project.name} has no build #${input.number}.`
            : `No project "${input.projectSlug}".`,
      });
    }),

  /**
   * One step of a build in detail (name, times, stage, inputs, error, p50 over 30 days): the build
   * page loads it when a step is opened. Telemetry may be unavailable (`ok: false` and why).
   */
  step: orgProcedure
    .meta({ permission: "build.read" })
    .input(
      z.object({
        projectSlug,
        number: buildNumber,
        /** The step's id (its bar's `id`, as in `?step=`) or digest. */
        step: z.string().refine((v) => parseStepId(v) !== null, "not a step id"),
      }),
    )
    .query(async ({ ctx, input }) => {
      const result = await getBuildStep(ctx.db, {
        orgSlug: ctx.actor.org.slug,
        projectSlug: input.projectSlug,
        number: input.number,
        step: input.step,
      });
      if (result.kind === "ok") return result.data;
      throw new TRPCError({
        code: "NOT_FOUND",
        message:
          result.kind === "step-not-found"
            ? `Build #${input.number} has no step ${input.step}.`
            : result.kind === "build-not-found"
              ? `${result.project.name} has no build #${input.number}.`
              : `No project "${input.projectSlug}".`,
      });
    }),
});
