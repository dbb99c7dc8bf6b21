import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, recordAudit } from "../audit.ts";
import type { Db } from "../index.ts";
import {
  createOrg,
  createTestDatabase,
  createUser,
  ensurePlans,
  type TestDatabase,
} from "../testing.ts";
import { floorHour, HOUR_MS, writeAuditDigests } from "./digests.ts";
import { listAuditEvents } from "./query.ts";
import { purgeExpiredAuditEvents, retentionCutoff } from "./retention.ts";
import { verifyAuditChain } from "./verify.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const actor = { type: "USER" as const, id: "u1", name: "Ada" };

async function appendEvents(db: Db, orgId: string, times: Date[]) {
  const ids: string[] = [];
  for (const [i, occurredAt] of times.entries()) {
    const e = await db.$transaction((tx) =>
      recordAudit(tx, {
        orgId,
        actor,
        action: AUDIT_ACTIONS.tokenCreated,
        target: { type: "token", id: `tok_${i}`, name: `token ${i}` },
        changes: { n: { from: null, to: i } },
        occurredAt,
      }),
    );
    ids.push(e.id);
  }
  return ids;
}

/**
 * What an attacker with superuser rights would do: switch triggers off for the transaction
 * (session_replication_role = replica skips the append-only trigger), then edit rows.
 */
async function tamper(db: Db, sql: string | string[], ...params: unknown[]) {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
    for (const statement of Array.isArray(sql) ? sql : [sql]) {
      await tx.$executeRawUnsafe(statement, ...params);
    }
  });
}

const hoursAgo = (now: Date, h: number) => new Date(now.getTime() - h * HOUR_MS);

