import { requireOrgAccess } from "../../src/auth/session.server";
import { getDb } from "../../src/db.server";
import { getBuildTrace } from "../../src/presenters/build-compare.server";
import { parseBuildNumber } from "../../src/presenters/build-lookup.server";
import { isSlug } from "../../src/presenters/params";
import type { Route } from "./+types/build-trace";

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });

/** GET …/builds/:number/trace.json: the build's trace as OTLP/JSON, as a download. */
export async function loader({ params, request }: Route.LoaderArgs) {
  const access = await requireOrgAccess(request, params.orgSlug, "build.read");
  const number = parseBuildNumber(params.number);
  if (number === null) {
    return json({ error: `“${params.number}” is not a build number (whole numbers from 1)` }, 400);
  }
  if (!isSlug(params.projectSlug)) return json({ error: "No such project." }, 404);
  const result = await getBuildTrace(getDb(), {
    orgSlug: access.org.slug,
    projectSlug: params.projectSlug,
    number,
  });
  switch (result.kind) {
    case "not-found":
      return json({ error: result.message }, 404);
    case "unavailable":
      return json({ error: `build trace unavailable: ${result.reason}` }, 503);
    case "ok":
      return json(result.trace, 200, {
        "content-disposition": `attachment; filename="${params.projectSlug}-build-${number}-otlp.json"`,
        "cache-control": "private, no-store",
      });
  }
}
