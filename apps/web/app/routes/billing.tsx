// /orgs/:orgSlug/billing: plan, usage this period against what is included (charts), forecast,
// spend limit and past invoices. Owners and admins see it; owners change the plan and the limit.
import { formatCents } from "@slipway/billing/money";
import { Form, Link, useNavigation } from "react-router";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import {
  changeOrgPlan,
  finalizeOrgInvoice,
  getBillingPage,
  parseDollars,
  updateOrgSpendLimit,
} from "../../src/billing/service.server";
import {
  DailyUsageChart,
  ProjectUsageChart,
  RunnerTypeChart,
} from "../../src/billing/usage-charts";
import { getDb } from "../../src/db.server";
import { formatDay } from "../../src/format";
import { fieldsOf } from "../../src/services/errors";
import { Breadcrumb } from "../components/breadcrumb";
import { ErrorPage } from "../components/error-page";
import { Field, FormError, type FormState, Notice } from "../components/forms";
import { TableScroll } from "../components/table-scroll";
import { formFailure } from "../lib/action.server";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/billing";

export const meta: Route.MetaFunction = () => [{ title: "Billing · Slipway" }];

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "billing.read");
  return getBillingPage(getDb(), actorOf(access, requestInfo(request)));
}

type ActionData = FormState & { intent?: string; notice?: string };

