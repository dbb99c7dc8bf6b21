import { describe, expect, it } from "vitest";
import { API_TOKEN_PREFIX, generateApiToken } from "./crypto.ts";
import { generateInviteToken, INVITE_TOKEN_PREFIX } from "./invites.ts";
import {
  generateSessionId,
  generateSessionSecret,
  hashSessionSecret,
  parseSessionToken,
  SESSION_INACTIVITY_MS,
  SESSION_LIFETIME_MS,
  sessionExpiry,
} from "./sessions.ts";

describe("session tokens", () => {
  it("are <24 base32 id>.<52 base32 secret> (256-bit secret)", () => {
    const id = generateSessionId();
    const secret = generateSessionSecret();
    expect(id).toMatch(/^[a-z2-7]{24}$/);
    expect(secret).toMatch(/^[a-z2-7]{52}$/);
    expect(parseSessionToken(`${id}.${secret}`)).toEqual({ id, secret });
    expect(generateSessionSecret()).not.toBe(secret);
    expect(hashSessionSecret(secret)).toHaveLength(32);
  });

  it("refuses anything else", () => {
    const id = generateSessionId();
    for (const bad of [
      "",
      "x",
      `${id}`,
      `${id}.`,
      `${id}.short`,
      `${id.toUpperCase()}.${generateSessionSecret()}`,
      `a.b.c`,
    ]) {
      expect(parseSessionToken(bad), bad).toBeNull();
    }
  });

  it("expire by inactivity, absolute lifetime and password change", () => {
    const created = new Date("2030-01-01T00:00:00Z");
    const session = {
      createdAt: created,
      lastVerifiedAt: created,
      expiresAt: new Date(created.getTime() + SESSION_LIFETIME_MS),
    };
    const user = { passwordChangedAt: new Date(created.getTime() - 1000) };
    const at = (ms: number) => new Date(created.getTime() + ms);
    expect(sessionExpiry(session, user, at(1000))).toBeNull();
    expect(sessionExpiry(session, user, at(SESSION_INACTIVITY_MS))).toBe("inactive");
    const active = { ...session, lastVerifiedAt: at(SESSION_LIFETIME_MS - 1000) };
    expect(sessionExpiry(active, user, at(SESSION_LIFETIME_MS - 500))).toBeNull();
    expect(sessionExpiry(active, user, at(SESSION_LIFETIME_MS))).toBe("absolute");
    expect(sessionExpiry(session, { passwordChangedAt: at(1) }, at(2))).toBe("password-changed");
  });
});

describe("API and invite tokens", () => {
  it("have a prefix, 160 random bits and a hex SHA-256", () => {
    const api = generateApiToken();
    expect(api.token).toMatch(new RegExp(`^${API_TOKEN_PREFIX}[a-z2-7]{32}$`));
    expect(api.prefix).toBe(api.token.slice(0, 10));
    expect(api.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const invite = generateInviteToken();
    expect(invite.token).toMatch(new RegExp(`^${INVITE_TOKEN_PREFIX}[a-z2-7]{32}$`));
    expect(invite.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
