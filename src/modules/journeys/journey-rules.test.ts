import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareProportions, normalCdf } from './ab-stats.ts';
import { cronProblem, nextCronFire, parseCron } from './cron.ts';
import { anniversaryKeys, dueFires, joinedDayFor, nextLocalTime, waitEnd } from './journey-time.ts';
import { matchesFilter } from './property-filter.ts';
import { chooseVariant, splitPoint } from './split.ts';

const SH = 'Asia/Shanghai';

describe('cron', () => {
  it('fires at the next matching local minute in the workspace time zone', () => {
    // 10:00 Shanghai = 02:00 UTC.
    assert.equal(nextCronFire(parseCron('0 10 * * *'), new Date('2025-03-01T01:30:00Z'), SH)?.toISOString(), '2025-03-01T02:00:00.000Z');
    assert.equal(nextCronFire(parseCron('0 10 * * *'), new Date('2025-03-01T02:00:00Z'), SH)?.toISOString(), '2025-03-02T02:00:00.000Z');
  });
  it('supports steps, ranges, lists and names', () => {
    const spec = parseCron('*/15 8-9 * * MON-FRI');
    // Saturday 2025-03-01 → Monday 03-03 08:00 local.
    assert.equal(nextCronFire(spec, new Date('2025-03-01T04:00:00Z'), SH)?.toISOString(), '2025-03-03T00:00:00.000Z');
    assert.equal(nextCronFire(spec, new Date('2025-03-03T00:00:00Z'), SH)?.toISOString(), '2025-03-03T00:15:00.000Z');
    assert.deepEqual([...parseCron('0 0 1,15 JAN,jul *').months].sort((a, b) => a - b), [1, 7]);
  });
  it('treats 0 and 7 as Sunday and ORs day-of-month with day-of-week', () => {
    assert.deepEqual([...parseCron('0 0 * * 0').weekdays], [7]);
    // The 1st of the month or a Sunday: after Sat 2025-03-01 09:00 local comes Sun 03-02.
    assert.equal(nextCronFire(parseCron('0 9 1 * 7'), new Date('2025-03-01T02:00:00Z'), SH)?.toISOString(), '2025-03-02T01:00:00.000Z');
  });
  it('names the bad field', () => {
    assert.match(cronProblem('0 25 * * *')!, /hour/);
    assert.match(cronProblem('0 10 * *')!, /five fields/);
    assert.match(cronProblem('x 10 * * *')!, /not a number/);
    assert.equal(cronProblem('30 8 * * 1'), null);
  });
  it('returns null for a date that never comes', () => {
    assert.equal(nextCronFire(parseCron('0 0 31 2 *'), new Date('2025-01-01T00:00:00Z'), SH), null);
  });
});

describe('journey time', () => {
  it('ends a one-day wait at the same local time the next day, across midnight', () => {
    // 23:30 Shanghai on 03-01 + 1 h = 00:30 on 03-02.
    assert.equal(waitEnd(new Date('2025-03-01T15:30:00Z'), { hours: 1 }, SH).toISOString(), '2025-03-01T16:30:00.000Z');
    assert.equal(waitEnd(new Date('2025-03-01T15:30:00Z'), { days: 1 }, SH).toISOString(), '2025-03-02T15:30:00.000Z');
  });
  it('finds the next local 10:00 strictly after, the same day or the next', () => {
    assert.equal(nextLocalTime(new Date('2025-03-01T01:00:00Z'), '10:00', SH).toISOString(), '2025-03-01T02:00:00.000Z');
    assert.equal(nextLocalTime(new Date('2025-03-01T02:00:00Z'), '10:00', SH).toISOString(), '2025-03-02T02:00:00.000Z');
    // 23:50 local → 10:00 the next local day.
    assert.equal(nextLocalTime(new Date('2025-03-01T15:50:00Z'), '10:00', SH).toISOString(), '2025-03-02T02:00:00.000Z');
    // Only on Mondays: Saturday 03-01 → Monday 03-03.
    assert.equal(nextLocalTime(new Date('2025-03-01T01:00:00Z'), '10:00', SH, [1]).toISOString(), '2025-03-03T02:00:00.000Z');
  });
  it('celebrates 29 February birthdays on 28 February in non-leap years, and on the 29th in leap years', () => {
    assert.deepEqual(anniversaryKeys('2025-02-28'), { year: 2025, keys: ['02-28', '02-29'] });
    assert.deepEqual(anniversaryKeys('2024-02-28'), { year: 2024, keys: ['02-28'] });
    assert.deepEqual(anniversaryKeys('2024-02-29'), { year: 2024, keys: ['02-29'] });
    assert.deepEqual(anniversaryKeys('2025-03-01'), { year: 2025, keys: ['03-01'] });
    // Three days before: fires on 02-25 for 02-28 (and 02-29 in a non-leap year).
    assert.deepEqual(anniversaryKeys('2025-02-25', -3), { year: 2025, keys: ['02-28', '02-29'] });
    assert.deepEqual(anniversaryKeys('2025-12-30', -3), { year: 2026, keys: ['01-02'] });
  });
  it('counts joining days back from the fire day', () => {
    assert.equal(joinedDayFor('2025-03-01', 3), '2025-02-26');
    assert.equal(joinedDayFor('2024-03-01', 1), '2024-02-29');
  });
  it('makes up missed daily fires but a missed schedule only within its grace', () => {
    const date = { type: 'date' as const, attribute: 'birthday' as const, at: '09:00' };
    const missed = dueFires(date, new Date('2025-03-01T01:00:00Z'), new Date('2025-03-03T03:00:00Z'), SH);
    assert.deepEqual(missed.fire.map((d) => d.toISOString()), ['2025-03-01T01:00:00.000Z', '2025-03-02T01:00:00.000Z', '2025-03-03T01:00:00.000Z']);
    assert.equal(missed.next?.toISOString(), '2025-03-04T01:00:00.000Z');
    const schedule = { type: 'schedule' as const, cron: '0 9 * * *', audience: { type: 'groups' as const, groupIds: ['g1'] } };
    assert.deepEqual(dueFires(schedule, new Date('2025-03-01T01:00:00Z'), new Date('2025-03-01T01:30:00Z'), SH).fire.length, 1);
    const stale = dueFires(schedule, new Date('2025-03-01T01:00:00Z'), new Date('2025-03-03T03:00:00Z'), SH);
    assert.deepEqual(stale.fire, []);
    assert.equal(stale.next?.toISOString(), '2025-03-04T01:00:00.000Z');
  });
});