export async function action({ request, params }: Route.ActionArgs) {
  const form = fieldsOf(await request.formData(), [
    "intent",
    "planCode",
    "spendLimit",
    "hardLimit",
    "invoiceId",
  ]);
  const { intent } = form;
  try {
    const access = await requireOrgAccess(request, params.orgSlug, "billing.manage");
    const actor = actorOf(access, requestInfo(request));
    if (intent === "plan") {
      const r = await changeOrgPlan(getDb(), actor, { planCode: form.planCode });
      const notice =
        r.effective === "cancelled"
          ? `Scheduled change cancelled: you stay on the ${r.plan.name} plan.`
          : r.effective === "now"
            ? `You are on the ${r.plan.name} plan from now on, for this whole period.`
            : `The ${r.plan.name} plan starts on ${r.effectiveAt.toISOString().slice(0, 10)} (next period).`;
      return { intent, notice } satisfies ActionData;
    }
    if (intent === "limit") {
      const spendLimitCents = parseDollars(form.spendLimit);
      const r = await updateOrgSpendLimit(getDb(), actor, {
        spendLimitCents,
        hardLimit: form.hardLimit === "on",
      });
      const notice =
        r.spendLimitCents === null
          ? "Spend limit removed."
          : `Spend limit set to ${formatCents(r.spendLimitCents)}${r.hardLimit ? ", builds stop when it is reached" : ", alerts only"}.`;
      return { intent, notice } satisfies ActionData;
    }
    if (intent === "finalize") {
      const r = await finalizeOrgInvoice(getDb(), actor, form.invoiceId);
      return {
        intent,
        notice: `Invoice finalized: ${formatCents(r.totalCents)}.`,
      } satisfies ActionData;
    }
    return { formError: "Unknown action. Reload the page and try again." } satisfies ActionData;
  } catch (error) {
    return formFailure(error, { spendLimit: form.spendLimit, planCode: form.planCode }, { intent });
  }
}

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
}) {
  return (
    <div className="stat" title={hint}>
      <p className="stat__label">{label}</p>
      <p className="stat__value" data-testid={testId}>
        {value}
      </p>
      {hint ? (
        <p className="muted" style={{ fontSize: 12, margin: "4px 0 0" }}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function Meter({ ratio }: { ratio: number | null }) {
  if (ratio === null) return <span className="muted">none included</span>;
  const pct = Math.round(ratio * 100);
  const color = ratio >= 1 ? "#dc2626" : ratio >= 0.8 ? "#d97706" : "#16a34a";
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: 8 }}>
      <span
        aria-hidden="true"
        style={{
          width: 120,
          height: 8,
          borderRadius: 4,
          background: "#f4f4f5",
          overflow: "hidden",
        }}
      >
        <span
          style={{
            display: "block",
            height: 8,
            width: `${Math.min(100, pct)}%`,
            background: color,
          }}
        />
      </span>
      <span>{pct}%</span>
    </span>
  );
}

const meterName = (kind: string, label?: string) =>
  kind === "build_minutes"
    ? "Build minutes"
    : kind === "runner_minutes"
      ? `Runner minutes (${label})`
      : "Cache storage";

export default function Billing({ loaderData, actionData }: Route.ComponentProps) {
  const page = loaderData;
  const result = actionData as ActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const lastDay = new Date(Date.parse(page.period.end) - 86_400_000).toISOString().slice(0, 10);
  const overageSoFar = page.draft.totalCents - page.plan.monthlyPriceCents;
  return (
    <>
      <header className="page-header">
        <div>
          <Breadcrumb trail={[{ label: page.org.name }]} />
          <h1 className="page-title">Billing</h1>
        </div>
        <p className="page-header__aside">
          Period {formatDay(page.period.start.slice(0, 10))} – {formatDay(lastDay)} · day{" "}
          {page.period.elapsedDays} of {page.period.totalDays} · UTC
        </p>
      </header>
      {result?.notice ? <Notice>{result.notice}</Notice> : null}
      {page.status.alerts.length > 0 ? (
        <div
          className="alert alert--error"
          role="alert"
          data-testid="billing-alerts"
          style={{ marginBottom: 16 }}
        >
          {page.status.alerts.map((a) => (
            <p key={a.message} style={{ margin: "2px 0" }}>
              {a.level === "exceeded" ? "▲ " : "● "}
              {a.message}
            </p>
          ))}
        </div>
      ) : null}

      <section className="stats" aria-label="This period">
        <Stat
          label="Plan"
          value={`${page.plan.name} · ${formatCents(page.plan.monthlyPriceCents)}/mo`}
          hint={
            page.pendingPlan
              ? `${page.pendingPlan.name} from ${page.period.end.slice(0, 10)}`
              : undefined
          }
          testId="current-plan"
        />
        <Stat
          label="Spend so far"
          value={formatCents(page.draft.totalCents)}
          hint={`Plan + ${formatCents(Math.max(0, overageSoFar))} overage`}
          testId="spend-so-far"
        />
        <Stat
          label="Forecast for the period"
          value={formatCents(page.forecast.totalCents)}
          hint={`Linear: usage so far × ${page.period.totalDays} / ${Math.max(page.period.elapsedDays, 0.1)} days`}
          testId="forecast"
        />
        <Stat
          label="Spend limit"
          value={page.spendLimitCents === null ? "None" : formatCents(page.spendLimitCents)}
          hint={
            page.spendLimitCents === null
              ? undefined
              : page.hardLimit
                ? "Hard: builds stop at the limit"
                : "Alerts only"
          }
        />
      </section>

      <section className="card panel" aria-labelledby="usage-title">
        <header className="panel__header">
          <h2 id="usage-title" className="panel__title">
            Usage this period vs included
          </h2>
          <span className="muted">
            Metered per second, each total rounded up to the minute once
          </span>
        </header>
        <TableScroll label="Usage this period">
          <table className="table" data-testid="usage-table">
            <thead>
              <tr>
                <th>Meter</th>
                <th className="num">Used</th>
                <th className="num">Included</th>
                <th>Of included</th>
                <th className="num">Forecast</th>
                <th className="num">Overage so far</th>
              </tr>
            </thead>
            <tbody>
              {page.status.meters.map((m) => {
                const line = page.draft.lineItems.find(
                  (l) => l.kind === m.kind && l.label === m.label,
                );
                const forecast = page.forecast.lineItems.find(
                  (l) => l.kind === m.kind && l.label === m.label,
                );
                const unit = m.kind === "cache_storage" ? "GB" : "min";
                return (
                  <tr key={`${m.kind}-${m.label ?? ""}`}>
                    <td>{meterName(m.kind, m.label)}</td>
                    <td className="num">
                      {m.used.toLocaleString("en-US")} {unit}
                    </td>
                    <td className="num">
                      {m.included.toLocaleString("en-US")} {unit}
                    </td>
                    <td>
                      <Meter ratio={m.ratio} />
                    </td>
                    <td className="num">
                      {forecast
                        ? `${forecast.used.toLocaleString("en-US")} ${m.kind === "cache_storage" ? "GB-mo" : "min"}`
                        : "–"}
                    </td>
                    <td className="num">{formatCents(line?.amountCents ?? 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </section>

      <section className="card panel" aria-labelledby="daily-title">
        <header className="panel__header">
          <h2 id="daily-title" className="panel__title">
            Minutes per day
          </h2>
          <span className="muted">Build minutes count every platform of a build</span>
        </header>
        <DailyUsageChart daily={page.daily} />
      </section>

      <div
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(auto-fit, minmax(360px, 1fr))",
          gap: 16,
        }}
      >
        <section className="card panel" aria-labelledby="projects-title">
          <header className="panel__header">
            <h2 id="projects-title" className="panel__title">
              Per project
            </h2>
          </header>
          {page.byProject.length === 0 ? (
            <p className="muted">No usage yet this period.</p>
          ) : (
            <ProjectUsageChart projects={page.byProject} />
          )}
        </section>
        <section className="card panel" aria-labelledby="types-title">
          <header className="panel__header">
            <h2 id="types-title" className="panel__title">
              Per runner type
            </h2>
          </header>
          {page.byRunnerType.length === 0 ? (
            <p className="muted">No runner minutes yet this period.</p>
          ) : (
            <RunnerTypeChart types={page.byRunnerType} />
          )}
        </section>
      </div>

      <section className="card panel" aria-labelledby="plan-title">
        <h2 id="plan-title" className="section-title">
          Plan
        </h2>
        <p className="muted">
          Upgrades (a pricier plan) take effect immediately for the whole current period: this
          period is billed at the new plan's price with its allowances, no proration. Downgrades
          take effect at the start of the next period.
        </p>
        {page.pendingPlan ? (
          <p data-testid="pending-plan">
            Scheduled: <strong>{page.pendingPlan.name}</strong> from the next period. Choose{" "}
            {page.plan.name} to cancel it.
          </p>
        ) : null}
        <TableScroll label="Plans">
          <table className="table" aria-label="Plans">
            <thead>
              <tr>
                <th>Plan</th>
                <th className="num">Price</th>
                <th className="num">Build minutes</th>
                <th>Runner minutes</th>
                <th className="num">Cache</th>
                <th className="num">Seats</th>
                <th className="num">Audit log</th>
                <th className="num">Overage</th>
              </tr>
            </thead>
            <tbody>
              {page.plans.map((p) => (
                <tr key={p.code} aria-current={p.code === page.plan.code ? "true" : undefined}>
                  <td>
                    <strong>{p.name}</strong>
                    {p.code === page.plan.code ? (
                      <span className="pill pill--on" style={{ marginLeft: 8 }}>
                        current
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{formatCents(p.monthlyPriceCents)}/mo</td>
                  <td className="num">{p.includedBuildMinutes.toLocaleString("en-US")}</td>
                  <td>
                    {Object.entries(p.includedRunnerMinutes)
                      .map(([t, m]) => `${t.replace("slipway-", "")} ${m.toLocaleString("en-US")}`)
                      .join(", ")}
                  </td>
                  <td className="num">{p.includedCacheGb.toLocaleString("en-US")} GB</td>
                  <td className="num">{p.seats}</td>
                  <td className="num">{p.auditRetentionDays} d</td>
                  <td className="num">
                    {formatCents(p.buildMinuteOverageCents)}/min
                    <br />
                    {formatCents(p.cacheGbMonthOverageCents)}/GB-mo
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {page.canManage ? (
          <Form method="post" className="form form--inline" style={{ marginTop: 12 }}>
            <input type="hidden" name="intent" value="plan" />
            {result?.intent === "plan" ? (
              <FormError message={result.formError ?? result.errors?.planCode} />
            ) : null}
            <label className="field">
              <span className="field__label">Change plan</span>
              <select
                name="planCode"
                className="input"
                defaultValue={page.pendingPlan?.code ?? page.plan.code}
              >
                {page.plans.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name} ({formatCents(p.monthlyPriceCents)}/mo)
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button" disabled={busy}>
              Change plan
            </button>
          </Form>
        ) : (
          <p className="muted">Only owners can change the plan.</p>
        )}
      </section>

      <section className="card panel" aria-labelledby="limit-title">
        <h2 id="limit-title" className="section-title">
          Spend limit and alerts
        </h2>
        <p className="muted">
          Everyone in the org sees a banner at 80% and 100% of an included allowance and of the
          spend limit (spend = this period's invoice so far: plan + overage). With a hard limit, new
          builds are refused once it is reached, until you raise it.
        </p>
        {page.canManage ? (
          <Form method="post" className="form form--narrow">
            <input type="hidden" name="intent" value="limit" />
            {result?.intent === "limit" ? <FormError message={result.formError} /> : null}
            <Field
              label="Spend limit per period (USD)"
              name="spendLimit"
              inputMode="decimal"
              placeholder="No limit"
              defaultValue={
                result?.intent === "limit" && result.values?.spendLimit !== undefined
                  ? result.values.spendLimit
                  : page.spendLimitCents === null
                    ? ""
                    : (page.spendLimitCents / 100).toFixed(2)
              }
              error={
                result?.intent === "limit"
                  ? (result.errors?.spendLimit ?? result.errors?.spendLimitCents)
                  : undefined
              }
              hint="Empty: no limit."
            />
            <label style={{ display: "flex", gap: 8, alignItems: "center" }}>
              <input type="checkbox" name="hardLimit" defaultChecked={page.hardLimit} />
              Hard limit: refuse new builds once the limit is reached
            </label>
            <button type="submit" className="button" disabled={busy}>
              Save limit
            </button>
          </Form>
        ) : (
          <p className="muted">Only owners can change the spend limit.</p>
        )}
      </section>

      <section className="card panel panel--flush" aria-labelledby="invoices-title">
        <header className="panel__header">
          <h2 id="invoices-title" className="panel__title">
            Invoices
          </h2>
          <span className="muted">Finalized invoices never change</span>
        </header>
        {page.invoices.length === 0 ? (
          <p className="muted" style={{ padding: 16 }}>
            No invoices yet: the first one is issued when this period ends.
          </p>
        ) : (
          <TableScroll label="Invoices">
            <table className="table" data-testid="invoices">
              <thead>
                <tr>
                  <th>Period</th>
                  <th>Status</th>
                  <th className="num">Total</th>
                  <th className="table__actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.invoices.map((inv) => (
                  <tr key={inv.id}>
                    <td>{inv.periodStart.slice(0, 7)}</td>
                    <td>
                      <span className={inv.status === "FINALIZED" ? "pill pill--on" : "pill"}>
                        {inv.status === "FINALIZED" ? "Finalized" : "Draft"}
                      </span>
                    </td>
                    <td className="num">{formatCents(inv.totalCents)}</td>
                    <td
                      className="table__actions"
                      style={{ display: "flex", gap: 8, justifyContent: "flex-end" }}
                    >
                      <Link
                        to={`/orgs/${page.org.slug}/invoices/${inv.id}`}
                        className="button button--secondary button--small"
                      >
                        View
                      </Link>
                      <a
                        href={`/orgs/${page.org.slug}/invoices/${inv.id}/csv`}
                        className="button button--secondary button--small"
                      >
                        CSV
                      </a>
                      {page.canManage && inv.status === "DRAFT" && inv.periodEnd <= page.now ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="finalize" />
                          <input type="hidden" name="invoiceId" value={inv.id} />
                          <button type="submit" className="button button--small" disabled={busy}>
                            Finalize
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
