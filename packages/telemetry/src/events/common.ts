import { z } from "zod";

/** The only event schema version so far. A v2 event adds new union members beside v1. */
export const SCHEMA_VERSION_V1 = 1 as const;

/** Ids of Slipway entities (orgs, projects, builds) as the PostgreSQL side issues them. */
export const entityId = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters");

/** An ISO 8601 timestamp with a zone (`Z` or an offset), e.g. `2025-01-31T12:00:00.000Z`. */
export const timestamp = z.iso.datetime({
  offset: true,
  message: "expected an ISO 8601 timestamp with a zone, e.g. 2025-01-31T12:00:00.000Z",
});

export const digest = z
  .string()
  .regex(/^sha256:[a-f0-9]{64}$/, "expected a digest like sha256:<64 hex characters>");

/** `os/arch` or `os/arch/variant`, e.g. `linux/amd64`, `linux/arm/v7`. */
export const platform = z
  .string()
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, "expected a platform like linux/amd64");

export const count = z.int().nonnegative();

/** `owner/name` of a GitHub repository. */
export const repository = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected a repository like owner/name");

/** Fields every telemetry event carries. `id` is the idempotency key: a re-sent event keeps it. */
export const envelope = z.object({
  id: z.uuid("expected a UUID (the event id, reused when the event is re-sent)"),
  schemaVersion: z.literal(SCHEMA_VERSION_V1),
  orgId: entityId,
  time: timestamp,
});

/** Events that always belong to a project (builds, steps, lint, cache). */
export const projectEnvelope = envelope.extend({ projectId: entityId });

/** Events that belong to an org and only maybe to a project (GitHub runner events). */
export const orgEnvelope = envelope.extend({ projectId: entityId.nullable() });

/** Adds an issue at `path` when `later` is before `earlier` (both ISO strings, either may be null). */
export function checkOrder(
  ctx: z.core.$RefinementCtx,
  earlier: string | null | undefined,
  later: string | null | undefined,
  path: string,
  message: string,
) {
  if (earlier && later && Date.parse(later) < Date.parse(earlier)) {
    ctx.addIssue({ code: "custom", path: [path], message, input: later });
  }
}
