// Billing on PostgreSQL: usage of a period (from usage_daily), plans and plan changes, spend
// limits, invoices (drafts and finalisation), and the build gate. Every mutation records exactly
// one audit event inside its transaction. Callers check roles; every function is scoped by org id.

import {
  AUDIT_ACTIONS,
  type AuditActor,
  type AuditRequestInfo,
  type Db,
  type DbTx,
  type Plan,
  type Prisma,
  recordAudit,
} from "@slipway/db";
import { z } from "zod";
import {
  computeInvoice,
  emptyUsage,
  forecastUsage,
  formatCents,
  type InvoiceDraft,
  type LineItem,
  METERS,
  monthOf,
  type Period,
  type PeriodUsage,
  type PlanPricing,
  planChangeTiming,
  planPricing,
  type SpendStatus,
  spendStatus,
} from "./money.ts";

export class BillingError extends Error {
  constructor(
    readonly code: "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "BillingError";
  }
}

export interface BillingActor {
  actor: AuditActor;
  info?: AuditRequestInfo;
}

/** The system (period close) as an audit actor. */
export const SYSTEM_ACTOR: AuditActor = { type: "SYSTEM", id: null, name: "billing" };

export const FREE_PLAN_CODE = "free";

export function pricingOf(plan: Plan): PlanPricing {
  return planPricing.parse(plan);
}

/** A period's exact usage from the daily rollup rows. */
export async function periodUsage(db: DbTx, orgId: string, period: Period): Promise<PeriodUsage> {
  const rows = await db.usageDaily.groupBy({
    by: ["meter", "key"],
    where: { orgId, day: { gte: period.start, lt: period.end } },
    _sum: { quantity: true },
  });
  const usage = emptyUsage();
  for (const r of rows) {
    const q = r._sum.quantity ?? 0n;
    if (r.meter === METERS.build) usage.buildMs += q;
    else if (r.meter === METERS.runner) usage.runnerMs[r.key] = (usage.runnerMs[r.key] ?? 0n) + q;
    else if (r.meter === METERS.cache) usage.cacheByteSeconds += q;
  }
  return usage;
}

export interface UsageBreakdown {
  /** Per UTC day: build and runner minutes (exact, fractional), cache GB (average that day). */
  daily: { day: string; buildMinutes: number; runnerMinutes: number; cacheGb: number }[];
  /** Build + runner minutes per project ("" = no project). */
  byProject: { projectId: string; buildMinutes: number; runnerMinutes: number }[];
  byRunnerType: { runnerType: string; minutes: number }[];
  byPlatform: { platform: string; minutes: number }[];
}

/** Usage of a period split for the charts (exact values; the invoice rounds once). */
export async function usageBreakdown(
  db: DbTx,
  orgId: string,
  period: Period,
  now: Date,
): Promise<UsageBreakdown> {
  const rows = await db.usageDaily.findMany({
    where: { orgId, day: { gte: period.start, lt: period.end } },
    select: { day: true, meter: true, key: true, projectId: true, quantity: true },
  });
  const days = new Map<string, { buildMinutes: number; runnerMinutes: number; cacheGb: number }>();
  const last = Math.min(period.end.getTime(), now.getTime());
  for (let t = period.start.getTime(); t < last; t += 86_400_000) {
    days.set(new Date(t).toISOString().slice(0, 10), {
      buildMinutes: 0,
      runnerMinutes: 0,
      cacheGb: 0,
    });
  }
  const projects = new Map<string, { buildMinutes: number; runnerMinutes: number }>();
  const types = new Map<string, number>();
  const platforms = new Map<string, number>();
  for (const r of rows) {
    const day = r.day.toISOString().slice(0, 10);
    const d = days.get(day) ?? { buildMinutes: 0, runnerMinutes: 0, cacheGb: 0 };
    days.set(day, d);
    const p = projects.get(r.projectId) ?? { buildMinutes: 0, runnerMinutes: 0 };
    projects.set(r.projectId, p);
    const q = Number(r.quantity);
    if (r.meter === METERS.build) {
      d.buildMinutes += q / 60_000;
      p.buildMinutes += q / 60_000;
      platforms.set(r.key, (platforms.get(r.key) ?? 0) + q / 60_000);
    } else if (r.meter === METERS.runner) {
      d.runnerMinutes += q / 60_000;
      p.runnerMinutes += q / 60_000;
      types.set(r.key, (types.get(r.key) ?? 0) + q / 60_000);
    } else if (r.meter === METERS.cache) {
      d.cacheGb += q / 86_400 / 1e9;
    }
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    daily: [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, d]) => ({
        day,
        buildMinutes: round(d.buildMinutes),
        runnerMinutes: round(d.runnerMinutes),
        cacheGb: round(d.cacheGb),
      })),
    byProject: [...projects.entries()]
      .filter(([, p]) => p.buildMinutes + p.runnerMinutes > 0)
      .map(([projectId, p]) => ({
        projectId,
        buildMinutes: round(p.buildMinutes),
        runnerMinutes: round(p.runnerMinutes),
      })),
    byRunnerType: [...types.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([runnerType, m]) => ({ runnerType, minutes: round(m) })),
    byPlatform: [...platforms.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([platform, m]) => ({ platform, minutes: round(m) })),
  };
}

