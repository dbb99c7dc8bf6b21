// Verifying an org's audit log: the hash chain of its events AND its hourly digests.
//
// Events are read in seq order, each hash recomputed from the stored fields and the previous
// hash. A client of `createDb` reads them through one server-side cursor on its own connection
// (one REPEATABLE READ snapshot, raw text columns, the next batch fetched while this one is
// hashed); a transaction client reads keyset batches through Prisma. On top:
// - seq must run 1, 2, 3... without a hole (a deleted row shows as a gap at its seq);
// - a log whose oldest events were removed by the retention job must start right after what
//   that job recorded in the chain, with the matching prevHash;
// - every digest must chain to the previous one, cover every hour (no missing hour), and name
//   a (seq, hash) the events still have; the newest digest and the org's seq counter must not
//   be ahead of the last event (a cut-off tail).
// The result names the first broken link: its seq, the id of the row found there (null when
// the row is missing) and why.

import pg from "pg";
import { Prisma } from "../generated/prisma/client.ts";
import { connectionUrlOf, type DbTx } from "../index.ts";
import { HOUR_MS } from "./digests.ts";
import { digestHashHex, type StoredEventText, storedEventHashHex } from "./hash.ts";

export type AuditChainCheck =
  | {
      ok: true;
      /** Events checked. */
      events: number;
      /** Hourly digests checked. */
      digests: number;
      firstSeq: bigint | null;
      lastSeq: bigint | null;
    }
  | {
      ok: false;
      /** The first broken link. */
      seq: bigint;
      /** The row found at that seq, or null when it is missing. */
      id: string | null;
      reason: string;
      /** Events that checked out before the break. */
      events: number;
    };

export interface VerifyOptions {
  /** Rows per query; default 20,000. */
  batchSize?: number;
  /** Read through Prisma batches even when a cursor connection is possible (tests, benches). */
  reader?: "auto" | "prisma";
}

type Row = StoredEventText & { hash: string; prevHash: string | null };

const RETENTION_ACTION = "audit.retention_purged";

async function readBatch(db: DbTx, orgId: string, afterSeq: bigint, limit: number) {
  return db.$queryRaw<Row[]>(Prisma.sql`
    SELECT "id", "seq"::text AS "seq",
      to_char("occurred_at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
      "actor_type"::text AS "actorType", "actor_id" AS "actorId", "actor_name" AS "actorName",
      "action", "target_type" AS "targetType", "target_id" AS "targetId",
      "target_name" AS "targetName", "changes"::text AS "changes", "ip",
      "user_agent" AS "userAgent", "request_id" AS "requestId", "outcome"::text AS "outcome",
      "org_id" AS "orgId", encode("hash", 'hex') AS "hash",
      encode("prev_hash", 'hex') AS "prevHash"
    FROM "audit_events"
    WHERE "org_id" = ${orgId} AND "audit_events"."seq" > ${afterSeq}
    ORDER BY "audit_events"."seq" ASC
    LIMIT ${limit}`);
}

/** A batch of events in seq order; `row(i)` may reuse one object (read it before the next). */
interface Batch {
  length: number;
  row(i: number): Row;
}

/** Keyset batches through Prisma (works on a transaction client too). */
async function* prismaBatches(db: DbTx, orgId: string, batchSize: number): AsyncGenerator<Batch> {
  let after = 0n;
  for (;;) {
    const rows = await readBatch(db, orgId, after, batchSize);
    if (rows.length > 0) yield { length: rows.length, row: (i) => rows[i] as Row };
    if (rows.length < batchSize) return;
    after = BigInt(rows[rows.length - 1]?.seq ?? "0");
  }
}

