import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bucketEnd, classDimensions, quintileBounds, quintileCutPoints, rfmClassOf, scoreAtLeast, scoreRecency } from './rfm.ts';
import { RFM_CLASSES } from './scoring.schemas.ts';
import { RFM_STRATEGIES } from './strategies.ts';

/** NTILE(5) over rows sorted ascending: the bucket of the row at 0-based position i of n. */
function ntile(n: number, i: number): number {
  const base = Math.floor(n / 5);
  const extra = n % 5;
  let end = 0;
  for (let k = 1; k <= 5; k++) {
    end += base + (k <= extra ? 1 : 0);
    if (i < end) return k;
  }
  throw new Error('out of range');
}

describe('RFM scoring rules', () => {
  it('scores recency by "within N days" cut points: day 30 scores 5, day 31 scores 4', () => {
    const cuts = [30, 60, 90, 180];
    assert.deepEqual([0, 30, 31, 60, 61, 90, 91, 180, 181, 5000].map((d) => scoreRecency(d, cuts)), [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('scores frequency and monetary by "from" cut points, boundaries inclusive', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 7, 8, 100].map((f) => scoreAtLeast(f, [2, 3, 5, 8])), [1, 1, 2, 3, 3, 4, 4, 5, 5]);
    assert.deepEqual([29_999, 30_000].map((m) => scoreAtLeast(m, [10_000, 30_000, 100_000, 300_000])), [2, 3]);
  });

  it('places the NTILE bucket ends like NTILE(5), the first n mod 5 buckets one row larger', () => {
    assert.deepEqual([1, 2, 3, 4].map((k) => bucketEnd(10, k)), [1, 3, 5, 7]);
    assert.deepEqual([1, 2, 3, 4].map((k) => bucketEnd(12, k)), [2, 5, 7, 9]);
    assert.deepEqual([1, 2, 3, 4].map((k) => bucketEnd(3, k)), [0, 1, 2, 2]);
  });

  it('equals NTILE(5) for distinct values, and gives equal values the same score (the lowest bucket they reach)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 80 }), (values) => {
        const sorted = Float64Array.from(values).sort();
        const [q1, q2, q3, q4] = quintileBounds(sorted);
        const cuts = [q1!, q2!, q3!, q4!].map((q) => q + 1);
        const distinct = new Set(values).size === values.length;
        sorted.forEach((v, i) => {
          const s = scoreAtLeast(v, cuts);
          if (distinct) assert.equal(s, ntile(values.length, i));
          else assert.ok(s <= ntile(values.length, sorted.lastIndexOf(v)) && s >= 1);
        });
        for (const v of values) assert.equal(scoreAtLeast(v, cuts), scoreAtLeast(v, cuts));
        const byValue = new Map<number, number>();
        for (const v of values) {
          const s = scoreAtLeast(v, cuts);
          assert.equal(byValue.get(v) ?? s, s, 'equal values, equal scores');
          byValue.set(v, s);
        }
      }),
    );
  });

  it('turns quintiles into threshold cut points: recency by the day of the last order, most recent scores 5', () => {
    const today = 20_000;
    // Ten customers, last orders 0..9 days ago; two orders each except one; amounts 100..1000.
    const days = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => today - d));
    const cuts = quintileCutPoints(days, Float64Array.from([2, 2, 2, 2, 2, 2, 2, 2, 2, 1]), Float64Array.from([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]), today)!;
    assert.deepEqual(cuts.recencyDays, [1, 3, 5, 7]);
    assert.deepEqual([0, 1, 2, 3, 8, 9].map((d) => scoreRecency(d, cuts.recencyDays)), [5, 5, 4, 4, 1, 1]);
    // Nine customers share F = 2 and their group reaches into bucket 1: all score 1, like the one with F = 1.
    assert.deepEqual(cuts.frequency, [3, 3, 3, 3]);
    assert.deepEqual([1, 2, 3].map((f) => scoreAtLeast(f, cuts.frequency)), [1, 1, 5]);
    assert.deepEqual(cuts.monetaryFen, [201, 401, 601, 801]);
    assert.equal(quintileCutPoints(new Float64Array(), new Float64Array(), new Float64Array(), today), null);
  });

  it('maps high/low R, F, M to the 8 classes, with a configurable split', () => {
    const high = { r: 3, f: 3, m: 3 };
    assert.equal(rfmClassOf(5, 5, 5, high), 'important_value');
    assert.equal(rfmClassOf(3, 2, 4, high), 'important_develop');
    assert.equal(rfmClassOf(2, 3, 3, high), 'important_keep');
    assert.equal(rfmClassOf(1, 1, 5, high), 'important_retain');
    assert.equal(rfmClassOf(4, 4, 2, high), 'general_value');
    assert.equal(rfmClassOf(5, 1, 1, high), 'general_develop');
    assert.equal(rfmClassOf(2, 5, 2, high), 'general_keep');
    assert.equal(rfmClassOf(1, 1, 1, high), 'general_retain');
    assert.equal(rfmClassOf(3, 3, 3, { r: 4, f: 3, m: 3 }), 'important_keep');
    for (const key of RFM_CLASSES) {
      const d = classDimensions(key);
      const score = (x: 'high' | 'low') => (x === 'high' ? 5 : 1);
      assert.equal(rfmClassOf(score(d.r), score(d.f), score(d.m), high), key);
      assert.ok(RFM_STRATEGIES[key].zh.length > 5 && RFM_STRATEGIES[key].en.length > 5);
    }
  });
});