export interface BillingAccount {
  plan: Plan;
  pendingPlan: Plan | null;
  period: Period;
  spendLimitCents: number | null;
  hardLimit: boolean;
  /** False: the org has no subscription row yet and is on the free plan. */
  subscribed: boolean;
}

async function freePlan(db: DbTx): Promise<Plan> {
  const plan = await db.plan.findUnique({ where: { code: FREE_PLAN_CODE } });
  if (!plan) throw new BillingError("NOT_FOUND", `the "${FREE_PLAN_CODE}" plan is not set up`);
  return plan;
}

/** The org's plan, period and limits (an org without a subscription is on Free, this month). */
export async function billingAccount(db: DbTx, orgId: string, now: Date): Promise<BillingAccount> {
  const sub = await db.subscription.findUnique({ where: { orgId }, include: { plan: true } });
  if (!sub) {
    return {
      plan: await freePlan(db),
      pendingPlan: null,
      period: monthOf(now),
      spendLimitCents: null,
      hardLimit: false,
      subscribed: false,
    };
  }
  const pendingPlan = sub.pendingPlanId
    ? await db.plan.findUnique({ where: { id: sub.pendingPlanId } })
    : null;
  return {
    plan: sub.plan,
    pendingPlan,
    period: { start: sub.currentPeriodStart, end: sub.currentPeriodEnd },
    spendLimitCents: sub.spendLimitCents,
    hardLimit: sub.hardLimit,
    subscribed: true,
  };
}

/**
 * The plan whose seats bound the org's membership now: the subscribed plan (a scheduled
 * downgrade counts from the period it takes effect), else Free. Null when no plans are set up
 * (a self-hosted install without billing): no seat limit then.
 */
export async function seatPlan(
  db: DbTx,
  orgId: string,
): Promise<{ code: string; name: string; seats: number } | null> {
  const select = { code: true, name: true, seats: true } as const;
  const sub = await db.subscription.findUnique({
    where: { orgId },
    select: { plan: { select } },
  });
  return sub?.plan ?? (await db.plan.findUnique({ where: { code: FREE_PLAN_CODE }, select }));
}

export interface BillingOverview {
  account: BillingAccount;
  usage: PeriodUsage;
  /** The current period's invoice so far (what it would be if the period ended now). */
  draft: InvoiceDraft;
  /** Linear forecast for the period end (usage so far x period / elapsed). */
  forecast: InvoiceDraft;
  status: SpendStatus;
}

export async function billingOverview(
  db: DbTx,
  orgId: string,
  now: Date,
): Promise<BillingOverview> {
  const account = await billingAccount(db, orgId, now);
  const usage = await periodUsage(db, orgId, account.period);
  const pricing = pricingOf(account.plan);
  return {
    account,
    usage,
    draft: computeInvoice(pricing, usage, account.period),
    forecast: computeInvoice(pricing, forecastUsage(usage, account.period, now), account.period),
    status: spendStatus(pricing, usage, account.period, now, account),
  };
}

/**
 * Refuses a new build when the org has a hard spend limit and reached it. Returns null when
 * the build may start, else the message for the client.
 */
