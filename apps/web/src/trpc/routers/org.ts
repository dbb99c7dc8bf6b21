import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { getOrgOverview } from "../../presenters/org-overview.server";
import { isSlug } from "../../presenters/params";
import { publicProcedure, router } from "../init";

const orgSlug = z.string().refine(isSlug, { message: "not a valid org slug" });

export const orgRouter = router({
  /** The org overview page's data: project cards, totals and builds per day. */
  overview: publicProcedure.input(z.object({ orgSlug })).query(async ({ ctx, input }) => {
    const overview = await getOrgOverview(ctx.db, input.orgSlug);
    if (!overview) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No org with slug "${input.orgSlug}"` });
    }
    return overview;
  }),
});
