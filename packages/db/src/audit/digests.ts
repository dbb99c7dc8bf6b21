// Hourly digests (after CloudTrail's digest files): for every org and every UTC hour, the chain
// head at the end of the hour (last seq and its hash), chained to the previous digest. One is
// written even for an hour without events, so a missing hour or a cut-off tail can be proven.
// `writeAuditDigests` is idempotent: it writes only the hours after the org's newest digest, up
// to the last full hour, under a per-org advisory lock (several web processes may run it).

import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../index.ts";
import { digestHashHex } from "./hash.ts";

export const HOUR_MS = 3_600_000;
/** Hours written per insert, so catching up a long-idle install stays bounded in memory. */
const CHUNK_HOURS = 1_000;

export function floorHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

const hex = (bytes: Uint8Array | null | undefined) =>
  bytes ? Buffer.from(bytes).toString("hex") : null;
/** Hex to the byte array Prisma's Bytes fields take. */
const bytes = (value: string) => new Uint8Array(Buffer.from(value, "hex"));

export interface DigestRun {
  orgs: number;
  written: number;
}

/** Writes the missing digests of one org (or every org) up to the last full hour before `now`. */
export async function writeAuditDigests(
  db: Db,
  options: { now?: Date; orgId?: string } = {},
): Promise<DigestRun> {
  const end = floorHour(options.now ?? new Date());
  const orgs = await db.org.findMany({
    where: options.orgId ? { id: options.orgId } : {},
    select: { id: true, createdAt: true },
    orderBy: { id: "asc" },
  });
  let written = 0;
  for (const org of orgs) written += await writeOrgDigests(db, org, end);
  return { orgs: orgs.length, written };
}

async function writeOrgDigests(
  db: Db,
  org: { id: string; createdAt: Date },
  end: Date,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.$transaction(
      async (tx) => {
        // Serialise writers of this org; the newest digest is re-read under the lock.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit_digest:${org.id}`}))`;
        const last = await tx.auditDigest.findFirst({
          where: { orgId: org.id },
          orderBy: { hourStart: "desc" },
        });
        let start: Date;
        if (last) {
          start = new Date(last.hourStart.getTime() + HOUR_MS);
        } else {
          const first = await tx.auditEvent.findFirst({
            where: { orgId: org.id },
            orderBy: { seq: "asc" },
            select: { occurredAt: true },
          });
          const from = first && first.occurredAt < org.createdAt ? first.occurredAt : org.createdAt;
          start = floorHour(from);
        }
        if (start >= end) return 0;
        const stop = new Date(Math.min(end.getTime(), start.getTime() + CHUNK_HOURS * HOUR_MS));
        const perHour = await tx.$queryRaw<{ hour: Date; max_seq: bigint }[]>(Prisma.sql`
          SELECT date_trunc('hour', "occurred_at") AS hour, max("seq") AS max_seq
          FROM "audit_events"
          WHERE "org_id" = ${org.id} AND "occurred_at" >= ${start} AND "occurred_at" < ${stop}
          GROUP BY 1`);
        const maxByHour = new Map(perHour.map((r) => [new Date(r.hour).getTime(), r.max_seq]));
        let headSeq = last?.lastSeq ?? 0n;
        if (!last) {
          // events stamped before the org existed (imported) belong before the first digest
          const before = await tx.auditEvent.findFirst({
            where: { orgId: org.id, occurredAt: { lt: start } },
            orderBy: { seq: "desc" },
            select: { seq: true },
          });
          headSeq = before?.seq ?? 0n;
        }
        const heads: { hourStart: Date; seq: bigint }[] = [];
        for (let t = start.getTime(); t < stop.getTime(); t += HOUR_MS) {
          const max = maxByHour.get(t);
          if (max !== undefined && max > headSeq) headSeq = max;
          heads.push({ hourStart: new Date(t), seq: headSeq });
        }
        const seqs = [...new Set(heads.map((h) => h.seq).filter((s) => s > 0n))];
        const hashes = new Map<bigint, string>();
        if (seqs.length > 0) {
          const rows = await tx.auditEvent.findMany({
            where: { orgId: org.id, seq: { in: seqs } },
            select: { seq: true, hash: true },
          });
          for (const r of rows) hashes.set(r.seq, Buffer.from(r.hash).toString("hex"));
        }
        let prev = hex(last?.hash);
        const data = heads.map((h) => {
          const lastHash = h.seq > 0n ? (hashes.get(h.seq) ?? null) : null;
          const hash = digestHashHex({
            orgId: org.id,
            hourStart: h.hourStart,
            lastSeq: h.seq,
            lastHash,
            prevDigestHash: prev,
          });
          const row = {
            orgId: org.id,
            hourStart: h.hourStart,
            lastSeq: h.seq,
            lastHash: lastHash ? bytes(lastHash) : null,
            prevDigestHash: prev ? bytes(prev) : null,
            hash: bytes(hash),
          };
          prev = hash;
          return row;
        });
        await tx.auditDigest.createMany({ data, skipDuplicates: true });
        return data.length;
      },
      { timeout: 60_000 },
    );
    total += n;
    if (n < CHUNK_HOURS) return total;
  }
}
