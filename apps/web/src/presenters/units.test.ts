import { describe, expect, it } from "vitest";
import { byteTicks, formatBytes } from "./units";

const GiB = 1024 ** 3;
const KiB = 1024;

describe("byteTicks", () => {
  it("steps by 1, 2 or 5 of one binary unit, up to at least the maximum", () => {
    expect(byteTicks(55 * GiB)).toEqual([0, 20, 40, 60].map((n) => n * GiB));
    expect(byteTicks(9 * GiB)).toEqual([0, 2, 4, 6, 8, 10].map((n) => n * GiB));
    expect(byteTicks(3.3 * KiB).map(formatBytes)).toEqual([
      "0 B",
      "1.00 KiB",
      "2.00 KiB",
      "3.00 KiB",
      "4.00 KiB",
    ]);
    expect(byteTicks(0)).toEqual([0, 1]);
  });
});
