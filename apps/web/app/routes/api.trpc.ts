import { getDb } from "../../src/db.server";
import { handleTrpcRequest } from "../../src/trpc/handler.server";
import type { Route } from "./+types/api.trpc";

// tRPC over the fetch adapter: queries arrive as GET, mutations as POST.
export function loader({ request }: Route.LoaderArgs) {
  return handleTrpcRequest(request, getDb());
}

export function action({ request }: Route.ActionArgs) {
  return handleTrpcRequest(request, getDb());
}
