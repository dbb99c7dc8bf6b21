import { describe, expect, it } from "vitest";
import { createRng, hashSeed, rngId } from "./prng.ts";

describe("createRng", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = createRng("slipway");
    const b = createRng("slipway");
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it("differs between seeds and stays in [0, 1)", () => {
    const a = Array.from({ length: 20 }, createRng(1).next);
    const b = Array.from({ length: 20 }, createRng(2).next);
    expect(a).not.toEqual(b);
    for (const x of [...a, ...b]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it("int covers both bounds and nothing outside", () => {
    const rng = createRng("ints");
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it("weighted respects weights roughly and never picks zero weight", () => {
    const rng = createRng("weights");
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 10_000; i++) {
      counts[
        rng.weighted([
          ["a", 9],
          ["b", 1],
          ["never", 0],
        ] as const)
      ]++;
    }
    expect(counts.never).toBe(0);
    expect(counts.a / 10_000).toBeGreaterThan(0.85);
    expect(counts.a / 10_000).toBeLessThan(0.95);
  });

  it("forks are deterministic and independent of the parent's position", () => {
    const parent = createRng("p");
    const early = parent.fork("x").next();
    parent.next();
    parent.next();
    expect(parent.fork("x").next()).toBe(early);
    expect(parent.fork("y").next()).not.toBe(early);
  });

  it("hex and rngId have the expected shapes", () => {
    const rng = createRng("ids");
    expect(rng.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(rngId(rng)).toMatch(/^c[0-9a-z]{24}$/);
    expect(rngId(createRng(5))).toBe(rngId(createRng(5)));
  });

  it("hashSeed is stable", () => {
    expect(hashSeed("")).toBe(0x811c9dc5);
    expect(hashSeed("a")).toBe(hashSeed("a"));
    expect(hashSeed("a")).not.toBe(hashSeed("b"));
  });
});
