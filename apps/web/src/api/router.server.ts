import { listAuditEventsHandler, verifyAuditEventsHandler } from "../audit/api.server";
import {
  type ApiDeps,
  cacheHandler,
  cacheResetHandler,
  cancelBuildHandler,
  createBuildHandler,
  getBuildHandler,
  getProjectHandler,
  listBuildsHandler,
  listProjectsHandler,
} from "./handlers.server";
import { ApiError, methodNotAllowed, withApiErrors } from "./http";

type Handler = (request: Request, deps: ApiDeps, params: string[]) => Promise<Response>;

// The /api/v1 endpoints. app/routes.ts maps the same paths to route modules that call these
// handlers; this table serves tests and any server that wants the API without React Router.
const ROUTES: { pattern: RegExp; methods: Record<string, Handler> }[] = [
  { pattern: /^projects$/, methods: { GET: (r, d) => listProjectsHandler(r, d) } },
  {
    pattern: /^projects\/([^/]+)$/,
    methods: { GET: (r, d, [p]) => getProjectHandler(r, d, p ?? "") },
  },
  {
    pattern: /^projects\/([^/]+)\/builds$/,
    methods: {
      GET: (r, d, [p]) => listBuildsHandler(r, d, p ?? ""),
      POST: (r, d, [p]) => createBuildHandler(r, d, p),
    },
  },
  {
    pattern: /^projects\/([^/]+)\/cache$/,
    methods: { GET: (r, d, [p]) => cacheHandler(r, d, p ?? "") },
  },
  {
    pattern: /^projects\/([^/]+)\/cache\/reset$/,
    methods: { POST: (r, d, [p]) => cacheResetHandler(r, d, p ?? "") },
  },
  { pattern: /^builds$/, methods: { POST: (r, d) => createBuildHandler(r, d, undefined) } },
  { pattern: /^builds\/([^/]+)$/, methods: { GET: (r, d, [b]) => getBuildHandler(r, d, b ?? "") } },
  { pattern: /^audit-events$/, methods: { GET: (r, d) => listAuditEventsHandler(r, d.db) } },
  {
    pattern: /^audit-events\/verify$/,
    methods: { GET: (r, d) => verifyAuditEventsHandler(r, d.db) },
  },
  {
    pattern: /^builds\/([^/]+)\/cancel$/,
    methods: { POST: (r, d, [b]) => cancelBuildHandler(r, d, b ?? "") },
  },
];

/** Answers any /api/v1/... request (404 JSON for unknown paths, 405 for wrong methods). */
export function handleApiRequest(request: Request, deps: ApiDeps): Promise<Response> {
  return withApiErrors(async () => {
    const path = new URL(request.url).pathname.replace(/^\/api\/v1\/?/, "").replace(/\/$/, "");
    for (const route of ROUTES) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handler = route.methods[request.method];
      if (!handler) return methodNotAllowed(Object.keys(route.methods));
      const params = match.slice(1).map((value) => decodeURIComponent(value));
      return handler(request, deps, params);
    }
    throw new ApiError(404, "not-found", `no API endpoint at ${new URL(request.url).pathname}`);
  });
}

/** The endpoint table, read by tests that must cover every write route (audit coverage). */
export const API_ROUTES: readonly { pattern: RegExp; methods: Record<string, unknown> }[] = ROUTES;
