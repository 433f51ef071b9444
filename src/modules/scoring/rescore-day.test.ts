/**
 * The pure parts of a recompute by changes: the re-score day (the first day a stage or the
 * tier changes with time alone), quintiles from a distribution (equal to sorting every value), and the value
 * ranges between two sets of cut points (every customer whose R, F or M differs is inside).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cutRanges } from './changes.ts';
import { locate, quintileBounds, quintileBoundsOfCounts, quintilePositions, scoreAtLeast, scoreRecency } from './rfm.ts';
import { rescoreOnDay, scoreCustomer, type CustomerFacts } from './score.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import type { CutPoints, ScoringSettings } from './scoring.schemas.ts';

const TODAY = 20_000;
const day = fc.integer({ min: TODAY - 800, max: TODAY + 5 });

const factsArb: fc.Arbitrary<CustomerFacts> = fc
  .record({
    joinedDay: fc.option(day),
    activity: day,
    firstOrderDay: day,
    lastOrderGap: fc.integer({ min: 0, max: 400 }),
    ordersAll: fc.integer({ min: 0, max: 9 }),
    amount: fc.integer({ min: 0, max: 2_000_000 }),
    interactions: fc.integer({ min: 0, max: 20 }),
  })
  .map((r) => ({
    joinedDay: r.joinedDay,
    lastActivityDay: r.activity,
    firstOrderDay: r.ordersAll > 0 ? r.firstOrderDay : null,
    lastOrderDay: r.ordersAll > 0 ? r.firstOrderDay + r.lastOrderGap : null,
    ordersAll: r.ordersAll,
    amountAllFen: r.amount,
    ordersWindow: r.ordersAll,
    amountWindowFen: r.amount,
    amountTierFen: r.amount,
    interactions: r.interactions,
  }));

const settingsArb: fc.Arbitrary<ScoringSettings> = fc
  .record({
    silent: fc.integer({ min: 0, max: 60 }),
    growth: fc.integer({ min: 1, max: 60 }),
    active: fc.integer({ min: 1, max: 120 }),
    activeOrder: fc.integer({ min: 0, max: 120 }),
    silentAfter: fc.integer({ min: 0, max: 90 }),
    churnedAfter: fc.integer({ min: 1, max: 200 }),
    period: fc.constantFrom('d30' as const, 'd90' as const, 'd180' as const, 'd365' as const),
    primary: fc.constantFrom('days' as const, 'stage' as const, 'business' as const),
  })
  .map((r) => ({
    ...DEFAULT_SETTINGS,
    lifecycle: {
      ...DEFAULT_SETTINGS.lifecycle,
      primary: r.primary,
      days: { silentMaxDays: r.silent, growthMaxDays: r.silent + r.growth, activeMaxDays: r.silent + r.growth + r.active },
      stage: { activeOrderWithinDays: r.activeOrder, silentAfterDays: r.silentAfter, churnedAfterDays: r.silentAfter + r.churnedAfter },
    },
    consumptionTier: { ...DEFAULT_SETTINGS.consumptionTier, period: r.period },
  }));

/** What the re-score day answers for: everything but R (whose cut points move per run). */
const withoutRecency = ({ r: _r, rfmClass: _c, recencyDays: _d, ...rest }: ReturnType<typeof scoreCustomer>) => rest;

