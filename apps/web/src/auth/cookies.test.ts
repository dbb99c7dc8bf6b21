import { describe, expect, it } from "vitest";
import {
  clearedSessionCookie,
  readSessionToken,
  SESSION_COOKIE_NAME,
  sessionCookie,
} from "./cookies";

describe("session cookie", () => {
  it("is a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain", () => {
    expect(SESSION_COOKIE_NAME).toBe("__Host-slipway_session");
    const cookie = sessionCookie("abc.def", new Date("2030-01-02T03:04:05Z"));
    const parts = cookie.split("; ");
    expect(parts[0]).toBe("__Host-slipway_session=abc.def");
    expect(parts).toEqual(
      expect.arrayContaining([
        "Path=/",
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Expires=Wed, 02 Jan 2030 03:04:05 GMT",
      ]),
    );
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("is cleared with Max-Age=0 and the same attributes", () => {
    expect(clearedSessionCookie()).toBe(
      "__Host-slipway_session=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0",
    );
  });

  it("is read from a Cookie header among others", () => {
    expect(readSessionToken("a=1; __Host-slipway_session=id.secret; b=2")).toBe("id.secret");
    expect(readSessionToken("slipway_session=x")).toBeNull();
    expect(readSessionToken(null)).toBeNull();
    expect(readSessionToken("__Host-slipway_session=")).toBeNull();
  });
});
