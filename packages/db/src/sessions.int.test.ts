import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Spy on the constant-time comparison to prove validation goes through it.
const compare = vi.hoisted(() => ({ calls: 0 }));
vi.mock("@oslojs/crypto/subtle", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@oslojs/crypto/subtle")>();
  return {
    ...actual,
    constantTimeEqual: (a: Uint8Array, b: Uint8Array) => {
      compare.calls++;
      return actual.constantTimeEqual(a, b);
    },
  };
});

import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  SESSION_BUMP_INTERVAL_MS,
  SESSION_INACTIVITY_MS,
  SESSION_LIFETIME_MS,
  validateSessionToken,
} from "./sessions.ts";
import { createTestDatabase, createUser, type TestDatabase } from "./testing.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

async function userAt(date = new Date(T0.getTime() - 1000)) {
  return createUser(t.db, { passwordChangedAt: date });
}

describe("sessions", () => {
  it("store only the SHA-256 of the secret and validate the token in constant time", async () => {
    const user = await userAt();
    const { session, token } = await createSession(t.db, user.id, {
      ip: "10.0.0.1",
      userAgent: "UA",
      now: T0,
    });
    const [id, secret] = token.split(".") as [string, string];
    expect(id).toBe(session.id);
    const row = await t.db.session.findUniqueOrThrow({ where: { id } });
    expect(Buffer.from(row.secretHash).toString("hex")).not.toContain(
      Buffer.from(secret).toString("hex"),
    );
    expect(row.secretHash).toHaveLength(32);
    expect(row.expiresAt).toEqual(at(SESSION_LIFETIME_MS));

    const before = compare.calls;
    const valid = await validateSessionToken(t.db, token, at(1000));
    expect(valid?.user.id).toBe(user.id);
    expect(compare.calls).toBe(before + 1);

    // The right id with a wrong secret is refused (and compared, not short-circuited).
    const wrong = `${id}.${"a".repeat(52)}`;
    expect(await validateSessionToken(t.db, wrong, at(1000))).toBeNull();
    expect(compare.calls).toBe(before + 2);
    expect(await validateSessionToken(t.db, "garbage", at(1000))).toBeNull();
  });

  it("bump lastVerifiedAt at most hourly", async () => {
    const user = await userAt();
    const { session, token } = await createSession(t.db, user.id, { now: T0 });
    await validateSessionToken(t.db, token, at(HOUR / 2));
    expect(
      (await t.db.session.findUniqueOrThrow({ where: { id: session.id } })).lastVerifiedAt,
    ).toEqual(T0);
    await validateSessionToken(t.db, token, at(SESSION_BUMP_INTERVAL_MS + 1));
    expect(
      (await t.db.session.findUniqueOrThrow({ where: { id: session.id } })).lastVerifiedAt,
    ).toEqual(at(SESSION_BUMP_INTERVAL_MS + 1));
  });

  it("end after inactivity (and the row is deleted)", async () => {
    const user = await userAt();
    const { session, token } = await createSession(t.db, user.id, { now: T0 });
    expect(await validateSessionToken(t.db, token, at(SESSION_INACTIVITY_MS - 1))).not.toBeNull();
    // That use was bumped (more than an hour later), so inactivity counts from it.
    const bumped = SESSION_INACTIVITY_MS - 1;
    expect(await validateSessionToken(t.db, token, at(bumped + SESSION_INACTIVITY_MS))).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: session.id } })).toBeNull();
  });

  it("end at the absolute lifetime however active", async () => {
    const user = await userAt();
    const { token } = await createSession(t.db, user.id, { now: T0 });
    for (let day = 1; day < 30; day++) {
      expect(
        await validateSessionToken(t.db, token, at(day * 24 * HOUR)),
        `day ${day}`,
      ).not.toBeNull();
    }
    expect(await validateSessionToken(t.db, token, at(SESSION_LIFETIME_MS))).toBeNull();
  });

  it("end on sign-out, and all of a user's end on a password change", async () => {
    const user = await userAt();
    const a = await createSession(t.db, user.id, { now: T0 });
    const b = await createSession(t.db, user.id, { now: T0 });
    const c = await createSession(t.db, user.id, { now: T0 });
    expect(await invalidateSession(t.db, a.session.id)).toBe(true);
    expect(await validateSessionToken(t.db, a.token, at(1))).toBeNull();

    // A password change makes older sessions invalid even before they are deleted.
    await t.db.user.update({ where: { id: user.id }, data: { passwordChangedAt: at(10) } });
    expect(await validateSessionToken(t.db, b.token, at(20))).toBeNull();
    const fresh = await createSession(t.db, user.id, { now: at(10) });
    expect(await validateSessionToken(t.db, fresh.token, at(20))).not.toBeNull();
    expect((await listUserSessions(t.db, user.id, at(20))).map((s) => s.id)).toEqual([
      fresh.session.id,
    ]);

    expect(await invalidateUserSessions(t.db, user.id, { exceptSessionId: fresh.session.id })).toBe(
      1,
    );
    expect(await t.db.session.findUnique({ where: { id: c.session.id } })).toBeNull();
    expect(await invalidateUserSessions(t.db, user.id)).toBe(1);
  });

  it("end when the user is deleted", async () => {
    const user = await userAt();
    const { token } = await createSession(t.db, user.id, { now: T0 });
    await t.db.user.delete({ where: { id: user.id } });
    expect(await validateSessionToken(t.db, token, at(1))).toBeNull();
  });
});
