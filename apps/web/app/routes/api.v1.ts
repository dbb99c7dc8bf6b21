import { getApiDeps } from "../../src/api/deps.server";
import { handleApiRequest } from "../../src/api/router.server";
import type { Route } from "./+types/api.v1";

// The REST API (/api/v1/*, bearer tokens, JSON and NDJSON): one resource route hands every
// request to src/api/router.server.ts, which lists the endpoints.
export function loader({ request }: Route.LoaderArgs) {
  return handleApiRequest(request, getApiDeps());
}

export function action({ request }: Route.ActionArgs) {
  return handleApiRequest(request, getApiDeps());
}
