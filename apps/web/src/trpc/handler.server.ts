import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { checkCsrf } from "../auth/csrf";
import { clientIp, requestIdOf } from "../auth/request-info.server";
import { getAuth } from "../auth/session.server";
import type { Db } from "../db.server";
import type { Context } from "./init";
import { appRouter } from "./router";

export { requestIdOf };

export const TRPC_ENDPOINT = "/api/trpc";

/**
 * Answers a fetch Request under /api/trpc with the app router. Mutations (POST) must pass the
 * CSRF check; the session comes from the cookie.
 */
export async function handleTrpcRequest(
  request: Request,
  db: Db,
  { trustProxy }: { trustProxy?: boolean } = {},
): Promise<Response> {
  const requestId = requestIdOf(request);
  const csrf = checkCsrf(request);
  if (!csrf.ok) {
    return Response.json(
      {
        error: {
          message: csrf.message,
          code: -32003,
          data: { code: "FORBIDDEN", httpStatus: 403, requestId },
        },
      },
      { status: 403, headers: { "x-request-id": requestId } },
    );
  }
  const auth = await getAuth(request, db);
  const info = {
    ip: clientIp(request, trustProxy),
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
  };
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: (): Context => ({ db, requestId, auth, info }),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`[trpc] ${path ?? "?"} failed (request ${requestId})`, error);
      }
    },
  });
}
