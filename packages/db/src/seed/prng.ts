// A small seeded PRNG (mulberry32) so demo data and test fixtures are reproducible:
// the same seed always yields the same sequence.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Lower-case hex string of `length` characters. */
  hex(length: number): string;
  /** Log-normal multiplier with median 1: most values near 1, a long tail above. */
  jitter(sigma: number): number;
  /** An independent generator derived from this one's seed and `label`. */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a of a string, used to turn string seeds into integers. */
export function hashSeed(seed: string | number): number {
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: string | number): Rng {
  let state = hashSeed(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick(items) {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items.at(-1);
      if (!last) throw new Error("weighted pick from an empty list");
      return last[0];
    },
    hex(length) {
      let out = "";
      while (out.length < length) out += Math.floor(next() * 16).toString(16);
      return out;
    },
    jitter(sigma) {
      // Box-Muller; 1 - next() avoids log(0).
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return Math.exp(sigma * z);
    },
    fork: (label) => createRng(`${seed}/${label}`),
  };
  return rng;
}

/** A cuid-shaped id ("c" + 24 base-36 characters) drawn from `rng`, for reproducible rows. */
export function rngId(rng: Rng): string {
  let out = "c";
  for (let i = 0; i < 24; i++) out += Math.floor(rng.next() * 36).toString(36);
  return out;
}