export async function buildRefusal(
  db: DbTx,
  org: { id: string; slug: string },
  now = new Date(),
): Promise<string | null> {
  const sub = await db.subscription.findUnique({
    where: { orgId: org.id },
    select: { hardLimit: true, spendLimitCents: true },
  });
  // Cheap exit for the common case: no hard limit, nothing to compute.
  if (!sub?.hardLimit || sub.spendLimitCents === null) return null;
  const { status } = await billingOverview(db, org.id, now);
  if (!status.blocked) return null;
  return `org ${org.slug} reached its spend limit of ${formatCents(sub.spendLimitCents)} (spent ${formatCents(status.spendCents)} this period); raise it in Billing`;
}

// ---------------------------------------------------------------------------------------------
// Mutations (each: one transaction, one audit event)

async function lockSubscription(tx: DbTx, orgId: string, now: Date) {
  // Row-lock the org: plan and limit changes and the period close of one org are serialised.
  await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId} FOR UPDATE`;
  const existing = await tx.subscription.findUnique({ where: { orgId }, include: { plan: true } });
  if (existing) return existing;
  const free = await freePlan(tx);
  const period = monthOf(now);
  return tx.subscription.create({
    data: {
      orgId,
      planId: free.id,
      status: "ACTIVE",
      currentPeriodStart: period.start,
      currentPeriodEnd: period.end,
    },
    include: { plan: true },
  });
}

export const changePlanInput = z.object({
  planCode: z.string().min(1, "choose a plan").max(64),
});

export interface PlanChangeResult {
  /** "cancelled": the current plan was chosen again, which cancels a scheduled downgrade. */
  effective: "now" | "next_period" | "cancelled";
  plan: { code: string; name: string };
  /** When it applies (now, or the next period's start). */
  effectiveAt: Date;
}

/**
 * Plan changes: a pricier plan applies at once, for the whole current period (its price and its
 * allowances are on this period's invoice, no proration); a cheaper one is scheduled for the next
 * period. Choosing the current plan cancels a scheduled change.
 */
export async function changePlan(
  db: Db,
  orgId: string,
  by: BillingActor,
  input: z.input<typeof changePlanInput>,
  now = new Date(),
): Promise<PlanChangeResult> {
  const { planCode } = changePlanInput.parse(input);
  return db.$transaction(async (tx) => {
    const target = await tx.plan.findUnique({ where: { code: planCode } });
    if (!target) throw new BillingError("BAD_REQUEST", `no plan "${planCode}"`, "planCode");
    const sub = await lockSubscription(tx, orgId, now);
    const pending = sub.pendingPlanId
      ? await tx.plan.findUnique({ where: { id: sub.pendingPlanId } })
      : null;
    const org = await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } });
    let result: PlanChangeResult;
    if (target.id === sub.planId) {
      if (!pending) {
        throw new BillingError("CONFLICT", `already on the ${target.name} plan`, "planCode");
      }
      await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: null } });
      result = { effective: "cancelled", plan: target, effectiveAt: now };
    } else if (planChangeTiming(sub.plan, target) === "now") {
      await tx.subscription.update({
        where: { id: sub.id },
        data: { planId: target.id, pendingPlanId: null },
      });
      result = { effective: "now", plan: target, effectiveAt: now };
    } else {
      await tx.subscription.update({ where: { id: sub.id }, data: { pendingPlanId: target.id } });
      result = { effective: "next_period", plan: target, effectiveAt: sub.currentPeriodEnd };
    }
    await recordAudit(tx, {
      orgId,
      actor: by.actor,
      ...by.info,
      action: AUDIT_ACTIONS.planChanged,
      target: { type: "subscription", id: sub.id, name: org.name },
      changes: {
        plan: { from: pending?.code ?? sub.plan.code, to: target.code },
        effective: result.effective,
        effectiveAt: result.effectiveAt.toISOString(),
      },
      occurredAt: now,
    });
    return { ...result, plan: { code: target.code, name: target.name } };
  });
}

/** Dollars as typed in a form ("250", "250.50") or null for no limit; whole cents only. */
export const spendLimitInput = z.object({
  spendLimitCents: z
    .number()
    .int("spendLimitCents must be whole cents")
    .min(0, "spendLimitCents must not be negative")
    .max(100_000_000_00, "spendLimitCents is too large")
    .nullable(),
  hardLimit: z.boolean(),
});

export async function updateSpendLimit(
  db: Db,
  orgId: string,
  by: BillingActor,
  input: z.input<typeof spendLimitInput>,
  now = new Date(),
): Promise<{ spendLimitCents: number | null; hardLimit: boolean }> {
  const parsed = spendLimitInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BillingError(
      "BAD_REQUEST",
      issue?.message ?? "invalid spend limit",
      String(issue?.path[0] ?? "spendLimitCents"),
    );
  }
  const { spendLimitCents, hardLimit } = parsed.data;
  if (hardLimit && spendLimitCents === null) {
    throw new BillingError("BAD_REQUEST", "a hard limit needs a spend limit", "spendLimitCents");
  }
  return db.$transaction(async (tx) => {
    const sub = await lockSubscription(tx, orgId, now);
    const org = await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { name: true } });
    await tx.subscription.update({ where: { id: sub.id }, data: { spendLimitCents, hardLimit } });
    await recordAudit(tx, {
      orgId,
      actor: by.actor,
      ...by.info,
      action: AUDIT_ACTIONS.spendLimitUpdated,
      target: { type: "subscription", id: sub.id, name: org.name },
      changes: {
        spendLimitCents: { from: sub.spendLimitCents, to: spendLimitCents },
        hardLimit: { from: sub.hardLimit, to: hardLimit },
      },
      occurredAt: now,
    });
    return { spendLimitCents, hardLimit };
  });
}

// ---------------------------------------------------------------------------------------------
// Invoices

export const lineItemSchema = z.object({
  kind: z.string(),
  label: z.string().optional(),
  description: z.string(),
  quantity: z.number(),
  unit: z.string(),
  unitPriceCents: z.number(),
  amountCents: z.number(),
  used: z.number().optional(),
  included: z.number().optional(),
});
export type StoredLineItem = z.output<typeof lineItemSchema>;

export function lineItemsOf(json: Prisma.JsonValue): StoredLineItem[] {
  return z.array(lineItemSchema).parse(json);
}

const asJson = (items: LineItem[]): Prisma.InputJsonValue =>
  items as unknown as Prisma.InputJsonValue;

export async function listInvoices(db: DbTx, orgId: string) {
  return db.invoice.findMany({
    where: { orgId },
    orderBy: { periodStart: "desc" },
    select: {
      id: true,
      periodStart: true,
      periodEnd: true,
      status: true,
      totalCents: true,
      currency: true,
      finalizedAt: true,
    },
  });
}

/** One invoice of the org (another org's id answers NOT_FOUND, like a missing one). */
export async function getInvoice(db: DbTx, orgId: string, invoiceId: string) {
  const invoice = await db.invoice.findFirst({ where: { id: invoiceId, orgId } });
  if (!invoice) throw new BillingError("NOT_FOUND", `no invoice "${invoiceId}"`, "invoiceId");
  return { ...invoice, lineItems: lineItemsOf(invoice.lineItems) };
}

/**
 * Writes a period's draft invoice from the rollup (creating or recomputing it). A finalised
 * invoice never changes: CONFLICT (and the database refuses the UPDATE too).
 */
export async function upsertDraftInvoice(
  tx: DbTx,
  orgId: string,
  plan: Plan,
  period: Period,
): Promise<{ id: string; draft: InvoiceDraft }> {
  const existing = await tx.invoice.findUnique({
    where: { orgId_periodStart: { orgId, periodStart: period.start } },
  });
  if (existing?.status === "FINALIZED") {
    throw new BillingError("CONFLICT", `invoice ${existing.id} is finalized and cannot change`);
  }
  const draft = computeInvoice(pricingOf(plan), await periodUsage(tx, orgId, period), period);
  const data = {
    periodEnd: period.end,
    lineItems: asJson(draft.lineItems),
    subtotalCents: draft.subtotalCents,
    totalCents: draft.totalCents,
  };
  const row = existing
    ? await tx.invoice.update({ where: { id: existing.id }, data })
    : await tx.invoice.create({
        data: { orgId, periodStart: period.start, status: "DRAFT", ...data },
      });
  return { id: row.id, draft };
}

/** Finalises a draft invoice (recomputed from the rollup first). Finalised once, never again. */
export async function finalizeInvoice(
  db: Db,
  orgId: string,
  by: BillingActor,
  invoiceId: string,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId} FOR UPDATE`;
    const invoice = await tx.invoice.findFirst({ where: { id: invoiceId, orgId } });
    if (!invoice) throw new BillingError("NOT_FOUND", `no invoice "${invoiceId}"`, "invoiceId");
    if (invoice.status === "FINALIZED") {
      throw new BillingError("CONFLICT", `invoice ${invoice.id} is already finalized`, "invoiceId");
    }
    if (invoice.periodEnd > now) {
      throw new BillingError("CONFLICT", "the invoice's period has not ended yet", "invoiceId");
    }
    const account = await billingAccount(tx, orgId, now);
    await upsertDraftInvoice(tx, orgId, account.plan, {
      start: invoice.periodStart,
      end: invoice.periodEnd,
    });
    const done = await tx.invoice.update({
      where: { id: invoice.id },
      data: { status: "FINALIZED", finalizedAt: now },
    });
    await recordAudit(tx, {
      orgId,
      actor: by.actor,
      ...by.info,
      action: AUDIT_ACTIONS.invoiceFinalized,
      target: { type: "invoice", id: done.id, name: done.periodStart.toISOString().slice(0, 7) },
      changes: { totalCents: done.totalCents, status: { from: "DRAFT", to: "FINALIZED" } },
      occurredAt: now,
    });
    return { ...done, lineItems: lineItemsOf(done.lineItems) };
  });
}

