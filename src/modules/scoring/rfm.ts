/**
 * RFM scoring (pure). Every method ends in cut points of one form, so quintile and
 * threshold scoring share the scoring functions and incremental re-scoring can reuse the
 * cut points of the last full recompute:
 *
 *   R = 1 + #{ t in recencyDays : days ≤ t }     (recencyDays ascending)
 *   F = 1 + #{ t in frequency   : orders ≥ t }   (ascending)
 *   M = 1 + #{ t in monetaryFen : amount ≥ t }   (ascending)
 *
 * Quintiles: values of the customers with orders are sorted (ascending, for R by the day of
 * the last order) and split the way NTILE(5) splits n rows (the first n mod 5 buckets one row
 * larger). q_k is the value at the end of bucket k, and a customer scores 1 + #{k : value > q_k}.
 * Equal values therefore always get the same score, the lowest bucket their value reaches:
 * no tie is broken by id or by order of arrival.
 */
import { RFM_CLASSES, type CutPoints, type RfmClass } from './scoring.schemas.ts';

export type Score = 1 | 2 | 3 | 4 | 5;

/** 0-based position of the last row of NTILE(5) bucket k (1..4) among n rows. */
export function bucketEnd(n: number, k: number): number {
  const base = Math.floor(n / 5);
  return k * base + Math.min(k, n % 5) - 1;
}

/** q_1..q_4 of values sorted ascending (n ≥ 1). */
export function quintileBounds(sorted: ArrayLike<number>): number[] {
  const n = sorted.length;
  return [1, 2, 3, 4].map((k) => sorted[Math.max(0, bucketEnd(n, k))]!);
}

/** 0-based positions of q_1..q_4 among n sorted values (n ≥ 1). */
export function quintilePositions(n: number): number[] {
  return [1, 2, 3, 4].map((k) => Math.max(0, bucketEnd(n, k)));
}

/** Values (or value buckets) ascending with how many customers fall in each. */
export interface Distribution {
  values: number[];
  counts: number[];
}

export function totalOf(d: Distribution): number {
  return d.counts.reduce((a, b) => a + b, 0);
}

/** Which entry of a distribution holds the value at 0-based `position` of the expanded values, and where in it. */
export function locate(d: Distribution, position: number): { index: number; offset: number } {
  let before = 0;
  for (let i = 0; i < d.counts.length; i++) {
    if (before + d.counts[i]! > position) return { index: i, offset: position - before };
    before += d.counts[i]!;
  }
  return { index: d.counts.length - 1, offset: Math.max(0, d.counts.at(-1)! - 1) };
}

/** q_1..q_4 of a distribution of exact values (n ≥ 1): the same as quintileBounds of the expanded values. */
export function quintileBoundsOfCounts(d: Distribution): number[] {
  return quintilePositions(totalOf(d)).map((p) => d.values[locate(d, p).index]!);
}

/** Threshold-form cut points (as quintileCutPoints) from q_1..q_4 of the last order days, frequencies and monetary values. */
export function cutPointsOfBounds(r: number[], f: number[], m: number[], today: number): CutPoints {
  return {
    // day > q_k  ⇔  days since = today − day ≤ today − q_k − 1
    recencyDays: r.map((q) => today - q - 1).reverse(),
    // value > q_k  ⇔  value ≥ q_k + 1 (integers)
    frequency: f.map((q) => q + 1),
    monetaryFen: m.map((q) => q + 1),
  };
}

/**
 * Threshold-form cut points from the data of the customers with orders: the local day of
 * each one's last order, orders and amount in the window. The arrays are sorted in place.
 */
export function quintileCutPoints(lastOrderDays: Float64Array, frequencies: Float64Array, monetary: Float64Array, today: number): CutPoints | null {
  if (!lastOrderDays.length) return null;
  return cutPointsOfBounds(quintileBounds(lastOrderDays.sort()), quintileBounds(frequencies.sort()), quintileBounds(monetary.sort()), today);
}

export function scoreRecency(days: number, recencyDays: readonly number[]): Score {
  let s = 1;
  for (const t of recencyDays) if (days <= t) s++;
  return s as Score;
}

export function scoreAtLeast(value: number, cuts: readonly number[]): Score {
  let s = 1;
  for (const t of cuts) if (value >= t) s++;
  return s as Score;
}

/**
 * The 8 classes: M decides 重要 (important) or 一般 (general); R high gives 价值 / 发展 and R low
 * 保持 / 挽留; F high gives 价值 / 保持 and F low 发展 / 挽留.
 */
export function rfmClassOf(r: number, f: number, m: number, highFrom: { r: number; f: number; m: number }): RfmClass {
  const index = (m >= highFrom.m ? 0 : 4) + (r >= highFrom.r ? 0 : 2) + (f >= highFrom.f ? 0 : 1);
  return RFM_CLASSES[index]!;
}

/** Whether each dimension is high in a class (for the matrix). */
export function classDimensions(key: RfmClass): { r: 'high' | 'low'; f: 'high' | 'low'; m: 'high' | 'low' } {
  const i = RFM_CLASSES.indexOf(key);
  return { m: i & 4 ? 'low' : 'high', r: i & 2 ? 'low' : 'high', f: i & 1 ? 'low' : 'high' };
}
