import { describe, expect, it } from "vitest";
import { parseCliEnv } from "./env.ts";
import { formatHealth } from "./health.ts";

describe("formatHealth", () => {
  it("prints one row per dependency with status, latency and the reason for a failure", () => {
    const text = formatHealth({
      status: "error",
      checks: {
        database: { status: "ok", latencyMs: 3 },
        redis: { status: "error", latencyMs: 2000, error: "connect ECONNREFUSED" },
      },
    });
    expect(text.split("\n")).toEqual([
      "overall      error",
      "database     ok           3 ms",
      "redis        error     2000 ms  connect ECONNREFUSED",
    ]);
  });
});

describe("parseCliEnv", () => {
  it("defaults to the local dashboard", () => {
    expect(parseCliEnv({}).SLIPWAY_URL).toBe("http://127.0.0.1:3000");
  });

  it("names the bad variable", () => {
    expect(() => parseCliEnv({ SLIPWAY_URL: "not a url" })).toThrow(/SLIPWAY_URL/);
  });
});
