import { z } from "zod";
import { listSessions, revokeOtherSessions, revokeSession } from "../../services/accounts.server";
import { authedProcedure, router } from "../init";
import { infoOf } from "./shared";

export const accountRouter = router({
  me: authedProcedure.query(({ ctx }) => ({
    id: ctx.auth.user.id,
    email: ctx.auth.user.email,
    name: ctx.auth.user.name,
  })),

  sessions: authedProcedure.query(({ ctx }) => listSessions(ctx.db, ctx.auth)),

  revokeSession: authedProcedure
    .input(z.object({ sessionId: z.string().max(64) }))
    .mutation(({ ctx, input }) => revokeSession(ctx.db, ctx.auth, input.sessionId, infoOf(ctx))),

  revokeOtherSessions: authedProcedure.mutation(async ({ ctx }) => ({
    ended: await revokeOtherSessions(ctx.db, ctx.auth, infoOf(ctx)),
  })),
});