describe("append-only trigger", () => {
  it("refuses UPDATE, DELETE and TRUNCATE of audit events and digests", async () => {
    const org = await createOrg(t.db);
    const [id] = await appendEvents(t.db, org.id, [new Date()]);
    await expect(
      t.db.auditEvent.update({ where: { id }, data: { actorName: "Mallory" } }),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.db.auditEvent.delete({ where: { id } })).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(t.db.$executeRawUnsafe('TRUNCATE "audit_events" CASCADE')).rejects.toThrow(
      /TRUNCATE refused/,
    );
    await writeAuditDigests(t.db, { orgId: org.id, now: new Date(Date.now() + 2 * HOUR_MS) });
    await expect(
      t.db.auditDigest.updateMany({ where: { orgId: org.id }, data: { lastSeq: 0n } }),
    ).rejects.toThrow(/audit_digests is append-only/);
    await expect(t.db.auditDigest.deleteMany({ where: { orgId: org.id } })).rejects.toThrow(
      /append-only/,
    );
    expect(await t.db.auditEvent.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("lets the retention setting delete only events of past days, never today's", async () => {
    const org = await createOrg(t.db);
    const now = new Date();
    await appendEvents(t.db, org.id, [new Date(now.getTime() - 3 * 86_400_000), now]);
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('slipway.audit_retention', 'on', true)`;
        await tx.auditEvent.deleteMany({ where: { orgId: org.id } });
      }),
    ).rejects.toThrow(/DELETE refused/);
    const n = await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('slipway.audit_retention', 'on', true)`;
      return tx.auditEvent.deleteMany({
        where: { orgId: org.id, occurredAt: { lt: new Date(now.getTime() - 86_400_000) } },
      });
    });
    expect(n.count).toBe(1);
    // the setting is transaction-local: outside it, deleting is refused again
    await expect(t.db.auditEvent.deleteMany({ where: { orgId: org.id } })).rejects.toThrow(
      /DELETE refused/,
    );
  });

  it("deleting an org removes its events and digests (cascade), and only its own", async () => {
    const doomed = await createOrg(t.db);
    const kept = await createOrg(t.db);
    await appendEvents(t.db, doomed.id, [new Date(), new Date()]);
    await appendEvents(t.db, kept.id, [new Date()]);
    await writeAuditDigests(t.db, { now: new Date(Date.now() + 2 * HOUR_MS) });
    expect(await t.db.auditDigest.count({ where: { orgId: doomed.id } })).toBeGreaterThan(0);
    await t.db.org.delete({ where: { id: doomed.id } });
    expect(await t.db.auditEvent.count({ where: { orgId: doomed.id } })).toBe(0);
    expect(await t.db.auditDigest.count({ where: { orgId: doomed.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { orgId: kept.id } })).toBe(1);
    expect((await verifyAuditChain(t.db, kept.id)).ok).toBe(true);
  });
});

describe("verifyAuditChain names the first broken link", () => {
  async function chainOf(n: number) {
    const org = await createOrg(t.db);
    const ids = await appendEvents(
      t.db,
      org.id,
      Array.from({ length: n }, () => new Date()),
    );
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({ ok: true, events: n });
    return { org, ids };
  }

  it("an edited row fails at that row", async () => {
    const { org, ids } = await chainOf(5);
    await tamper(
      t.db,
      `UPDATE "audit_events" SET "changes" = '{"n":{"from":null,"to":99}}' WHERE "id" = $1`,
      ids[2],
    );
    expect(await verifyAuditChain(t.db, org.id)).toEqual({
      ok: false,
      seq: 3n,
      id: ids[2],
      reason: "hash does not match the event's contents (the row was edited)",
      events: 2,
    });
  });

  it("the cursor reader and the Prisma reader agree, on any millisecond and any text", async () => {
    const org = await createOrg(t.db);
    const base = Date.UTC(2031, 0, 2, 3, 4, 5);
    const odd = ['quote " and \\ back', "tab\tnew\nline \u0001 \u007f", "\u2028 é 🚀", ""];
    for (const [i, ms] of [0, 100, 120, 123, 7].entries()) {
      await t.db.$transaction((tx) =>
        recordAudit(tx, {
          orgId: org.id,
          actor: { type: "USER", id: null, name: odd[i % odd.length] ?? "x" },
          action: AUDIT_ACTIONS.orgRenamed,
          target: { type: "org", id: org.id, name: odd[(i + 1) % odd.length] ?? "y" },
          changes: { name: { from: odd[(i + 2) % odd.length], to: i }, é: [1.5, null] },
          userAgent: odd[(i + 3) % odd.length] ?? null,
          occurredAt: new Date(base + i * 1000 + ms),
        }),
      );
    }
    const cursor = await verifyAuditChain(t.db, org.id, { batchSize: 2 });
    const prisma = await verifyAuditChain(t.db, org.id, { batchSize: 2, reader: "prisma" });
    expect(cursor).toMatchObject({ ok: true, events: 5 });
    expect(prisma).toEqual(cursor);
    const third = await t.db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, seq: 3n } });
    await tamper(
      t.db,
      `UPDATE "audit_events" SET "occurred_at" = "occurred_at" + interval '1 millisecond' WHERE "id" = $1`,
      third.id,
    );
    for (const reader of ["auto", "prisma"] as const) {
      expect(await verifyAuditChain(t.db, org.id, { batchSize: 2, reader })).toMatchObject({
        ok: false,
        seq: 3n,
        id: third.id,
      });
    }
  });

  it("a deleted row fails at its seq", async () => {
    const { org, ids } = await chainOf(5);
    await tamper(t.db, `DELETE FROM "audit_events" WHERE "id" = $1`, ids[1]);
    const check = await verifyAuditChain(t.db, org.id);
    expect(check).toMatchObject({ ok: false, seq: 2n, id: null, events: 1 });
    expect(check.ok ? "" : check.reason).toContain("event seq 2 is missing");
  });

  it("a deleted row with the seqs renumbered fails at the row after the hole", async () => {
    const { org, ids } = await chainOf(5);
    await tamper(t.db, `DELETE FROM "audit_events" WHERE "id" = $1`, ids[1]);
    // (two steps: seq is unique, so renumber through negative values)
    await tamper(
      t.db,
      [
        `UPDATE "audit_events" SET "seq" = 1 - "seq" WHERE "org_id" = $1 AND "seq" > 2`,
        `UPDATE "audit_events" SET "seq" = -"seq" WHERE "org_id" = $1 AND "seq" < 0`,
      ],
      org.id,
    );
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({
      ok: false,
      seq: 2n,
      id: ids[2],
    });
  });

  it("a reordered pair (seqs swapped) fails at the first of the pair", async () => {
    const { org, ids } = await chainOf(5);
    await tamper(
      t.db,
      [
        `UPDATE "audit_events" SET "seq" = -"seq" WHERE "org_id" = $1 AND "seq" IN (3, 4)`,
        `UPDATE "audit_events" SET "seq" = CASE "seq" WHEN -3 THEN 4 ELSE 3 END
         WHERE "org_id" = $1 AND "seq" IN (-3, -4)`,
      ],
      org.id,
    );
    const check = await verifyAuditChain(t.db, org.id);
    expect(check).toMatchObject({ ok: false, seq: 3n, id: ids[3], events: 2 });
    expect(check.ok ? "" : check.reason).toContain("prevHash does not match");
  });

  it("a truncated tail fails at the first missing seq (the org's counter knows)", async () => {
    const { org } = await chainOf(5);
    await tamper(t.db, `DELETE FROM "audit_events" WHERE "org_id" = $1 AND "seq" >= 4`, org.id);
    const check = await verifyAuditChain(t.db, org.id);
    expect(check).toMatchObject({ ok: false, seq: 4n, id: null, events: 3 });
    expect(check.ok ? "" : check.reason).toContain("truncated");
  });

  it("a truncated tail with the counter rewound too is caught by the hourly digest", async () => {
    const now = new Date();
    const org = await createOrg(t.db);
    await appendEvents(t.db, org.id, [hoursAgo(now, 3), hoursAgo(now, 2), hoursAgo(now, 2)]);
    await writeAuditDigests(t.db, { orgId: org.id, now });
    await tamper(t.db, `DELETE FROM "audit_events" WHERE "org_id" = $1 AND "seq" = 3`, org.id);
    await tamper(t.db, `UPDATE "orgs" SET "last_audit_seq" = 2 WHERE "id" = $1`, org.id);
    const check = await verifyAuditChain(t.db, org.id);
    expect(check).toMatchObject({ ok: false, seq: 3n, id: null });
    expect(check.ok ? "" : check.reason).toMatch(/digest of hour .* records seq 3/);
  });

  it("a deleted digest (a gap in the hours) fails", async () => {
    const now = new Date();
    const org = await createOrg(t.db);
    await appendEvents(t.db, org.id, [hoursAgo(now, 5)]);
    await writeAuditDigests(t.db, { orgId: org.id, now });
    await tamper(
      t.db,
      `DELETE FROM "audit_digests" WHERE "org_id" = $1 AND "hour_start" = $2`,
      org.id,
      floorHour(hoursAgo(now, 3)),
    );
    const check = await verifyAuditChain(t.db, org.id);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).toMatch(/does not chain|gap in the hourly digests/);
  });
});

