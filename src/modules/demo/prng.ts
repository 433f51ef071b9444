/**
 * A small seeded pseudo-random generator. The demo brand must be identical for the same seed on
 * every machine and Node version, so it never uses Math.random: mulberry32 for sequences,
 * a splitmix-style mixer to derive an independent stream per (seed, person, purpose). A person's
 * data depends only on the seed and its index, so any range of persons can be generated alone.
 */

/** Mixes a 32-bit integer into a well-distributed 32-bit unsigned integer (splitmix32 finaliser). */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds several integers into one 32-bit seed. */
export function hashInts(...parts: number[]): number {
  let h = 0x2545f491;
  for (const p of parts) h = mix32(h ^ mix32(p | 0) ^ Math.floor(p / 0x100000000));
  return h;
}

/** FNV-1a over a string, for turning a text seed or a purpose name into an integer. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; entries are [value, weight]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Approximately normal (sum of uniforms), mean 0, sd 1. */
  normal(): number;
}

/** mulberry32: 32-bit state, period 2^32, fast and good enough for synthetic data. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (entries) => {
      let total = 0;
      for (let i = 0; i < entries.length; i++) total += entries[i]![1];
      let r = next() * total;
      for (let i = 0; i < entries.length; i++) {
        r -= entries[i]![1];
        if (r < 0) return entries[i]![0];
      }
      return entries[entries.length - 1]![0];
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    normal: () => {
      let s = 0;
      for (let i = 0; i < 6; i++) s += next();
      return (s - 3) * Math.SQRT2;
    },
  };
}

/** A stream for one purpose of one person: independent of every other stream. */
export function streamFor(seed: number, index: number, purpose: string): Rng {
  return createRng(hashInts(seed, index, hashText(purpose)));
}
