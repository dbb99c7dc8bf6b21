// GET /orgs/:orgSlug/invoices/:invoiceId/csv: the invoice as CSV (owner/admin).
import { requestInfo } from "../../src/auth/request-info.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getInvoiceView, invoiceCsv } from "../../src/billing/service.server";
import { getDb } from "../../src/db.server";
import { ServiceError } from "../../src/services/errors";
import { notFound } from "../lib/errors";
import { actorOf } from "../lib/org-action.server";
import type { Route } from "./+types/invoice-csv";

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "billing.read");
  try {
    const invoice = await getInvoiceView(
      getDb(),
      actorOf(access, requestInfo(request)),
      params.invoiceId,
    );
    const month = invoice.periodStart.toISOString().slice(0, 7);
    return new Response(invoiceCsv(invoice), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="slipway-${access.org.slug}-${month}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof ServiceError && error.code === "NOT_FOUND") {
      throw notFound({ title: "Invoice not found", message: error.message });
    }
    throw error;
  }
}
