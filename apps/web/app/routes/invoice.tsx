// /orgs/:orgSlug/invoices/:invoiceId: a printable invoice (owner/admin), outside the dashboard frame.
import { formatCents } from "@slipway/billing/money";
import { Link } from "react-router";
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getInvoiceView } from "../../src/billing/service.server";
import { getDb } from "../../src/db.server";
import { ServiceError } from "../../src/services/errors";
import { ErrorPage } from "../components/error-page";
import { notFound } from "../lib/errors";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/invoice";

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "billing.read");
  try {
    const invoice = await getInvoiceView(
      getDb(),
      actorOf(access, requestInfo(request)),
      params.invoiceId,
    );
    return {
      org: access.org,
      invoice: {
        id: invoice.id,
        periodStart: invoice.periodStart.toISOString().slice(0, 10),
        // The period end is exclusive; the last day billed is the day before.
        lastDay: new Date(invoice.periodEnd.getTime() - 86_400_000).toISOString().slice(0, 10),
        status: invoice.status,
        finalizedAt: invoice.finalizedAt?.toISOString() ?? null,
        lineItems: invoice.lineItems,
        subtotalCents: invoice.subtotalCents,
        totalCents: invoice.totalCents,
        currency: invoice.currency,
      },
    };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "NOT_FOUND") {
      throw notFound({
        title: "Invoice not found",
        message: error.message,
        back: { href: `/orgs/${access.org.slug}/billing`, label: "Back to Billing" },
      });
    }
    throw error;
  }
}

export const meta: Route.MetaFunction = ({ data }) => [
  {
    title: data
      ? `Invoice ${data.invoice.periodStart.slice(0, 7)} · ${data.org.name} · Slipway`
      : "Slipway",
  },
];

export default function InvoicePage({ loaderData }: Route.ComponentProps) {
  const { org, invoice } = loaderData;
  return (
    <main className="standalone" style={{ maxWidth: 860, margin: "0 auto", padding: "32px 24px" }}>
      <style>
        {"@media print { .no-print { display: none !important } body { background: #fff } }"}
      </style>
      <nav className="no-print" style={{ display: "flex", gap: 12, marginBottom: 24 }}>
        <Link to={`/orgs/${org.slug}/billing`} className="button button--secondary button--small">
          ← Billing
        </Link>
        <a
          href={`/orgs/${org.slug}/invoices/${invoice.id}/csv`}
          className="button button--secondary button--small"
        >
          Download CSV
        </a>
        <button type="button" className="button button--small" onClick={() => window.print()}>
          Print
        </button>
      </nav>
      <header
        style={{ display: "flex", justifyContent: "space-between", alignItems: "flex-start" }}
      >
        <div>
          <p className="muted">Slipway</p>
          <h1 className="page-title">Invoice {invoice.periodStart.slice(0, 7)}</h1>
          <p>
            <strong>{org.name}</strong>
          </p>
        </div>
        <dl style={{ textAlign: "right", margin: 0 }}>
          <dt className="muted">Period (UTC)</dt>
          <dd style={{ margin: 0 }}>
            {invoice.periodStart} – {invoice.lastDay}
          </dd>
          <dt className="muted">Status</dt>
          <dd style={{ margin: 0 }} data-testid="invoice-status">
            {invoice.status === "FINALIZED" ? "Finalized" : "Draft"}
            {invoice.finalizedAt ? ` ${invoice.finalizedAt.slice(0, 10)}` : ""}
          </dd>
          <dt className="muted">Invoice</dt>
          <dd style={{ margin: 0 }} className="mono">
            {invoice.id}
          </dd>
        </dl>
      </header>
      <table className="table" style={{ marginTop: 24 }} aria-label="Line items">
        <thead>
          <tr>
            <th>Description</th>
            <th className="num">Quantity</th>
            <th className="num">Unit price</th>
            <th className="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lineItems.map((line) => (
            <tr key={`${line.kind}-${line.label ?? ""}`}>
              <td>{line.description}</td>
              <td className="num">
                {line.quantity.toLocaleString("en-US")} {line.unit}
                {line.quantity === 1 ? "" : "s"}
              </td>
              <td className="num">{formatCents(line.unitPriceCents)}</td>
              <td className="num">{formatCents(line.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={3} className="num">
              Subtotal
            </td>
            <td className="num">{formatCents(invoice.subtotalCents)}</td>
          </tr>
          <tr>
            <td colSpan={3} className="num">
              <strong>Total ({invoice.currency.toUpperCase()})</strong>
            </td>
            <td className="num" data-testid="invoice-total">
              <strong>{formatCents(invoice.totalCents)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="muted" style={{ marginTop: 16, fontSize: 13 }}>
        Usage is metered to the millisecond and each total is rounded up once per period (minutes,
        GB-months); quantities above are what exceeds the plan's allowance.
      </p>
    </main>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />;
}
