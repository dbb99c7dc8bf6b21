import { AUDIT_ACTION_NAMES } from "@slipway/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { auditActorChoices } from "../../audit/actors.server";
import { AuditQueryError } from "../../audit/filters";
import { readAuditPage, verifyOrgAudit } from "../../audit/service.server";
import { orgProcedure, router } from "../init";

const text = (max: number) => z.string().max(max).optional();

/** Filters as the page's query string carries them; audit/filters.ts validates each. */
const auditListInput = z.object({
  actor: text(64),
  action: text(64),
  targetType: text(64),
  target: text(128),
  outcome: text(16),
  from: text(40),
  to: text(40),
  q: text(200),
  cursor: text(200),
  limit: z.number().int().optional(),
});

export const auditRouter = router({
  /** A page of the org's audit log, newest first; pass `nextCursor` back for the next page. */
  list: orgProcedure
    .meta({ permission: "audit.read" })
    .input(auditListInput)
    .query(async ({ ctx, input }) => {
      const { orgSlug: _org, ...query } = input;
      try {
        return await readAuditPage(ctx.db, ctx.actor.org.id, query);
      } catch (error) {
        if (error instanceof AuditQueryError) {
          throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
        }
        throw error;
      }
    }),

  /** Filter choices: the action catalogue and the org's actors. */
  facets: orgProcedure.meta({ permission: "audit.read" }).query(async ({ ctx }) => ({
    actions: AUDIT_ACTION_NAMES,
    actors: await auditActorChoices(ctx.db, ctx.actor.org.id),
  })),

  /** Recomputes the org's hash chain and checks its hourly digests. */
  verify: orgProcedure
    .meta({ permission: "audit.read" })
    .query(({ ctx }) => verifyOrgAudit(ctx.db, ctx.actor.org.id)),
});
