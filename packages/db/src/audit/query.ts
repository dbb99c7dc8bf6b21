// Reading an org's audit log: filters, newest first, keyset pagination on (occurredAt, id).
// Every query starts with the org id, so it uses one of the (org_id, <filter>, occurred_at DESC,
// id DESC) indexes; free text uses the pg_trgm GIN index on search_text. A page never OFFSETs:
// the cursor is the last row's (occurredAt, id), so page 1,000 costs what page 1 costs.

import type { AuditEvent, AuditOutcome, Prisma } from "../generated/prisma/client.ts";
import type { DbTx } from "../index.ts";

export interface AuditFilter {
  /** An actor id (user or token), or "system" for events of background jobs. */
  actor?: string;
  action?: string;
  targetType?: string;
  /** A target id. */
  target?: string;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Free text: actor, action, target, request id, IP (case-insensitive substring). */
  q?: string;
}

export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

export type AuditEventRow = Omit<AuditEvent, "searchText">;

const SELECT = {
  id: true,
  orgId: true,
  seq: true,
  occurredAt: true,
  actorType: true,
  actorId: true,
  actorName: true,
  action: true,
  targetType: true,
  targetId: true,
  targetName: true,
  changes: true,
  ip: true,
  userAgent: true,
  requestId: true,
  outcome: true,
  hash: true,
  prevHash: true,
} as const satisfies Prisma.AuditEventSelect;

export function auditWhere(orgId: string, f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.actor) and.push(f.actor === "system" ? { actorType: "SYSTEM" } : { actorId: f.actor });
  if (f.action) and.push({ action: f.action });
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.target) and.push({ targetId: f.target });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.from) and.push({ occurredAt: { gte: f.from } });
  if (f.to) and.push({ occurredAt: { lt: f.to } });
  if (f.q) and.push({ searchText: { contains: f.q, mode: "insensitive" } });
  return { orgId, AND: and };
}

/** `occurredAt <= c.occurredAt` bounds the index scan; the OR only sorts out equal times. */
function afterCursor(c: AuditCursor): Prisma.AuditEventWhereInput {
  return {
    occurredAt: { lte: c.occurredAt },
    OR: [{ occurredAt: { lt: c.occurredAt } }, { id: { lt: c.id } }],
  };
}

export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(`${c.occurredAt.toISOString()}|${c.id}`).toString("base64url");
}

/** Null when the text is not a cursor this module wrote. */
export function decodeAuditCursor(text: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const raw = Buffer.from(text, "base64url").toString("utf8");
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_-]{1,64})$/.exec(raw);
  if (!match?.[1] || !match[2]) return null;
  const occurredAt = new Date(match[1]);
  return Number.isNaN(occurredAt.getTime()) ? null : { occurredAt, id: match[2] };
}

export interface AuditPage {
  events: AuditEventRow[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export async function listAuditEvents(
  db: DbTx,
  orgId: string,
  filter: AuditFilter,
  { limit = 50, cursor }: { limit?: number; cursor?: AuditCursor | null } = {},
): Promise<AuditPage> {
  const where = auditWhere(orgId, filter);
  const rows = await db.auditEvent.findMany({
    where: cursor ? { AND: [where, afterCursor(cursor)] } : where,
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: SELECT,
  });
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return {
    events,
    nextCursor:
      rows.length > limit && last
        ? encodeAuditCursor({ occurredAt: last.occurredAt, id: last.id })
        : null,
  };
}

/** Every event matching the filter, newest first, fetched in batches (for streamed exports). */
export async function* iterateAuditEvents(
  db: DbTx,
  orgId: string,
  filter: AuditFilter,
  batchSize = 1_000,
): AsyncGenerator<AuditEventRow> {
  let cursor: AuditCursor | null = null;
  for (;;) {
    const page = await listAuditEvents(db, orgId, filter, { limit: batchSize, cursor });
    for (const event of page.events) yield event;
    const last = page.events.at(-1);
    if (!page.nextCursor || !last) return;
    cursor = { occurredAt: last.occurredAt, id: last.id };
  }
}

/** The JSON shape of an event for APIs and exports (bigints and bytes as strings). */
export function auditEventJson(e: AuditEventRow) {
  return {
    id: e.id,
    seq: e.seq.toString(),
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, name: e.actorName },
    action: e.action,
    target: { type: e.targetType, id: e.targetId, name: e.targetName },
    changes: e.changes ?? null,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    outcome: e.outcome,
    hash: Buffer.from(e.hash).toString("hex"),
    prevHash: e.prevHash ? Buffer.from(e.prevHash).toString("hex") : null,
  };
}

export type AuditEventJson = ReturnType<typeof auditEventJson>;
