import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "./audit/verify.ts";
import { AUDIT_ACTIONS, recordAudit } from "./audit.ts";
import { createOrg, createTestDatabase, type TestDatabase } from "./testing.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const actor = { type: "USER" as const, id: "u1", name: "Ada" };

describe("recordAudit", () => {
  it("chains events per org: seq 1, 2, 3 with prevHash = previous hash", async () => {
    const org = await createOrg(t.db);
    const other = await createOrg(t.db);
    for (let i = 0; i < 3; i++) {
      await t.db.$transaction((tx) =>
        recordAudit(tx, {
          orgId: org.id,
          actor,
          action: AUDIT_ACTIONS.orgRenamed,
          target: { type: "org", id: org.id, name: `n${i}` },
          changes: { name: { from: `n${i - 1}`, to: `n${i}` }, when: new Date(0).toISOString() },
          ip: "10.0.0.1",
          userAgent: "UA",
          requestId: `r${i}`,
        }),
      );
    }
    await t.db.$transaction((tx) =>
      recordAudit(tx, {
        orgId: other.id,
        actor,
        action: AUDIT_ACTIONS.orgCreated,
        target: { type: "org", id: other.id, name: "o" },
      }),
    );
    const events = await t.db.auditEvent.findMany({
      where: { orgId: org.id },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.seq)).toEqual([1n, 2n, 3n]);
    expect(events[0]?.prevHash).toBeNull();
    expect(Buffer.from(events[1]?.prevHash ?? []).equals(Buffer.from(events[0]?.hash ?? []))).toBe(
      true,
    );
    expect(await verifyAuditChain(t.db, org.id)).toEqual({
      ok: true,
      events: 3,
      digests: 0,
      firstSeq: 1n,
      lastSeq: 3n,
    });
    expect(await verifyAuditChain(t.db, other.id)).toEqual({
      ok: true,
      events: 1,
      digests: 0,
      firstSeq: 1n,
      lastSeq: 1n,
    });

    // Tampering with a stored field breaks the chain at that event. The append-only trigger
    // refuses the UPDATE, so the tamperer switches triggers off first (superuser only).
    await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.auditEvent.update({ where: { id: events[1]?.id }, data: { targetName: "forged" } });
    });
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({
      ok: false,
      seq: 2n,
      id: events[1]?.id,
    });
  });

  it("writes nothing when the transaction fails", async () => {
    const org = await createOrg(t.db);
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAudit(tx, {
          orgId: org.id,
          actor,
          action: AUDIT_ACTIONS.orgRenamed,
          target: { type: "org", id: org.id, name: "x" },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await t.db.auditEvent.count({ where: { orgId: org.id } })).toBe(0);
    expect((await t.db.org.findUniqueOrThrow({ where: { id: org.id } })).lastAuditSeq).toBe(0n);
  });

  it("serialises concurrent appends to one org", async () => {
    const org = await createOrg(t.db);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.db.$transaction((tx) =>
          recordAudit(tx, {
            orgId: org.id,
            actor,
            action: AUDIT_ACTIONS.tokenCreated,
            target: { type: "token", id: `t${i}`, name: `t${i}` },
          }),
        ),
      ),
    );
    expect(await verifyAuditChain(t.db, org.id)).toMatchObject({
      ok: true,
      events: 8,
      lastSeq: 8n,
    });
  });
});
