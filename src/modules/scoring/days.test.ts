import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dayNumberOf, endOfLocalDay, localDayNumber } from './days.ts';

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
});
