import { getBuildService } from "../builds/instance.server";
import { getDb } from "../db.server";
import type { ApiDeps } from "./handlers.server";

/** The process-wide database client and build service, for the route modules. */
export function getApiDeps(): ApiDeps {
  return { db: getDb(), builds: getBuildService() };
}