describe('scoring: the re-score day', () => {
  it('is the first day after today on which a stage or the tier changes with the same facts', () => {
    fc.assert(
      fc.property(factsArb, settingsArb, (facts, settings) => {
        const ctx = { today: TODAY, settings, cuts: null };
        const next = rescoreOnDay(facts, ctx);
        const now = withoutRecency(scoreCustomer(facts, ctx));
        if (next !== null) {
          assert.ok(next > TODAY);
          assert.notDeepEqual(withoutRecency(scoreCustomer(facts, { ...ctx, today: next })), now, 'something changes on that day');
        }
        const horizon = next ?? TODAY + 900;
        for (let d = TODAY + 1; d < horizon; d++) assert.deepEqual(withoutRecency(scoreCustomer(facts, { ...ctx, today: d })), now, `day ${d}, next ${next}`);
      }),
      { numRuns: 300 },
    );
  });

  it('is the day a threshold is crossed: 31 days after joining leaves the silent stage', () => {
    const facts: CustomerFacts = {
      joinedDay: TODAY - 10, lastActivityDay: TODAY, firstOrderDay: null, lastOrderDay: null,
      ordersAll: 0, amountAllFen: 0, ordersWindow: 0, amountWindowFen: 0, amountTierFen: 0, interactions: 0,
    };
    const ctx = { today: TODAY, settings: DEFAULT_SETTINGS, cuts: null };
    assert.equal(rescoreOnDay(facts, ctx), TODAY - 10 + 31);
    assert.equal(scoreCustomer(facts, { ...ctx, today: TODAY + 20 }).daysStage, 'silent');
    assert.equal(scoreCustomer(facts, { ...ctx, today: TODAY + 21 }).daysStage, 'growth');
    // Joined long ago, churned long ago and no orders: nothing changes any more.
    assert.equal(rescoreOnDay({ ...facts, joinedDay: TODAY - 900, lastActivityDay: TODAY - 900 }, ctx), null);
  });

  it('scores R as of the last run\'s day for live re-scoring, everything else as of today', () => {
    const cuts: CutPoints = { recencyDays: [3, 10, 30, 90], frequency: [1, 2, 3, 5], monetaryFen: [100, 200, 300, 400] };
    const facts: CustomerFacts = {
      joinedDay: TODAY - 200, lastActivityDay: TODAY - 3, firstOrderDay: TODAY - 100, lastOrderDay: TODAY - 3,
      ordersAll: 2, amountAllFen: 250, ordersWindow: 2, amountWindowFen: 250, amountTierFen: 250, interactions: 0,
    };
    const ctx = { today: TODAY, settings: DEFAULT_SETTINGS, cuts };
    // 3 days ago is within the first cut (R 5) as of the run's day; 4 days as of tomorrow is not.
    assert.equal(scoreCustomer(facts, ctx).r, 5);
    const tomorrow = scoreCustomer(facts, { ...ctx, today: TODAY + 1 });
    const live = scoreCustomer(facts, { ...ctx, today: TODAY + 1, recencyAsOf: TODAY });
    assert.equal(tomorrow.r, 4);
    assert.equal(live.r, 5);
    // Only R is held: the days since the last order and the stages are tomorrow's.
    assert.equal(live.recencyDays, 4);
    assert.deepEqual({ ...live, r: tomorrow.r, rfmClass: tomorrow.rfmClass }, tomorrow);
    // An order after the run's day scores as the most recent.
    assert.equal(scoreCustomer({ ...facts, lastOrderDay: TODAY + 1 }, { ...ctx, today: TODAY + 1, recencyAsOf: TODAY }).r, 5);
  });
});

describe('scoring: quintiles from a distribution', () => {
  it('equal the quintiles of the sorted values, exact or located by bucket', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 200 }), (values) => {
        const sorted = Float64Array.from(values).sort();
        const distinct = [...new Set(sorted)];
        const counts = distinct.map((v) => values.filter((x) => x === v).length);
        assert.deepEqual(quintileBoundsOfCounts({ values: distinct, counts }), quintileBounds(sorted));
        // In buckets of width 5: the bucket holding each quintile and the offset in it find the same value.
        const buckets = [...new Set(distinct.map((v) => v - (v % 5)))];
        const inBuckets = { values: buckets, counts: buckets.map((b) => values.filter((x) => x - (x % 5) === b).length) };
        const found = quintilePositions(values.length).map((p) => {
          const { index, offset } = locate(inBuckets, p);
          return [...sorted].filter((x) => x >= buckets[index]! && x < (buckets[index + 1] ?? Infinity))[offset];
        });
        assert.deepEqual(found, quintileBounds(sorted));
      }),
    );
  });
});

describe('scoring: value ranges between cut points', () => {
  const ascending = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 4, maxLength: 4 }).map((a) => a.sort((x, y) => x - y));
  const cutsArb: fc.Arbitrary<CutPoints> = fc.record({ recencyDays: ascending(-1, 400), frequency: ascending(1, 12), monetaryFen: ascending(1, 50_000) });

  it('hold every customer whose R, F or M differs between a score on the last run\'s day or any day since (live) and one today', () => {
    fc.assert(
      fc.property(cutsArb, cutsArb, fc.integer({ min: 0, max: 40 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })), day, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 60_000 }), (before, after, back, scoredAfter, lastOrderDay, frequency, monetary) => {
        const beforeDay = TODAY - back;
        const scoredOn = Math.min(TODAY, beforeDay + scoredAfter);
        const { ranges, liveRanges } = cutRanges(before, after, beforeDay, TODAY);
        // A row scored on the last run's day is looked up in `ranges`; one re-scored live since, in both.
        const looked = scoredOn === beforeDay ? ranges : [...ranges, ...liveRanges];
        const inside = (column: string, v: number) => looked.some((r) => r.column === column && v >= r.from && v < r.to);
        const since = (d: number) => Math.max(0, d - lastOrderDay);
        // Orders dated after the last run's day are re-scored by their own condition (last_order_day > that day).
        if (lastOrderDay <= beforeDay && scoreRecency(since(scoredOn), before.recencyDays) !== scoreRecency(since(TODAY), after.recencyDays)) assert.ok(inside('last_order_day', lastOrderDay));
        if (scoreAtLeast(frequency, before.frequency) !== scoreAtLeast(frequency, after.frequency)) assert.ok(inside('rfm_frequency', frequency));
        if (scoreAtLeast(monetary, before.monetaryFen) !== scoreAtLeast(monetary, after.monetaryFen)) assert.ok(inside('rfm_monetary_fen', monetary));
      }),
      { numRuns: 2000 },
    );
  });
});
