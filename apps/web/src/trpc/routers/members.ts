import { z } from "zod";
import {
  acceptInvite,
  changeMemberRole,
  createInvite,
  describeInvite,
  listMembers,
  removeMember,
} from "../../services/members.server";
import { authedProcedure, orgProcedure, publicProcedure, router } from "../init";
import { infoOf } from "./shared";

const role = z.enum(["OWNER", "ADMIN", "MEMBER", "VIEWER"]);

export const membersRouter = router({
  list: orgProcedure
    .meta({ permission: "member.read" })
    .query(({ ctx }) => listMembers(ctx.db, ctx.actor.org.id)),

  /** A single-use invite link; the token is in this answer only. */
  invite: orgProcedure
    .meta({ permission: "member.invite" })
    .input(
      z.object({
        role,
        email: z.string().max(254).nullish(),
        expiresInDays: z.number().int().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createInvite(ctx.db, ctx.actor, input)),

  changeRole: orgProcedure
    .meta({ permission: "member.role.change" })
    .input(z.object({ membershipId: z.string().max(64), role }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, ctx.actor, input)),

  remove: orgProcedure
    .meta({ permission: "member.remove" })
    .input(z.object({ membershipId: z.string().max(64) }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.actor, input)),

  /** Leaves the org (any role; not the last owner). */
  leave: orgProcedure
    .meta({ permission: "org.read" })
    .mutation(({ ctx }) =>
      removeMember(ctx.db, ctx.actor, { membershipId: ctx.actor.membershipId }),
    ),
});

export const invitesRouter = router({
  /** What an invite link is for (org name, role), or why it cannot be used. */
  describe: publicProcedure
    .input(z.object({ token: z.string().max(100) }))
    .query(async ({ ctx, input }) => {
      const invite = await describeInvite(ctx.db, input.token);
      return invite.state === "valid" ? { ...invite, orgSlug: undefined } : invite;
    }),

  accept: authedProcedure
    .input(z.object({ token: z.string().max(100) }))
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, ctx.auth.user, input.token, infoOf(ctx))),
});
