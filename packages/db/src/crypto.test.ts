import { describe, expect, it } from "vitest";
import { generateApiToken, hashPassword, hashToken, verifyPassword } from "./crypto.ts";
import { loadDbEnv } from "./env.ts";

describe("hashToken", () => {
  it("is the hex SHA-256 of the secret", () => {
    expect(hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("generateApiToken", () => {
  it("returns a prefixed token, its display prefix and its hash", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).toMatch(/^slw_[a-z2-7]{32}$/);
    expect(a.token.startsWith(a.prefix)).toBe(true);
    expect(a.prefix).toHaveLength(10);
    expect(a.secretHash).toBe(hashToken(a.token));
    expect(a.token).not.toBe(b.token);
  });
});

describe("passwords", () => {
  it("hashes with argon2id at the OWASP baseline and verifies", async () => {
    const h = await hashPassword("correct horse");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "correct horse")).toBe(true);
    expect(await verifyPassword(h, "wrong")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("loadDbEnv", () => {
  it("defaults to the local database", () => {
    expect(loadDbEnv({}).DATABASE_URL).toBe("postgresql://slipway:slipway@127.0.0.1:15432/slipway");
    expect(loadDbEnv({ DATABASE_URL: "" }).DATABASE_URL).toContain("127.0.0.1:15432");
  });

  it("accepts postgres URLs and rejects others", () => {
    expect(loadDbEnv({ DATABASE_URL: "postgres://u:p@db:5432/x" }).DATABASE_URL).toBe(
      "postgres://u:p@db:5432/x",
    );
    expect(() => loadDbEnv({ DATABASE_URL: "mysql://u@h/x" })).toThrow(/DATABASE_URL/);
    expect(() => loadDbEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });
});