/**
 * Closes an org's ended period: its invoice (from the rollup, which the caller has brought up
 * to date for the whole period) is written and finalised, then the subscription moves to the
 * next month, applying a scheduled downgrade. One audit event: billing.invoice_finalized.
 * Returns null when the org's period has not ended.
 */
export async function closePeriod(db: Db, orgId: string, now = new Date()) {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM orgs WHERE id = ${orgId} FOR UPDATE`;
      const sub = await tx.subscription.findUnique({ where: { orgId }, include: { plan: true } });
      if (!sub || sub.currentPeriodEnd > now) return null;
      const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
      const existing = await tx.invoice.findUnique({
        where: { orgId_periodStart: { orgId, periodStart: period.start } },
      });
      let invoiceId = existing?.id;
      let totalCents = existing?.totalCents ?? 0;
      if (existing?.status !== "FINALIZED") {
        const { id, draft } = await upsertDraftInvoice(tx, orgId, sub.plan, period);
        await tx.invoice.update({ where: { id }, data: { status: "FINALIZED", finalizedAt: now } });
        invoiceId = id;
        totalCents = draft.totalCents;
      }
      const next = monthOf(period.end);
      await tx.subscription.update({
        where: { id: sub.id },
        data: {
          currentPeriodStart: next.start,
          currentPeriodEnd: next.end,
          ...(sub.pendingPlanId && { planId: sub.pendingPlanId, pendingPlanId: null }),
        },
      });
      await recordAudit(tx, {
        orgId,
        actor: SYSTEM_ACTOR,
        action: AUDIT_ACTIONS.invoiceFinalized,
        target: {
          type: "invoice",
          id: invoiceId ?? "",
          name: period.start.toISOString().slice(0, 7),
        },
        changes: {
          totalCents,
          period: { from: period.start.toISOString(), to: period.end.toISOString() },
          ...(sub.pendingPlanId && { plan: { from: sub.planId, to: sub.pendingPlanId } }),
        },
        occurredAt: now,
      });
      return { invoiceId: invoiceId ?? "", totalCents, period };
    },
    { timeout: 60_000 },
  );
}

/** Orgs whose period ended at least `graceMs` ago (the rollup then has the late events too). */
export async function orgsWithEndedPeriods(db: DbTx, now: Date, graceMs: number) {
  return db.subscription.findMany({
    where: { currentPeriodEnd: { lte: new Date(now.getTime() - graceMs) } },
    select: { orgId: true, currentPeriodStart: true, currentPeriodEnd: true },
  });
}

export async function listPlans(db: DbTx) {
  const plans = await db.plan.findMany({ orderBy: { monthlyPriceCents: "asc" } });
  return plans.map((p) => ({
    id: p.id,
    ...pricingOf(p),
    seats: p.seats,
    auditRetentionDays: p.auditRetentionDays,
  }));
}
