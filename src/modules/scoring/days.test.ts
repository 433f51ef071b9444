import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IANAZone } from 'luxon';
import { dayNumberOf, endOfLocalDay, localDayNumber, localDaysOf } from './days.ts';

describe('calendar days in the workspace time zone', () => {
  it('counts local dates: 23:59 and 00:00 Shanghai time are different days', () => {
    const before = localDayNumber(new Date('2026-10-31T15:59:59Z'), 'Asia/Shanghai'); // 23:59:59 on 31 Oct
    const after = localDayNumber(new Date('2026-10-31T16:00:00Z'), 'Asia/Shanghai'); // 00:00 on 1 Nov
    assert.equal(before, dayNumberOf('2026-10-31'));
    assert.equal(after, dayNumberOf('2026-11-01'));
    assert.equal(localDayNumber(new Date('2026-10-31T16:00:00Z'), 'UTC'), dayNumberOf('2026-10-31'));
  });

  it('follows daylight saving time (London)', () => {
    // 30 March 2025: clocks go forward at 01:00 UTC; 23:30 UTC is 00:30 the next day in BST.
    assert.equal(localDayNumber(new Date('2025-03-30T23:30:00Z'), 'Europe/London'), dayNumberOf('2025-03-31'));
    assert.equal(localDayNumber(new Date('2025-01-30T23:30:00Z'), 'Europe/London'), dayNumberOf('2025-01-30'));
  });

  it('ends a local day at the next local midnight', () => {
    assert.equal(endOfLocalDay('2026-10-01', 'Asia/Shanghai').toISOString(), '2026-10-01T16:00:00.000Z');
  });

  it('counts the local days of many instants as localDayNumber does, across offset changes', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'Europe/London', 'America/New_York', 'Australia/Adelaide', 'Asia/Kathmandu', 'Pacific/Chatham'];
    // Every 211 minutes over two years, and every minute of the three hours either side of
    // each offset change of these zones in 2025 and 2026.
    const from = Date.parse('2025-01-01T00:00:00Z');
    const to = Date.parse('2027-01-01T00:00:00Z');
    const hour = 3_600_000;
    for (const zone of zones) {
      const days = localDaysOf(zone);
      const iana = IANAZone.create(zone);
      const offset = (ms: number) => iana.offset(ms);
      const instants: number[] = [];
      for (let ms = from; ms < to; ms += 211 * 60_000) instants.push(ms);
      let changes = 0;
      let before = offset(from);
      for (let h = from; h < to; h += hour) {
        const after = offset(h + hour);
        if (after === before) continue;
        before = after;
        changes++;
        for (let ms = h - 3 * hour; ms < h + 4 * hour; ms += 60_000) instants.push(ms);
      }
      if (zone === 'Europe/London' || zone === 'Pacific/Chatham') assert.equal(changes, 4, `${zone}: two changes a year`);
      for (const ms of instants) assert.equal(days(ms * 1000), localDayNumber(new Date(ms), zone), `${zone} at ${new Date(ms).toISOString()}`);
    }
  });

  it('places the last microsecond of a local day in that day', () => {
    const days = localDaysOf('Asia/Shanghai');
    const midnight = Date.parse('2026-10-31T16:00:00Z') * 1000; // 00:00 on 1 Nov in Shanghai
    assert.equal(days(midnight - 1), dayNumberOf('2026-10-31'));
    assert.equal(days(midnight), dayNumberOf('2026-11-01'));
    // Before 1970 too (negative microseconds).
    assert.equal(days(Date.parse('1969-12-31T15:59:59.999Z') * 1000), dayNumberOf('1969-12-31'));
    assert.equal(days(Date.parse('1969-12-31T16:00:00Z') * 1000), dayNumberOf('1970-01-01'));
  });

  it('refuses an unknown time zone', () => {
    assert.throws(() => localDaysOf('Mars/Olympus'), /not a time zone/);
  });
});
