import { z } from "zod";
import {
  changeOrgPlan,
  finalizeOrgInvoice,
  getBillingPage,
  getInvoiceView,
  getSpendAlerts,
  updateOrgSpendLimit,
} from "../../billing/service.server";
import { orgProcedure, router } from "../init";

const invoiceId = z.string().min(1, "invoiceId is required").max(64);

export const billingRouter = router({
  /** Plan, usage this period against what is included, forecast, invoices (owner/admin). */
  overview: orgProcedure
    .meta({ permission: "billing.read" })
    .query(({ ctx }) => getBillingPage(ctx.db, ctx.actor)),

  invoice: orgProcedure
    .meta({ permission: "billing.read" })
    .input(z.object({ invoiceId }))
    .query(({ ctx, input }) => getInvoiceView(ctx.db, ctx.actor, input.invoiceId)),

  /** Spend alerts for the dashboard banner: every member sees them. */
  alerts: orgProcedure
    .meta({ permission: "org.read" })
    .query(({ ctx }) => getSpendAlerts(ctx.db, ctx.actor.org.id)),

  changePlan: orgProcedure
    .meta({ permission: "billing.manage" })
    .input(z.object({ planCode: z.string().min(1, "planCode is required").max(64) }))
    .mutation(({ ctx, input }) => changeOrgPlan(ctx.db, ctx.actor, input)),

  updateSpendLimit: orgProcedure
    .meta({ permission: "billing.manage" })
    .input(
      z.object({
        spendLimitCents: z.number().int("spendLimitCents must be whole cents").min(0).nullable(),
        hardLimit: z.boolean(),
      }),
    )
    .mutation(({ ctx, input }) => updateOrgSpendLimit(ctx.db, ctx.actor, input)),

  finalizeInvoice: orgProcedure
    .meta({ permission: "billing.manage" })
    .input(z.object({ invoiceId }))
    .mutation(({ ctx, input }) => finalizeOrgInvoice(ctx.db, ctx.actor, input.invoiceId)),
});
