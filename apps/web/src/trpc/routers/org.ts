import { z } from "zod";
import { getOrgOverview } from "../../presenters/org-overview.server";
import { createOrg, listUserOrgs, renameOrg } from "../../services/orgs.server";
import { authedProcedure, orgProcedure, router } from "../init";
import { infoOf } from "./shared";

export const orgRouter = router({
  /** The orgs the caller belongs to (the switcher). */
  list: authedProcedure.query(({ ctx }) => listUserOrgs(ctx.db, ctx.auth.user.id)),

  /** Creates an org; the caller becomes its owner. */
  create: authedProcedure
    .input(z.object({ name: z.string().max(200), slug: z.string().max(100).optional() }))
    .mutation(({ ctx, input }) => createOrg(ctx.db, ctx.auth.user, input, infoOf(ctx))),

  /** The org overview page's data: project cards, totals and builds per day. */
  overview: orgProcedure.meta({ permission: "build.read" }).query(async ({ ctx }) => {
    // Membership was checked; the org exists.
    const overview = await getOrgOverview(ctx.db, ctx.actor.org.slug);
    if (!overview) throw new Error("org vanished");
    return overview;
  }),

  rename: orgProcedure
    .meta({ permission: "org.rename" })
    .input(z.object({ name: z.string().max(200) }))
    .mutation(({ ctx, input }) => renameOrg(ctx.db, ctx.actor, input)),
});
