// GET /orgs/:orgSlug/billing/alerts: the spend-alert banner's data, for every member of the org.
import { can } from "../../src/auth/permissions";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getSpendAlerts } from "../../src/billing/service.server";
import { getDb } from "../../src/db.server";
import type { Route } from "./+types/billing-alerts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "org.read");
  const alerts = await getSpendAlerts(getDb(), access.org.id);
  return Response.json(
    { ...alerts, canSeeBilling: can(access.role, "billing.read") },
    { headers: { "cache-control": "no-store" } },
  );
}