// Every column as PostgreSQL's text output: no per-value conversion in node, no to_char() or
// encode() per row in the server (together they cost more than the hashing).
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** `timestamp(3)` text under DateStyle ISO ("2026-01-02 03:04:05.6") → toISOString()'s form. */
export function isoFromPgTimestamp(text: string): string {
  if (text.length >= 19 && text.length <= 23 && text[10] === " ") {
    const frac = text.length > 20 ? text.slice(20).padEnd(3, "0") : "000";
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${frac}Z`;
  }
  return new Date(`${text.replace(" ", "T")}Z`).toISOString();
}

/** bytea text output ("\\x" + hex) → hex. */
const hexOf = (value: string | null) => (value === null ? null : value.slice(2));

/**
 * One server-side cursor in a read-only REPEATABLE READ transaction on a connection of its own:
 * the whole chain from one snapshot, `batchSize` rows per FETCH, the next FETCH in flight while
 * the caller hashes the current batch.
 */
async function* cursorBatches(
  url: string,
  orgId: string,
  batchSize: number,
): AsyncGenerator<Batch> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "slipway audit verify",
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await client.query("SET LOCAL DateStyle TO ISO");
    await client.query({
      text: `DECLARE audit_verify NO SCROLL CURSOR FOR
        SELECT "id", "seq", "occurred_at", "actor_type", "actor_id", "actor_name", "action",
          "target_type", "target_id", "target_name", "changes", "ip", "user_agent", "request_id",
          "outcome", "hash", "prev_hash"
        FROM "audit_events" WHERE "org_id" = $1 ORDER BY "seq" ASC`,
      values: [orgId],
    });
    const fetch = () => {
      const batch = client.query<(string | null)[]>({
        text: `FETCH ${batchSize} FROM audit_verify`,
        rowMode: "array",
        types: RAW_TEXT,
      });
      // a prefetch still in flight when the caller stops early fails with the connection
      batch.catch(() => undefined);
      return batch;
    };
    let next = fetch();
    for (;;) {
      const result = await next;
      const more = result.rows.length === batchSize;
      if (more) next = fetch();
      const raw = result.rows;
      // one object refilled per row: a million events make no million row objects (org_id is
      // not read: the WHERE fixes it)
      const shared = { orgId } as Row;
      const row = (i: number): Row => {
        const r = raw[i] as (string | null)[];
        shared.id = r[0] as string;
        shared.seq = r[1] as string;
        shared.occurredAt = isoFromPgTimestamp(r[2] as string);
        shared.actorType = r[3] as string;
        shared.actorId = r[4] ?? null;
        shared.actorName = r[5] as string;
        shared.action = r[6] as string;
        shared.targetType = r[7] as string;
        shared.targetId = r[8] as string;
        shared.targetName = r[9] as string;
        shared.changes = r[10] ?? null;
        shared.ip = r[11] ?? null;
        shared.userAgent = r[12] ?? null;
        shared.requestId = r[13] ?? null;
        shared.outcome = r[14] as string;
        shared.hash = hexOf(r[15] ?? null) ?? "";
        shared.prevHash = hexOf(r[16] ?? null);
        return shared;
      };
      if (raw.length > 0) yield { length: raw.length, row };
      if (!more) break;
    }
    await client.query("COMMIT");
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Where the remaining log must start when older events were removed: only a retention run
 * recorded in the chain may explain missing head events (a digest alone may not: it describes
 * the head at some hour, which would let anyone cut off the oldest events unnoticed).
 */
async function retentionAnchor(
  db: DbTx,
  orgId: string,
  throughSeq: bigint,
): Promise<string | null> {
  const purges = await db.auditEvent.findMany({
    where: { orgId, action: RETENTION_ACTION },
    select: { changes: true },
    orderBy: { seq: "desc" },
    take: 100,
  });
  for (const p of purges) {
    const c = p.changes as { throughSeq?: string; throughHash?: string } | null;
    if (c?.throughSeq === throughSeq.toString() && typeof c.throughHash === "string") {
      return c.throughHash;
    }
  }
  return null;
}

export async function verifyAuditChain(
  db: DbTx,
  orgId: string,
  options: VerifyOptions = {},
): Promise<AuditChainCheck> {
  const batchSize = options.batchSize ?? 20_000;
  const org = await db.org.findUnique({ where: { id: orgId }, select: { lastAuditSeq: true } });
  const digests = await db.auditDigest.findMany({
    where: { orgId },
    orderBy: { hourStart: "asc" },
  });

  // 1. The digests among themselves.
  let digestProblem: { seq: bigint; reason: string } | null = null;
  let prevDigest: (typeof digests)[number] | null = null;
  const expectedAt = new Map<string, { hash: string; hour: Date }>();
  for (const d of digests) {
    const lastHash = d.lastHash ? Buffer.from(d.lastHash).toString("hex") : null;
    const prevHash = d.prevDigestHash ? Buffer.from(d.prevDigestHash).toString("hex") : null;
    const hour = d.hourStart.toISOString();
    const recomputed = digestHashHex({
      orgId,
      hourStart: d.hourStart,
      lastSeq: d.lastSeq,
      lastHash,
      prevDigestHash: prevHash,
    });
    let reason: string | null = null;
    if (recomputed !== Buffer.from(d.hash).toString("hex")) {
      reason = `the digest of hour ${hour} does not match its contents`;
    } else if (prevDigest === null && prevHash !== null) {
      reason = `digests before hour ${hour} are missing`;
    } else if (prevDigest && prevHash !== Buffer.from(prevDigest.hash).toString("hex")) {
      reason = `the digest of hour ${hour} does not chain to the previous digest`;
    } else if (prevDigest && d.hourStart.getTime() !== prevDigest.hourStart.getTime() + HOUR_MS) {
      reason = `no digest for hour ${new Date(prevDigest.hourStart.getTime() + HOUR_MS).toISOString()} (gap in the hourly digests)`;
    } else if (prevDigest && d.lastSeq < prevDigest.lastSeq) {
      reason = `the digest of hour ${hour} goes back to seq ${d.lastSeq}`;
    }
    if (reason) {
      digestProblem = { seq: d.lastSeq, reason };
      break;
    }
    if (lastHash) expectedAt.set(d.lastSeq.toString(), { hash: lastHash, hour: d.hourStart });
    prevDigest = d;
  }

  // 2. The events, in seq order.
  let prev: string | null = null;
  let expectedSeq = 1n;
  let checked = 0;
  let firstSeq: bigint | null = null;
  const url = options.reader === "prisma" ? undefined : connectionUrlOf(db);
  const batches = url ? cursorBatches(url, orgId, batchSize) : prismaBatches(db, orgId, batchSize);
  try {
    for await (const batch of batches) {
      for (let i = 0; i < batch.length; i++) {
        const row = batch.row(i);
        const seq = BigInt(row.seq);
        if (firstSeq === null) {
          firstSeq = seq;
          if (seq > 1n) {
            const anchor = await retentionAnchor(db, orgId, seq - 1n);
            if (anchor === null) {
              return {
                ok: false,
                seq: 1n,
                id: null,
                reason: `events 1 to ${seq - 1n} are missing, and no retention run or digest accounts for them`,
                events: 0,
              };
            }
            prev = anchor;
            expectedSeq = seq;
          }
        }
        if (seq !== expectedSeq) {
          return {
            ok: false,
            seq: expectedSeq,
            id: null,
            reason: `event seq ${expectedSeq} is missing (the next event found is seq ${seq}, id ${row.id})`,
            events: checked,
          };
        }
        if (row.prevHash !== prev) {
          return {
            ok: false,
            seq,
            id: row.id,
            reason:
              "prevHash does not match the previous event's hash (an event before it was removed, replaced or reordered)",
            events: checked,
          };
        }
        const hash = storedEventHashHex(row, prev);
        if (hash !== row.hash) {
          return {
            ok: false,
            seq,
            id: row.id,
            reason: "hash does not match the event's contents (the row was edited)",
            events: checked,
          };
        }
        const expected = expectedAt.get(row.seq);
        if (expected && expected.hash !== hash) {
          return {
            ok: false,
            seq,
            id: row.id,
            reason: `the event differs from what the digest of hour ${expected.hour.toISOString()} recorded`,
            events: checked,
          };
        }
        prev = hash;
        expectedSeq = seq + 1n;
        checked += 1;
      }
    }
  } finally {
    // an early return leaves the cursor's connection open: close it
    await batches.return(undefined);
  }
  const lastSeq = checked > 0 ? expectedSeq - 1n : null;

  // 3. A cut-off tail: the digests or the org's seq counter know of later events.
  const newestDigest = digests.at(-1);
  const head = lastSeq ?? 0n;
  if (newestDigest && newestDigest.lastSeq > head && !digestProblem) {
    return {
      ok: false,
      seq: head + 1n,
      id: null,
      reason: `events from seq ${head + 1n} are missing: the digest of hour ${newestDigest.hourStart.toISOString()} records seq ${newestDigest.lastSeq} (the log was truncated)`,
      events: checked,
    };
  }
  if (org && org.lastAuditSeq > head) {
    return {
      ok: false,
      seq: head + 1n,
      id: null,
      reason: `events from seq ${head + 1n} are missing: the org has handed out seq ${org.lastAuditSeq} (the log was truncated)`,
      events: checked,
    };
  }
  if (digestProblem) return { ok: false, ...digestProblem, id: null, events: checked };
  return { ok: true, events: checked, digests: digests.length, firstSeq, lastSeq };
}
