import { describe, expect, it } from "vitest";
import { buildFilterWhere, filtersQuery, parseBuildFilters } from "./build-filters";

const parse = (q: string) => parseBuildFilters(new URLSearchParams(q));

describe("parseBuildFilters", () => {
  it("accepts the filters, case-insensitive status, empty values as unset", () => {
    expect(
      parse(
        "status=failed&platform=linux/arm64&from=2025-03-01&to=2025-03-07&tag=acme/api:main&page=2",
      ),
    ).toEqual({
      ok: true,
      filters: {
        status: "FAILED",
        platform: "linux/arm64",
        from: "2025-03-01",
        to: "2025-03-07",
        tag: "acme/api:main",
      },
    });
    expect(parse("status=&tag=")).toEqual({ ok: true, filters: {} });
  });

  it("names each bad value", () => {
    const r = parse("status=exploded&platform=amd64&from=2025-13-45");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/status must be one of/);
    expect(r.message).toMatch(/platform must be a platform like linux\/amd64/);
    expect(r.message).toMatch(/from is not a real date/);
    const order = parse("from=2025-03-08&to=2025-03-07");
    expect(order).toEqual({ ok: false, message: "from must not be after “to”" });
  });

  it("maps to a where clause with an inclusive `to` day", () => {
    expect(buildFilterWhere({ status: "RUNNING", tag: "x", to: "2025-03-07" })).toEqual({
      status: "RUNNING",
      tags: { has: "x" },
      createdAt: { lt: new Date("2025-03-08T00:00:00Z") },
    });
  });

  it("round-trips to a query string", () => {
    expect(filtersQuery({ status: "FAILED", platform: "linux/amd64" }, 3)).toBe(
      "?status=failed&platform=linux%2Famd64&page=3",
    );
    expect(filtersQuery({})).toBe("?");
  });
});
