// The audit log's filters, one zod schema for every way in: the page's query string, tRPC
// input, the REST API and the exports. Bad input names the field.

import { AUDIT_ACTION_NAMES, type AuditFilter } from "@slipway/db";
import { z } from "zod";

export const AUDIT_PAGE_SIZE_MAX = 200;

const dateOrTime = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v), {
    message: "use a date (2025-03-31) or an ISO-8601 time",
  })
  .transform((v) => new Date(/T/.test(v) && !/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? `${v}Z` : v))
  .refine((d) => !Number.isNaN(d.getTime()), { message: "not a valid date" });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const auditQuerySchema = z.object({
  actor: optionalText(64),
  action: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || (AUDIT_ACTION_NAMES as readonly string[]).includes(v), {
      message: "not an action of the audit catalogue",
    }),
  targetType: optionalText(64),
  target: optionalText(128),
  outcome: z
    .string()
    .optional()
    .transform((v) => (v ? v.toUpperCase() : undefined))
    .pipe(z.enum(["SUCCESS", "FAILURE"]).optional()),
  from: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(dateOrTime.optional()),
  to: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(dateOrTime.optional()),
  q: optionalText(200),
  cursor: optionalText(200),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).optional(),
});

export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditQueryInput = z.input<typeof auditQuerySchema>;

export const AUDIT_QUERY_KEYS = [
  "actor",
  "action",
  "targetType",
  "target",
  "outcome",
  "from",
  "to",
  "q",
  "cursor",
  "limit",
] as const;

export class AuditQueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "AuditQueryError";
  }
}

/** A date-only `to` means "through that day": the filter's end is exclusive. */
function toFilter(q: AuditQuery, rawTo: string | undefined): AuditFilter {
  let to = q.to;
  if (to && rawTo && /^\d{4}-\d{2}-\d{2}$/.test(rawTo)) to = new Date(to.getTime() + 86_400_000);
  return {
    actor: q.actor,
    action: q.action,
    targetType: q.targetType,
    target: q.target,
    outcome: q.outcome,
    from: q.from,
    to,
    q: q.q,
  };
}

export function parseAuditQuery(input: Record<string, unknown>): {
  query: AuditQuery;
  filter: AuditFilter;
} {
  const result = auditQuerySchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AuditQueryError(String(issue?.path[0] ?? "query"), issue?.message ?? "invalid");
  }
  if (result.data.from && result.data.to && result.data.from > result.data.to) {
    throw new AuditQueryError("to", "must not be before from");
  }
  const rawTo = typeof input.to === "string" ? input.to : undefined;
  return { query: result.data, filter: toFilter(result.data, rawTo) };
}

/** The known keys of a query string (unknown keys are ignored; repeated keys take the first). */
export function auditQueryFromSearchParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of AUDIT_QUERY_KEYS) {
    const value = params.get(key);
    if (value !== null) out[key] = value;
  }
  return out;
}
