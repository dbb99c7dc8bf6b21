// Writes a range's usage rows into PostgreSQL (usage_daily): the rows of those days are
// replaced in one transaction, so a re-run (or a recompute of any period) leaves exactly the
// rows the raw events give, never a sum of runs.

import type { Db } from "@slipway/db";
import type { RollupRange, UsageRow } from "./queries.ts";

const CHUNK = 50_000;

export interface WriteResult {
  rows: number;
  /** Rows of orgs the database does not know (deleted orgs, foreign data): skipped. */
  skipped: number;
}

export async function replaceUsageRows(
  db: Db,
  range: RollupRange,
  rows: readonly UsageRow[],
): Promise<WriteResult> {
  const orgs = await db.org.findMany({
    where: range.orgIds === undefined ? {} : { id: { in: [...range.orgIds] } },
    select: { id: true },
  });
  const known = new Set(orgs.map((o) => o.id));
  const kept = rows.filter((r) => known.has(r.orgId));
  const computedAt = new Date();
  await db.$transaction(
    async (tx) => {
      await tx.usageDaily.deleteMany({
        where: {
          day: { gte: range.from, lt: range.to },
          ...(range.orgIds !== undefined && { orgId: { in: [...range.orgIds] } }),
        },
      });
      // One INSERT per chunk from column arrays (unnest): a month of 1,000 orgs is ~500k rows,
      // which Prisma's createMany took minutes to send.
      for (let i = 0; i < kept.length; i += CHUNK) {
        const chunk = kept.slice(i, i + CHUNK);
        await tx.$executeRaw`
          INSERT INTO usage_daily (org_id, day, meter, key, project_id, quantity, computed_at)
          SELECT o, d, m, k, p, q, ${computedAt}
          FROM unnest(
            ${chunk.map((r) => r.orgId)}::text[], ${chunk.map((r) => r.day)}::date[],
            ${chunk.map((r) => r.meter)}::text[], ${chunk.map((r) => r.key)}::text[],
            ${chunk.map((r) => r.projectId)}::text[], ${chunk.map((r) => r.quantity.toString())}::bigint[]
          ) AS u(o, d, m, k, p, q)`;
      }
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return { rows: kept.length, skipped: rows.length - kept.length };
}