describe("hourly digests", () => {
  it("writes one digest per hour up to the last full hour, empty hours included; idempotent", async () => {
    const now = new Date();
    const org = await createOrg(t.db);
    await t.db.org.update({ where: { id: org.id }, data: { createdAt: hoursAgo(now, 6) } });
    await appendEvents(t.db, org.id, [hoursAgo(now, 5), hoursAgo(now, 5), hoursAgo(now, 2)]);
    const first = await writeAuditDigests(t.db, { orgId: org.id, now });
    expect(first.written).toBe(6);
    expect((await writeAuditDigests(t.db, { orgId: org.id, now })).written).toBe(0);
    const digests = await t.db.auditDigest.findMany({
      where: { orgId: org.id },
      orderBy: { hourStart: "asc" },
    });
    expect(digests.map((d) => d.lastSeq)).toEqual([0n, 2n, 2n, 2n, 3n, 3n]);
    expect(digests[0]?.prevDigestHash).toBeNull();
    expect(digests[0]?.lastHash).toBeNull();
    for (let i = 1; i < digests.length; i++) {
      expect(Buffer.from(digests[i]?.prevDigestHash ?? []).toString("hex")).toBe(
        Buffer.from(digests[i - 1]?.hash ?? []).toString("hex"),
      );
      expect(digests[i]?.hourStart.getTime()).toBe(
        (digests[i - 1]?.hourStart.getTime() ?? 0) + HOUR_MS,
      );
    }
    expect(digests.at(-1)?.hourStart.getTime()).toBe(floorHour(now).getTime() - HOUR_MS);
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({ ok: true, events: 3, digests: 6 });
  });

  it("concurrent runs write each hour once", async () => {
    const now = new Date();
    const org = await createOrg(t.db);
    await t.db.org.update({ where: { id: org.id }, data: { createdAt: hoursAgo(now, 10) } });
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => writeAuditDigests(t.db, { orgId: org.id, now })),
    );
    expect(runs.reduce((sum, r) => sum + r.written, 0)).toBe(10);
    expect(await t.db.auditDigest.count({ where: { orgId: org.id } })).toBe(10);
  });
});

