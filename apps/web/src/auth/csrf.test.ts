import { describe, expect, it } from "vitest";
import { checkCsrf } from "./csrf";

const req = (method: string, headers: Record<string, string>) =>
  new Request("http://127.0.0.1:3000/orgs/acme/tokens", { method, headers });

describe("checkCsrf", () => {
  it("lets safe methods through", () => {
    expect(checkCsrf(req("GET", { "sec-fetch-site": "cross-site" })).ok).toBe(true);
    expect(checkCsrf(req("HEAD", {})).ok).toBe(true);
  });

  it("accepts same-origin and refuses other Sec-Fetch-Site values", () => {
    expect(checkCsrf(req("POST", { "sec-fetch-site": "same-origin" })).ok).toBe(true);
    for (const site of ["cross-site", "same-site", "none"]) {
      const result = checkCsrf(
        req("POST", { "sec-fetch-site": site, origin: "http://127.0.0.1:3000" }),
      );
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/another site/);
    }
  });

  it("falls back to comparing Origin with Host", () => {
    expect(
      checkCsrf(req("POST", { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" })).ok,
    ).toBe(true);
    expect(
      checkCsrf(req("DELETE", { origin: "https://evil.example", host: "127.0.0.1:3000" })).ok,
    ).toBe(false);
    expect(checkCsrf(req("POST", { origin: "null" })).ok).toBe(false);
    expect(checkCsrf(req("POST", {})).ok).toBe(false);
    expect(checkCsrf(req("PUT", { origin: "not a url" })).ok).toBe(false);
  });
});
