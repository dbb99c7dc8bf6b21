// The hard spend limit at build creation: BuildService.start asks before it records a build.
import { buildRefusal } from "@slipway/billing";
import type { Db } from "@slipway/db";
import { ApiError } from "../api/http";

/** Throws 402 `spend-limit-reached` when the org's hard spend limit is reached. */
export async function assertBuildAllowed(db: Db, org: { id: string; slug: string }): Promise<void> {
  const refusal = await buildRefusal(db, org);
  if (refusal) throw new ApiError(402, "spend-limit-reached", refusal);
}
