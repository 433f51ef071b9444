/**
 * A/B split: a customer's variant is a pure function of the journey id and the customer id,
 * so a retry, a crash or a second worker always picks the same variant, and editing the
 * journey keeps customers in their variant.
 */
import { createHash } from 'node:crypto';

/** A point in [0, 1) from a hash of the journey id and the customer id. */
export function splitPoint(journeyId: string, subject: string | number): number {
  const digest = createHash('sha256').update(`${journeyId}:${subject}`).digest();
  // 48 bits keep full double precision.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The variant whose cumulative weight band contains the customer's point (weights need not sum to 100). */
export function chooseVariant<V extends { key: string; weight: number }>(variants: readonly V[], journeyId: string, subject: string | number): V {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  const point = splitPoint(journeyId, subject) * total;
  let acc = 0;
  for (const v of variants) {
    acc += v.weight;
    if (point < acc) return v;
  }
  // Only reachable when every weight is 0: fall back to the first (validation forbids it).
  return variants.find((v) => v.weight > 0) ?? variants[0]!;
}
