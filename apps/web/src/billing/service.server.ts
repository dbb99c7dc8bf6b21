// The dashboard's billing: what the billing page, the invoice views, the alert banner and the
// tRPC procedures show and change. Org-scoped by the caller's membership (the actor), role-checked
// again here, and every @slipway/billing refusal turned into a ServiceError naming the field.

import {
  BillingError,
  billingAccount,
  billingOverview,
  changePlan,
  finalizeInvoice,
  formatCents,
  getInvoice,
  listInvoices,
  listPlans,
  periodUsage,
  pricingOf,
  spendStatus,
  updateSpendLimit,
  usageBreakdown,
} from "@slipway/billing";
import { can, type Permission } from "../auth/permissions";
import type { Db } from "../db.server";
import { type OrgActor, userActor } from "../services/actor";
import { ServiceError } from "../services/errors";

function requirePermission(actor: OrgActor, permission: Permission) {
  if (!can(actor.role, permission)) {
    throw new ServiceError("FORBIDDEN", `Your role (${actor.role}) may not ${permission}.`);
  }
}

async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof BillingError)
      throw new ServiceError(error.code, error.message, error.field);
    throw error;
  }
}

const by = (actor: OrgActor) => ({
  actor: userActor(actor.user),
  info: { ip: actor.info.ip, userAgent: actor.info.userAgent, requestId: actor.info.requestId },
});

export type BillingPage = Awaited<ReturnType<typeof getBillingPage>>;

/** Everything the billing page shows (owner/admin). */
export async function getBillingPage(db: Db, actor: OrgActor, now = new Date()) {
  requirePermission(actor, "billing.read");
  const orgId = actor.org.id;
  const overview = await mapErrors(() => billingOverview(db, orgId, now));
  const { account } = overview;
  const breakdown = await usageBreakdown(db, orgId, account.period, now);
  const projects = await db.project.findMany({
    where: { orgId },
    select: { id: true, name: true },
  });
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  const invoices = await listInvoices(db, orgId);
  const plans = await listPlans(db);
  const elapsed = Math.max(
    0,
    Math.min(now.getTime(), account.period.end.getTime()) - account.period.start.getTime(),
  );
  const total = account.period.end.getTime() - account.period.start.getTime();
  return {
    org: actor.org,
    canManage: can(actor.role, "billing.manage"),
    now: now.toISOString(),
    plan: {
      code: account.plan.code,
      name: account.plan.name,
      monthlyPriceCents: account.plan.monthlyPriceCents,
    },
    pendingPlan: account.pendingPlan
      ? { code: account.pendingPlan.code, name: account.pendingPlan.name }
      : null,
    period: {
      start: account.period.start.toISOString(),
      end: account.period.end.toISOString(),
      elapsedDays: Math.round((elapsed / 86_400_000) * 10) / 10,
      totalDays: Math.round(total / 86_400_000),
    },
    spendLimitCents: account.spendLimitCents,
    hardLimit: account.hardLimit,
    draft: overview.draft,
    forecast: overview.forecast,
    status: overview.status,
    daily: breakdown.daily,
    byProject: breakdown.byProject
      .map((p) => ({
        ...p,
        project: p.projectId ? (projectName.get(p.projectId) ?? "Deleted project") : "No project",
      }))
      .sort((a, b) => b.buildMinutes + b.runnerMinutes - (a.buildMinutes + a.runnerMinutes)),
    byRunnerType: breakdown.byRunnerType,
    byPlatform: breakdown.byPlatform,
    invoices: invoices.map((i) => ({
      id: i.id,
      periodStart: i.periodStart.toISOString(),
      periodEnd: i.periodEnd.toISOString(),
      status: i.status,
      totalCents: i.totalCents,
      finalizedAt: i.finalizedAt?.toISOString() ?? null,
    })),
    plans: plans.map((p) => ({
      code: p.code,
      name: p.name,
      monthlyPriceCents: p.monthlyPriceCents,
      includedBuildMinutes: p.includedBuildMinutes,
      includedRunnerMinutes: p.includedRunnerMinutes,
      includedCacheGb: p.includedCacheGb,
      seats: p.seats,
      auditRetentionDays: p.auditRetentionDays,
      buildMinuteOverageCents: p.buildMinuteOverageCents,
      cacheGbMonthOverageCents: p.cacheGbMonthOverageCents,
    })),
  };
}

export async function getInvoiceView(db: Db, actor: OrgActor, invoiceId: string) {
  requirePermission(actor, "billing.read");
  return mapErrors(() => getInvoice(db, actor.org.id, invoiceId));
}

export async function changeOrgPlan(db: Db, actor: OrgActor, input: { planCode: string }) {
  requirePermission(actor, "billing.manage");
  return mapErrors(() => changePlan(db, actor.org.id, by(actor), input));
}

/** `spendLimit` in dollars as typed ("" = no limit). */
export function parseDollars(value: string): number | null {
  const v = value.trim().replace(/^\$/, "").replace(/,/g, "");
  if (v === "") return null;
  if (!/^[0-9]{1,9}(\.[0-9]{1,2})?$/.test(v)) {
    throw new ServiceError(
      "BAD_REQUEST",
      "Enter an amount in dollars, e.g. 500 or 499.99 (empty: no limit).",
      "spendLimit",
    );
  }
  const [whole, frac = ""] = v.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

export async function updateOrgSpendLimit(
  db: Db,
  actor: OrgActor,
  input: { spendLimitCents: number | null; hardLimit: boolean },
) {
  requirePermission(actor, "billing.manage");
  return mapErrors(() => updateSpendLimit(db, actor.org.id, by(actor), input));
}

export async function finalizeOrgInvoice(db: Db, actor: OrgActor, invoiceId: string) {
  requirePermission(actor, "billing.manage");
  return mapErrors(() => finalizeInvoice(db, actor.org.id, by(actor), invoiceId));
}

/** The spend-alert banner: shown to every member of the org (no amounts, only what to do). */
export async function getSpendAlerts(db: Db, orgId: string, now = new Date()) {
  const account = await billingAccount(db, orgId, now).catch((error) => {
    if (error instanceof BillingError) return null;
    throw error;
  });
  if (!account) return { alerts: [], blocked: false };
  const usage = await periodUsage(db, orgId, account.period);
  const status = spendStatus(pricingOf(account.plan), usage, account.period, now, account);
  return { alerts: status.alerts, blocked: status.blocked };
}

/** Invoice as CSV: one row per line item, then subtotal and total (amounts in dollars). */
export function invoiceCsv(invoice: Awaited<ReturnType<typeof getInvoice>>): string {
  const cell = (v: string | number) => {
    const s = String(v);
    // Quote when needed; a leading =,+,-,@ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const dollars = (c: number) => (c / 100).toFixed(2);
  const rows: (string | number)[][] = [
    [
      "invoice",
      "period_start",
      "period_end",
      "status",
      "kind",
      "runner_type",
      "description",
      "quantity",
      "unit",
      "unit_price_usd",
      "amount_usd",
    ],
    ...invoice.lineItems.map((l) => [
      invoice.id,
      invoice.periodStart.toISOString().slice(0, 10),
      invoice.periodEnd.toISOString().slice(0, 10),
      invoice.status,
      l.kind,
      l.label ?? "",
      l.description,
      l.quantity,
      l.unit,
      dollars(l.unitPriceCents),
      dollars(l.amountCents),
    ]),
    [invoice.id, "", "", "", "subtotal", "", "", "", "", "", dollars(invoice.subtotalCents)],
    [invoice.id, "", "", "", "total", "", "", "", "", "", dollars(invoice.totalCents)],
  ];
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export { formatCents };
