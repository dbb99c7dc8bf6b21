// Audit retention: each org keeps its events for its plan's `auditRetentionDays` (90 days
// without a subscription), counted in whole UTC days. The job deletes the expired days in one
// transaction that sets `slipway.audit_retention` (the only way past the append-only trigger,
// which also refuses anything from today) and records an `audit.retention_purged` event with
// the seq range and the hash of the last removed event, so verification can anchor the rest.

import { AUDIT_ACTIONS, recordAudit } from "../audit.ts";
import type { Db, DbTx } from "../index.ts";
import { writeAuditDigests } from "./digests.ts";

export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface RetentionResult {
  orgId: string;
  retentionDays: number;
  purgedBefore: Date;
  deleted: number;
}

/** Start of the first UTC day that is still kept. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return new Date(today - Math.max(1, retentionDays) * DAY_MS + DAY_MS);
}

export interface AuditRetention {
  /** The org's plan's `auditRetentionDays` (DEFAULT_AUDIT_RETENTION_DAYS without a subscription). */
  days: number;
  /** The oldest instant still kept (`retentionCutoff`): reads show nothing before it. */
  since: Date;
  /** The plan's code, null without a subscription. */
  planCode: string | null;
}

/**
 * What an org may read of its log today. The page, the exports and GET /api/v1/audit-events
 * never show events from before `since`, also when the purge job has not removed them yet.
 */
export async function auditRetentionOf(
  db: DbTx,
  orgId: string,
  now: Date = new Date(),
): Promise<AuditRetention> {
  const sub = await db.subscription.findUnique({
    where: { orgId },
    select: { plan: { select: { code: true, auditRetentionDays: true } } },
  });
  const days = sub?.plan.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  return { days, since: retentionCutoff(now, days), planCode: sub?.plan.code ?? null };
}

export async function purgeExpiredAuditEvents(
  db: Db,
  options: { now?: Date; orgId?: string } = {},
): Promise<RetentionResult[]> {
  const now = options.now ?? new Date();
  const orgs = await db.org.findMany({
    where: options.orgId ? { id: options.orgId } : {},
    select: {
      id: true,
      name: true,
      subscription: { select: { plan: { select: { auditRetentionDays: true } } } },
    },
  });
  const results: RetentionResult[] = [];
  for (const org of orgs) {
    const retentionDays = org.subscription?.plan.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    const cutoff = retentionCutoff(now, retentionDays);
    const oldest = await db.auditEvent.findFirst({
      where: { orgId: org.id, occurredAt: { lt: cutoff } },
      select: { id: true },
    });
    if (!oldest) continue;
    // Digests first: the hours being removed keep their digest, which anchors what remains.
    await writeAuditDigests(db, { now, orgId: org.id });
    const deleted = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('slipway.audit_retention', 'on', true)`;
        const range = await tx.$queryRaw<
          { first: bigint | null; through: bigint | null; n: bigint }[]
        >`SELECT min("seq") AS first, max("seq") AS through, count(*) AS n
          FROM "audit_events" WHERE "org_id" = ${org.id} AND "occurred_at" < ${cutoff}`;
        const r = range[0];
        if (!r || r.through === null || r.first === null) return 0;
        const last = await tx.auditEvent.findUniqueOrThrow({
          where: { orgId_seq: { orgId: org.id, seq: r.through } },
          select: { hash: true },
        });
        const n = await tx.auditEvent.deleteMany({
          where: { orgId: org.id, occurredAt: { lt: cutoff } },
        });
        await recordAudit(tx, {
          orgId: org.id,
          actor: { type: "SYSTEM", id: null, name: "audit retention" },
          action: AUDIT_ACTIONS.auditRetentionPurged,
          target: { type: "org", id: org.id, name: org.name },
          changes: {
            retentionDays,
            purgedBefore: cutoff.toISOString(),
            deleted: n.count,
            firstSeq: r.first.toString(),
            throughSeq: r.through.toString(),
            throughHash: Buffer.from(last.hash).toString("hex"),
          },
          occurredAt: now,
        });
        return n.count;
      },
      { timeout: 120_000 },
    );
    results.push({ orgId: org.id, retentionDays, purgedBefore: cutoff, deleted });
  }
  return results;
}