describe("retention", () => {
  it("purges whole expired days per the plan (90 days without one), records it, and the rest still verifies", async () => {
    const now = new Date();
    const day = 86_400_000;
    const [plan] = await ensurePlans(t.db);
    if (!plan) throw new Error("no plan");
    await t.db.plan.update({ where: { id: plan.id }, data: { auditRetentionDays: 30 } });
    const planned = await createOrg(t.db);
    await t.db.subscription.create({
      data: {
        orgId: planned.id,
        planId: plan.id,
        currentPeriodStart: now,
        currentPeriodEnd: new Date(now.getTime() + 30 * day),
      },
    });
    const unplanned = await createOrg(t.db);
    for (const org of [planned, unplanned]) {
      await t.db.org.update({
        where: { id: org.id },
        data: { createdAt: new Date(now.getTime() - 120 * day) },
      });
      await appendEvents(t.db, org.id, [
        new Date(now.getTime() - 100 * day),
        new Date(now.getTime() - 40 * day),
        new Date(now.getTime() - 10 * day),
      ]);
    }
    const results = await purgeExpiredAuditEvents(t.db, { now });
    const byOrg = new Map(results.map((r) => [r.orgId, r]));
    expect(byOrg.get(planned.id)).toMatchObject({ retentionDays: 30, deleted: 2 });
    expect(byOrg.get(unplanned.id)).toMatchObject({ retentionDays: 90, deleted: 1 });
    expect(byOrg.get(planned.id)?.purgedBefore).toEqual(retentionCutoff(now, 30));

    const left = await t.db.auditEvent.findMany({
      where: { orgId: planned.id },
      orderBy: { seq: "asc" },
    });
    expect(left.map((e) => [e.seq, e.action])).toEqual([
      [3n, "token.created"],
      [4n, "audit.retention_purged"],
    ]);
    expect(left[1]?.actorType).toBe("SYSTEM");
    expect(left[1]?.changes).toMatchObject({ deleted: 2, firstSeq: "1", throughSeq: "2" });
    // what remains verifies, anchored on what the job recorded
    expect(await verifyAuditChain(t.db, planned.id)).toMatchObject({
      ok: true,
      events: 2,
      firstSeq: 3n,
    });
    expect(await verifyAuditChain(t.db, unplanned.id)).toMatchObject({ ok: true, firstSeq: 2n });
    // idempotent: nothing more has expired
    expect(await purgeExpiredAuditEvents(t.db, { now })).toEqual([]);

    // deleting the oldest remaining event is still caught (the anchor is seq 2, not 3)
    await tamper(t.db, `DELETE FROM "audit_events" WHERE "id" = $1`, left[0]?.id);
    expect(await verifyAuditChain(t.db, planned.id)).toMatchObject({ ok: false, seq: 1n });
    expect(retentionCutoff(new Date("2031-06-15T10:00:00.000Z"), 30).toISOString()).toBe(
      "2031-05-17T00:00:00.000Z",
    );
  });
});

describe("listAuditEvents", () => {
  it("filters, pages newest first with a keyset cursor, and never crosses orgs", async () => {
    const a = await createOrg(t.db);
    const b = await createOrg(t.db);
    const user = await createUser(t.db);
    const base = Date.now() - 1_000_000;
    await appendEvents(
      t.db,
      a.id,
      Array.from({ length: 7 }, (_, i) => new Date(base + i * 1000)),
    );
    await appendEvents(t.db, b.id, [new Date(base)]);
    void user;
    const seen: bigint[] = [];
    let cursor = null;
    for (let page = 0; page < 5; page++) {
      const result = await listAuditEvents(t.db, a.id, {}, { limit: 3, cursor });
      seen.push(...result.events.map((e) => e.seq));
      if (!result.nextCursor) break;
      const last = result.events.at(-1);
      cursor = last ? { occurredAt: last.occurredAt, id: last.id } : null;
    }
    expect(seen).toEqual([7n, 6n, 5n, 4n, 3n, 2n, 1n]);
    const one = await listAuditEvents(t.db, a.id, { target: "tok_3" });
    expect(one.events.map((e) => e.seq)).toEqual([4n]);
    const text = await listAuditEvents(t.db, a.id, { q: "TOKEN 5" });
    expect(text.events.map((e) => e.seq)).toEqual([6n]);
    const none = await listAuditEvents(t.db, b.id, { target: "tok_3" });
    expect(none.events).toEqual([]);
  });
});
