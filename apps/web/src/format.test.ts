import { describe, expect, it } from "vitest";
import {
  formatDay,
  formatDuration,
  formatPercent,
  formatRelative,
  formatTimestamp,
  pluralize,
} from "./format";
import { isSlug, parsePageParam } from "./presenters/params";

describe("formatDuration", () => {
  it.each([
    [null, "—"],
    [-1, "—"],
    [950, "950ms"],
    [1_000, "1s"],
    [59_400, "59s"],
    [60_000, "1m"],
    [61_000, "1m 1s"],
    [754_000, "12m 34s"],
    [3_720_000, "1h 2m"],
  ])("%s → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatPercent", () => {
  it("rounds to whole percent and shows a dash without a value", () => {
    expect(formatPercent(0.876)).toBe("88%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("formatRelative", () => {
  const now = "2025-03-31T12:00:00.000Z";
  it.each([
    ["2025-03-31T11:59:30.000Z", "just now"],
    ["2025-03-31T11:55:00.000Z", "5m ago"],
    ["2025-03-31T09:00:00.000Z", "3h ago"],
    ["2025-03-29T12:00:00.000Z", "2d ago"],
    ["2025-01-02T12:00:00.000Z", "Jan 2"],
    ["nonsense", "—"],
  ])("%s → %s", (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });
});

describe("formatTimestamp and formatDay", () => {
  it("formats in UTC regardless of the machine's time zone", () => {
    expect(formatTimestamp("2025-03-07T14:05:09.123Z")).toBe("2025-03-07 14:05 UTC");
    expect(formatTimestamp("bad")).toBe("—");
    expect(formatDay("2025-03-07")).toBe("Mar 7");
    expect(formatDay("2025-12-31")).toBe("Dec 31");
  });

  it("pluralizes", () => {
    expect(pluralize(1, "build")).toBe("1 build");
    expect(pluralize(1200, "build")).toBe("1,200 builds");
  });
});

describe("URL parameters", () => {
  it("accepts slugs of lower-case letters, digits and dashes", () => {
    expect(isSlug("acme")).toBe(true);
    expect(isSlug("acme-robotics-2")).toBe(true);
    expect(isSlug("Acme")).toBe(false);
    expect(isSlug("-acme")).toBe(false);
    expect(isSlug("a".repeat(64))).toBe(false);
    expect(isSlug("acme'; drop table orgs;--")).toBe(false);
    expect(isSlug(undefined)).toBe(false);
  });

  it.each([
    [null, { ok: true, page: 1 }],
    ["", { ok: true, page: 1 }],
    ["3", { ok: true, page: 3 }],
  ])("page %s is accepted", (value, result) => {
    expect(parsePageParam(value)).toEqual(result);
  });

  it.each(["0", "-1", "1.5", "abc", "1e3", "9999999", " 2"])("page %s is rejected", (value) => {
    expect(parsePageParam(value).ok).toBe(false);
  });
});
