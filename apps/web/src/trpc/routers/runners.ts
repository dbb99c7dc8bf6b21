import { z } from "zod";
import { getRunners, RUNNER_JOBS_MAX_PAGE, RUNNER_PERIODS } from "../../presenters/runners.server";
import { getTelemetryQueryClient } from "../../telemetry/query.server";
import { orgProcedure, router } from "../init";

export const runnersRouter = router({
  /** Minutes and queue time by label and day, and one page of jobs; `ok: false` when ingest is down. */
  overview: orgProcedure
    .meta({ permission: "runner.read" })
    .input(
      z.object({
        days: z
          .number()
          .int()
          .refine((d) => (RUNNER_PERIODS as readonly number[]).includes(d), {
            message: `days must be one of ${RUNNER_PERIODS.join(", ")}`,
          })
          .default(30),
        page: z.number().int().min(1).max(RUNNER_JOBS_MAX_PAGE).default(1),
      }),
    )
    .query(({ ctx, input }) =>
      getRunners(getTelemetryQueryClient(), {
        orgId: ctx.actor.org.id,
        days: input.days as (typeof RUNNER_PERIODS)[number],
        page: input.page,
      }),
    ),
});
