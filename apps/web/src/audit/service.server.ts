// Reading, verifying and exporting an org's audit log for the dashboard, tRPC and the REST API.
// Callers check `audit.read` first; every function takes the org id it is scoped to. Reads show
// only what the org's plan retains (`auditRetentionOf`): an event older than that is never
// listed or exported, also before the retention job has deleted it.

import {
  type AuditEventRow,
  type AuditFilter,
  type AuditRetention,
  auditEventJson,
  auditRetentionOf,
  type Db,
  decodeAuditCursor,
  iterateAuditEvents,
  listAuditEvents,
  verifyAuditChain,
} from "@slipway/db";
import { AuditQueryError, parseAuditQuery } from "./filters";

export const AUDIT_DEFAULT_PAGE_SIZE = 50;

/** The filter with its `from` moved up to the retention cutoff (never earlier). */
export function withinRetention(filter: AuditFilter, retention: AuditRetention): AuditFilter {
  const from = filter.from && filter.from > retention.since ? filter.from : retention.since;
  return { ...filter, from };
}

export function retentionJson(retention: AuditRetention) {
  return {
    days: retention.days,
    since: retention.since.toISOString(),
    plan: retention.planCode,
  };
}

export async function readAuditPage(
  db: Db,
  orgId: string,
  input: Record<string, unknown>,
  now: Date = new Date(),
) {
  const { query, filter } = parseAuditQuery(input);
  const cursor = query.cursor ? decodeAuditCursor(query.cursor) : null;
  if (query.cursor && !cursor) {
    throw new AuditQueryError("cursor", "not a cursor from a previous page (use nextCursor)");
  }
  const retention = await auditRetentionOf(db, orgId, now);
  const page = await listAuditEvents(db, orgId, withinRetention(filter, retention), {
    limit: query.limit ?? AUDIT_DEFAULT_PAGE_SIZE,
    cursor,
  });
  return {
    events: page.events.map(auditEventJson),
    nextCursor: page.nextCursor,
    retention: retentionJson(retention),
  };
}

export type AuditVerifyResult =
  | { ok: true; events: number; digests: number; firstSeq: string | null; lastSeq: string | null }
  | { ok: false; seq: string; id: string | null; reason: string; events: number };

export async function verifyOrgAudit(db: Db, orgId: string): Promise<AuditVerifyResult> {
  const check = await verifyAuditChain(db, orgId);
  return check.ok
    ? {
        ok: true,
        events: check.events,
        digests: check.digests,
        firstSeq: check.firstSeq?.toString() ?? null,
        lastSeq: check.lastSeq?.toString() ?? null,
      }
    : {
        ok: false,
        seq: check.seq.toString(),
        id: check.id,
        reason: check.reason,
        events: check.events,
      };
}

export const CSV_COLUMNS = [
  "occurred_at",
  "seq",
  "id",
  "actor_type",
  "actor_id",
  "actor_name",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "outcome",
  "changes",
  "ip",
  "user_agent",
  "request_id",
  "hash",
] as const;

/** RFC 4180 field; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(e: AuditEventRow): string {
  const j = auditEventJson(e);
  return `${[
    j.occurredAt,
    j.seq,
    j.id,
    j.actor.type,
    j.actor.id,
    j.actor.name,
    j.action,
    j.target.type,
    j.target.id,
    j.target.name,
    j.outcome,
    j.changes === null ? null : JSON.stringify(j.changes),
    j.ip,
    j.userAgent,
    j.requestId,
    j.hash,
  ]
    .map(csvField)
    .join(",")}\r\n`;
}

export type ExportFormat = "csv" | "jsonl";

/**
 * The filtered log as a stream, newest first, read in batches of `batchSize` with the keyset
 * cursor: memory stays at one batch however large the log is. Pull-based, so a slow client
 * slows the reads instead of buffering.
 */
export function exportAuditStream(
  db: Db,
  orgId: string,
  input: Record<string, unknown>,
  format: ExportFormat,
  batchSize = 1_000,
  now: Date = new Date(),
): ReadableStream<Uint8Array> {
  const { filter } = parseAuditQuery({ ...input, cursor: undefined, limit: undefined });
  const encoder = new TextEncoder();
  const events = (async function* () {
    const retention = await auditRetentionOf(db, orgId, now);
    yield* iterateAuditEvents(db, orgId, withinRetention(filter, retention), batchSize);
  })();
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.join(",")}\r\n`));
        return;
      }
      // up to one batch per pull
      let text = "";
      for (let i = 0; i < batchSize; i++) {
        const next = await events.next();
        if (next.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text +=
          format === "csv" ? csvRow(next.value) : `${JSON.stringify(auditEventJson(next.value))}\n`;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
}

export function exportHeaders(
  format: ExportFormat,
  orgSlug: string,
  now = new Date(),
): HeadersInit {
  const stamp = now.toISOString().slice(0, 19).replaceAll(":", "");
  return {
    "content-type":
      format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    "content-disposition": `attachment; filename="audit-${orgSlug}-${stamp}.${format === "csv" ? "csv" : "jsonl"}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}
