import { z } from "zod";
import {
  createToken,
  listProjectsForScope,
  listTokens,
  revokeToken,
} from "../../services/tokens.server";
import { orgProcedure, router } from "../init";

export const tokensRouter = router({
  list: orgProcedure.meta({ permission: "token.read" }).query(async ({ ctx }) => ({
    tokens: await listTokens(ctx.db, ctx.actor.org.id),
    projects: await listProjectsForScope(ctx.db, ctx.actor.org.id),
  })),

  /** The token is in this answer only. */
  create: orgProcedure
    .meta({ permission: "token.create" })
    .input(
      z.object({
        name: z.string().max(200),
        projectSlug: z.string().max(100).nullish(),
        expiresInDays: z.number().int().nullish(),
      }),
    )
    .mutation(({ ctx, input }) => createToken(ctx.db, ctx.actor, input)),

  revoke: orgProcedure
    .meta({ permission: "token.revoke" })
    .input(z.object({ tokenId: z.string().max(64) }))
    .mutation(({ ctx, input }) => revokeToken(ctx.db, ctx.actor, input)),
});
