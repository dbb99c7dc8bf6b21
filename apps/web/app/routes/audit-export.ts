import {
  AuditQueryError,
  auditQueryFromSearchParams,
  parseAuditQuery,
} from "../../src/audit/filters";
import { exportAuditStream, exportHeaders } from "../../src/audit/service.server";
import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import type { Route } from "./+types/audit-export";

// GET /orgs/:orgSlug/audit/export?format=csv|jsonl&<filters>: the filtered view as a download,
// streamed from the database in batches (never built whole in memory). Owner/admin only.
export async function loader({ request, params }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "audit.read");
  const url = new URL(request.url);
  const format = url.searchParams.get("format") ?? "csv";
  if (format !== "csv" && format !== "jsonl") {
    return Response.json(
      { error: { code: "invalid-format", message: "format: use csv or jsonl" } },
      { status: 400 },
    );
  }
  const query = auditQueryFromSearchParams(url.searchParams);
  try {
    parseAuditQuery(query);
  } catch (error) {
    if (error instanceof AuditQueryError) {
      return Response.json(
        { error: { code: `invalid-${error.field}`, message: error.message } },
        { status: 400 },
      );
    }
    throw error;
  }
  return new Response(exportAuditStream(getDb(), access.org.id, query, format), {
    headers: exportHeaders(format, access.org.slug),
  });
}
