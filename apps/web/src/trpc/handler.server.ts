import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Db } from "../db.server";
import type { Context } from "./init";
import { appRouter } from "./router";

export const TRPC_ENDPOINT = "/api/trpc";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Answers a fetch Request under /api/trpc with the app router. */
export function handleTrpcRequest(request: Request, db: Db): Promise<Response> {
  const requestId = requestIdOf(request);
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: (): Context => ({ db, requestId }),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(`[trpc] ${path ?? "?"} failed (request ${requestId})`, error);
      }
    },
  });
}
