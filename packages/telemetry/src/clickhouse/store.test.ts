import { describe, expect, it } from "vitest";
import { splitStatements } from "./migrate.ts";
import { redactUrl } from "./server.ts";
import { assertIdentifier, normalizeParams, toClickHouseDateTime } from "./store.ts";

describe("query parameters", () => {
  it("turns Dates into millisecond UTC strings, also inside arrays", () => {
    const d = new Date("2025-01-31T12:00:00.123Z");
    expect(normalizeParams({ d, list: [d, null], s: "x", n: 1, b: true })).toEqual({
      d: "2025-01-31 12:00:00.123",
      list: ["2025-01-31 12:00:00.123", null],
      s: "x",
      n: 1,
      b: true,
    });
  });

  it("refuses parameter names that are not identifiers", () => {
    expect(() => normalizeParams({ "a}": 1 })).toThrow(/query parameter name/);
    expect(() => normalizeParams({ "x:String} OR 1=1 --": 1 })).toThrow(/query parameter name/);
  });

  it("refuses values that are not scalars, arrays or Dates", () => {
    expect(() => normalizeParams({ n: Number.NaN })).toThrow(/finite/);
    // @ts-expect-error: objects are not parameters
    expect(() => normalizeParams({ o: { a: 1 } })).toThrow(/unsupported/);
  });

  it("accepts only plain identifiers as table names", () => {
    expect(assertIdentifier("builds_v1", "table name")).toBe("builds_v1");
    for (const bad of ["", "builds_v1; DROP TABLE x", "a.b", "`x`", "1abc"]) {
      expect(() => assertIdentifier(bad, "table name")).toThrow(/invalid table name/);
    }
  });

  it("formats DateTime64 values", () => {
    expect(toClickHouseDateTime("2025-01-31T13:00:00.5+01:00")).toBe("2025-01-31 12:00:00.500");
    expect(() => toClickHouseDateTime("nope")).toThrow(/invalid date/);
  });
});

describe("splitStatements", () => {
  it("splits on semicolons outside quotes and drops comments", () => {
    const sql = `-- a comment; with a semicolon
CREATE TABLE a (x String DEFAULT 'a;b') ENGINE = Memory;
/* block; comment */
CREATE TABLE b (y String COMMENT 'it\\'s; fine') ENGINE = Memory;
`;
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x String DEFAULT 'a;b') ENGINE = Memory",
      "CREATE TABLE b (y String COMMENT 'it\\'s; fine') ENGINE = Memory",
    ]);
  });
});

describe("redactUrl", () => {
  it("hides the password", () => {
    expect(redactUrl("http://default:secret@127.0.0.1:8123/slipway")).toBe(
      "http://default:***@127.0.0.1:8123/slipway",
    );
  });
});