describe('A/B split', () => {
  it('gives a customer the same variant every time', () => {
    const variants = [{ key: 'A', weight: 50 }, { key: 'B', weight: 50 }];
    for (let c = 1; c < 200; c++) assert.equal(chooseVariant(variants, 'j1', c).key, chooseVariant(variants, 'j1', c).key);
    assert.notEqual(splitPoint('j1', 1), splitPoint('j2', 1));
  });
  it('follows the weights on 10,000 customers (chi-square below the 99.9% critical value)', () => {
    const variants = [{ key: 'A', weight: 20 }, { key: 'B', weight: 30 }, { key: 'C', weight: 50 }];
    const counts = new Map<string, number>();
    for (let c = 1; c <= 10_000; c++) {
      const k = chooseVariant(variants, '0190f3f0-0000-7000-8000-00000000abcd', c).key;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const chi = variants.reduce((s, v) => {
      const expected = (10_000 * v.weight) / 100;
      return s + (counts.get(v.key)! - expected) ** 2 / expected;
    }, 0);
    assert.ok(chi < 13.82, `chi-square ${chi.toFixed(2)} with counts ${JSON.stringify([...counts])}`);
  });
});

describe('A/B confidence', () => {
  it('computes the normal distribution', () => {
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  });
  it('gives a small p-value to a real difference and a large one to none', () => {
    const strong = compareProportions({ entered: 1000, converted: 100 }, { entered: 1000, converted: 150 })!;
    assert.ok(strong.pValue < 0.001 && strong.pValue > 0.0001, String(strong.pValue));
    assert.ok(Math.abs(strong.lift! - 0.5) < 1e-9);
    const none = compareProportions({ entered: 1000, converted: 100 }, { entered: 1000, converted: 101 })!;
    assert.ok(none.pValue > 0.9);
    assert.equal(compareProportions({ entered: 0, converted: 0 }, { entered: 5, converted: 1 }), null);
  });
});

describe('property filters', () => {
  const props = { category: '精华', priceFen: 19900, tags: ['a', 'b'], meta: { source: 'ad' } };
  it('matches values, lists, numbers and nested paths', () => {
    assert.ok(matchesFilter(props, { property: 'category', op: 'eq', value: '精华' }));
    assert.ok(matchesFilter(props, { property: 'tags', op: 'eq', value: 'b' }));
    assert.ok(matchesFilter(props, { property: 'priceFen', op: 'gte', value: 19900 }));
    assert.ok(!matchesFilter(props, { property: 'priceFen', op: 'gt', value: 19900 }));
    assert.ok(matchesFilter(props, { property: 'meta.source', op: 'in', value: ['ad', 'seo'] }));
    assert.ok(matchesFilter(props, { property: 'category', op: 'contains', value: '精' }));
  });
  it('lets a missing property match only the negative operators', () => {
    assert.ok(!matchesFilter(props, { property: 'missing', op: 'eq', value: 1 }));
    assert.ok(matchesFilter(props, { property: 'missing', op: 'neq', value: 1 }));
    assert.ok(matchesFilter(props, { property: 'missing', op: 'not_exists' }));
    assert.ok(!matchesFilter(props, { property: 'missing', op: 'exists' }));
  });
});
