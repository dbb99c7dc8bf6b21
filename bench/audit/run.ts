// The audit log at 1,000,000 events in one org, against baselines in the same run:
//   verify: verifyAuditChain (PostgreSQL reads + canonical JSON + SHA-256 + digest checks)
//           vs plain SHA-256 of the same canonical rows already in memory (no DB reads);
//           also the same verify through Prisma keyset batches (the reader before the cursor);
//   page:   filtered newest-first pages (keyset) vs the unfiltered newest page, each bounded
//           by the retention cutoff like every read of the page and the API.
// Seeding uses bulk SQL (unnest arrays, 10,000 rows per INSERT), never recordAudit per row.
//
//   npx tsx bench/audit/run.ts [events] [page-rounds]     (needs PostgreSQL from scripts/start)

import {
  AUDIT_ACTION_NAMES,
  canonicalEventBody,
  listAuditEvents,
  loadDbEnv,
  retentionCutoff,
  type StoredEventText,
  sha256Hex,
  verifyAuditChain,
  writeAuditDigests,
} from "@slipway/db";
import { createOrg, createTestDatabase, prepareTestTemplate } from "@slipway/db/testing";

const N = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 200);
const BATCH = 10_000;
const { DATABASE_URL } = loadDbEnv();

await prepareTestTemplate(DATABASE_URL);
const t = await createTestDatabase(DATABASE_URL);
try {
  const org = await createOrg(t.db, { slug: "bench" });
  const actors = Array.from({ length: 50 }, (_, i) => ({ id: `user_${i}`, name: `User ${i}` }));
  const span = 40 * 86_400_000; // 40 days of events
  const start = Date.now() - span - 3_600_000;
  const step = span / N;

  const makeEvent = (i: number): StoredEventText => {
    const actor = actors[i % actors.length] ?? { id: "u", name: "u" };
    const action = AUDIT_ACTION_NAMES[i % AUDIT_ACTION_NAMES.length] ?? "org.renamed";
    return {
      id: `evt_${String(i + 1).padStart(9, "0")}`,
      seq: String(i + 1),
      occurredAt: new Date(Math.floor(start + i * step)).toISOString(),
      actorType: "USER",
      actorId: actor.id,
      actorName: actor.name,
      action,
      targetType: action.split(".")[0] ?? "org",
      targetId: `target_${i % 5_000}`,
      targetName: `Target ${i % 5_000}`,
      changes: i % 3 === 0 ? JSON.stringify({ name: { from: `a${i}`, to: `b${i}` } }) : null,
      ip: `203.0.113.${i % 250}`,
      userAgent: "Mozilla/5.0 (bench)",
      requestId: `req-${i}`,
      outcome: i % 97 === 0 ? "FAILURE" : "SUCCESS",
      orgId: org.id,
    };
  };

  // 1. Seed: the chain is computed here (each hash needs the previous one), rows go in bulk.
  // Like any bulk load, the secondary indexes are dropped first and rebuilt after (this is the
  // bench's own throw-away database); the rebuilt indexes are exactly the migrations' ones.
  const seedStarted = performance.now();
  const indexes = await t.db.$queryRawUnsafe<{ name: string; def: string }[]>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE tablename = 'audit_events' AND indexname NOT IN ('audit_events_pkey', 'audit_events_org_id_seq_key')`,
  );
  for (const index of indexes) await t.db.$executeRawUnsafe(`DROP INDEX "${index.name}"`);
  let prev: string | null = null;
  for (let from = 0; from < N; from += BATCH) {
    const cols: Record<string, (string | null)[]> = {
      id: [],
      seq: [],
      occurred_at: [],
      actor_id: [],
      actor_name: [],
      action: [],
      target_type: [],
      target_id: [],
      target_name: [],
      changes: [],
      ip: [],
      user_agent: [],
      request_id: [],
      outcome: [],
      hash: [],
      prev_hash: [],
    };
    for (let i = from; i < Math.min(N, from + BATCH); i++) {
      const e = makeEvent(i);
      const body = canonicalEventBody(e, prev);
      const hash = sha256Hex(body);
      cols.id?.push(e.id);
      cols.seq?.push(e.seq);
      cols.occurred_at?.push(e.occurredAt);
      cols.actor_id?.push(e.actorId);
      cols.actor_name?.push(e.actorName);
      cols.action?.push(e.action);
      cols.target_type?.push(e.targetType);
      cols.target_id?.push(e.targetId);
      cols.target_name?.push(e.targetName);
      cols.changes?.push(e.changes);
      cols.ip?.push(e.ip);
      cols.user_agent?.push(e.userAgent);
      cols.request_id?.push(e.requestId);
      cols.outcome?.push(e.outcome);
      cols.hash?.push(hash);
      cols.prev_hash?.push(prev);
      prev = hash;
    }
    await t.db.$executeRawUnsafe(
      `INSERT INTO "audit_events" ("org_id", "actor_type", "id", "seq", "occurred_at", "actor_id",
         "actor_name", "action", "target_type", "target_id", "target_name", "changes", "ip",
         "user_agent", "request_id", "outcome", "hash", "prev_hash")
       SELECT $1, 'USER', id, seq::bigint, (occ::timestamptz AT TIME ZONE 'UTC'), aid, aname, act,
         tt, tid, tname, ch::jsonb, ip, ua, rid, oc::"AuditOutcome", decode(h, 'hex'), decode(ph, 'hex')
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
         $15::text[], $16::text[], $17::text[])
         AS u(id, seq, occ, aid, aname, act, tt, tid, tname, ch, ip, ua, rid, oc, h, ph)`,
      org.id,
      cols.id,
      cols.seq,
      cols.occurred_at,
      cols.actor_id,
      cols.actor_name,
      cols.action,
      cols.target_type,
      cols.target_id,
      cols.target_name,
      cols.changes,
      cols.ip,
      cols.user_agent,
      cols.request_id,
      cols.outcome,
      cols.hash,
      cols.prev_hash,
    );
  }
  await t.db.$executeRawUnsafe(
    `UPDATE "orgs" SET "last_audit_seq" = $1, "created_at" = $2 WHERE "id" = $3`,
    N,
    new Date(start),
    org.id,
  );
  for (const index of indexes) await t.db.$executeRawUnsafe(index.def);
  await t.db.$executeRawUnsafe(`VACUUM ANALYZE "audit_events"`);
  const digests = await writeAuditDigests(t.db, { orgId: org.id });
  const seedMs = performance.now() - seedStarted;
  console.log(
    `\nseeded ${N.toLocaleString("en-US")} events + ${digests.written} digests in ${(seedMs / 1000).toFixed(1)} s`,
  );

  // 2. Verify vs plain hashing of the same canonical rows (interleaved, best of 3 each).
  const verifyTimes: number[] = [];
  const prismaTimes: number[] = [];
  const hashTimes: number[] = [];
  const checked = (check: Awaited<ReturnType<typeof verifyAuditChain>>) => {
    if (!check.ok || check.events !== N)
      throw new Error(
        `verify failed: ${JSON.stringify(check, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`,
      );
  };
  for (let round = 0; round < 3; round++) {
    let s = performance.now();
    checked(await verifyAuditChain(t.db, org.id));
    verifyTimes.push(performance.now() - s);
    if (round < 2) {
      s = performance.now();
      checked(await verifyAuditChain(t.db, org.id, { reader: "prisma" }));
      prismaTimes.push(performance.now() - s);
    }
    s = performance.now();
    // the same canonical rows, built from memory and chained, without reading the database
    let last: string | null = null;
    for (let i = 0; i < N; i++) {
      last = sha256Hex(canonicalEventBody(makeEvent(i), last));
    }
    hashTimes.push(performance.now() - s);
  }
  const best = (xs: number[]) => Math.min(...xs);
  const verifyRate = N / (best(verifyTimes) / 1000);
  const prismaRate = N / (best(prismaTimes) / 1000);
  const hashRate = N / (best(hashTimes) / 1000);

  // 3. Page queries: p50/p95 over ROUNDS, cursors at random depths.
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? Number.NaN;
  // what the page and the API add to every query: nothing before the plan's retention cutoff
  // (this org has no subscription: 90 days, which here is before the oldest event)
  const since = retentionCutoff(new Date(), 90);
  const depthCursor = (i: number) => {
    const at = Math.floor(start + ((i * 7919) % N) * step);
    return { occurredAt: new Date(at), id: "evt_999999999" };
  };
  const scenarios: [string, (i: number) => Promise<unknown>][] = [
    [
      "unfiltered newest page (baseline)",
      () => listAuditEvents(t.db, org.id, { from: since }, { limit: 50 }),
    ],
    [
      "action filter, newest page",
      (i) =>
        listAuditEvents(
          t.db,
          org.id,
          { action: AUDIT_ACTION_NAMES[i % AUDIT_ACTION_NAMES.length], from: since },
          { limit: 50 },
        ),
    ],
    [
      "action + actor + 7-day range, deep cursor",
      (i) =>
        listAuditEvents(
          t.db,
          org.id,
          {
            action: AUDIT_ACTION_NAMES[i % AUDIT_ACTION_NAMES.length],
            actor: actors[i % 50]?.id,
            from: new Date(start + span / 2),
            to: new Date(start + span / 2 + 7 * 86_400_000),
          },
          { limit: 50, cursor: depthCursor(i) },
        ),
    ],
    [
      "target filter, newest page",
      (i) =>
        listAuditEvents(
          t.db,
          org.id,
          { target: `target_${i % 5_000}`, from: since },
          { limit: 50 },
        ),
    ],
    [
      "outcome=FAILURE, deep cursor",
      (i) =>
        listAuditEvents(
          t.db,
          org.id,
          { outcome: "FAILURE", from: since },
          { limit: 50, cursor: depthCursor(i) },
        ),
    ],
    [
      "free text (pg_trgm), rare term",
      (i) =>
        listAuditEvents(t.db, org.id, { q: `req-${(i * 4999) % N}`, from: since }, { limit: 50 }),
    ],
  ];
  const results: { name: string; p50: number; p95: number }[] = [];
  for (const [name] of scenarios) results.push({ name, p50: 0, p95: 0 });
  const samples = scenarios.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [k, [, run]] of scenarios.entries()) {
      const s = performance.now();
      await run(round);
      samples[k]?.push(performance.now() - s);
    }
  }
  for (const [k, r] of results.entries()) {
    r.p50 = p(samples[k] ?? [], 0.5);
    r.p95 = p(samples[k] ?? [], 0.95);
  }
  const base = results[0]?.p95 ?? 1;

  console.log(`\nVerify a chain of ${N.toLocaleString("en-US")} events (best of 3)\n`);
  console.log("| method                                   | events/s | vs baseline |");
  console.log("| ---------------------------------------- | -------: | ----------: |");
  console.log(
    `| verifyAuditChain (DB reads + digests)    | ${Math.round(verifyRate).toLocaleString("en-US").padStart(8)} | ${(verifyRate / hashRate).toFixed(2).padStart(10)}x |`,
  );
  console.log(
    `| verify, Prisma keyset batches (before)   | ${Math.round(prismaRate).toLocaleString("en-US").padStart(8)} | ${(prismaRate / hashRate).toFixed(2).padStart(10)}x |`,
  );
  console.log(
    `| SHA-256 of canonical rows in memory      | ${Math.round(hashRate).toLocaleString("en-US").padStart(8)} | ${"1.00".padStart(10)}x |`,
  );
  console.log(`\ntarget >= 200,000 events/s: ${verifyRate >= 200_000 ? "met" : "MISSED"}`);
  console.log(`\nPage of 50 at ${N.toLocaleString("en-US")} events, ${ROUNDS} rounds each\n`);
  console.log(
    "| query                                       | p50 ms | p95 ms | p95 vs baseline |",
  );
  console.log(
    "| ------------------------------------------- | -----: | -----: | --------------: |",
  );
  for (const r of results) {
    console.log(
      `| ${r.name.padEnd(43)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p95.toFixed(1).padStart(6)} | ${(r.p95 / base).toFixed(2).padStart(14)}x |`,
    );
  }
  const worst = Math.max(...results.map((r) => r.p95));
  console.log(
    `\ntarget p95 < 50 ms: ${worst < 50 ? "met" : "MISSED"} (worst p95 ${worst.toFixed(1)} ms)`,
  );
} finally {
  await t.drop();
}
