import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capWindows, quietHoursRelease, quotaWindow } from './time-windows.ts';

const SH = 'Asia/Shanghai';
const QUIET = { enabled: true, start: '22:00', end: '08:00' };
/** A Shanghai wall-clock time (UTC+8, no daylight saving) as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('quiet hours in the workspace time zone', () => {
  it('holds from 22:00 to 08:00 local across midnight, releasing at the next 08:00', () => {
    assert.equal(quietHoursRelease(sh('2025-06-02T21:59:59'), QUIET, SH), null, '21:59 is outside');
    assert.deepEqual(quietHoursRelease(sh('2025-06-02T22:00:00'), QUIET, SH), sh('2025-06-03T08:00:00'), '22:00 is inside, released next morning');
    assert.deepEqual(quietHoursRelease(sh('2025-06-02T23:59:00'), QUIET, SH), sh('2025-06-03T08:00:00'));
    assert.deepEqual(quietHoursRelease(sh('2025-06-03T00:00:00'), QUIET, SH), sh('2025-06-03T08:00:00'), 'after midnight: the same morning');
    assert.deepEqual(quietHoursRelease(sh('2025-06-03T07:59:59'), QUIET, SH), sh('2025-06-03T08:00:00'));
    assert.equal(quietHoursRelease(sh('2025-06-03T08:00:00'), QUIET, SH), null, '08:00 is outside');
    assert.equal(quietHoursRelease(sh('2025-06-03T12:00:00'), QUIET, SH), null);
  });

  it('uses the local clock, not UTC: 22:30 in Shanghai is 14:30 UTC', () => {
    const at = new Date('2025-06-02T14:30:00Z');
    assert.deepEqual(quietHoursRelease(at, QUIET, SH), new Date('2025-06-03T00:00:00Z'));
    assert.equal(quietHoursRelease(at, QUIET, 'UTC'), null, 'the same instant is afternoon in UTC');
  });

  it('handles a window inside one day, a disabled window and an empty one', () => {
    const noon = { enabled: true, start: '12:00', end: '14:00' };
    assert.equal(quietHoursRelease(sh('2025-06-02T11:59:00'), noon, SH), null);
    assert.deepEqual(quietHoursRelease(sh('2025-06-02T12:00:00'), noon, SH), sh('2025-06-02T14:00:00'));
    assert.equal(quietHoursRelease(sh('2025-06-02T14:00:00'), noon, SH), null);
    assert.equal(quietHoursRelease(sh('2025-06-02T23:00:00'), { ...QUIET, enabled: false }, SH), null);
    assert.equal(quietHoursRelease(sh('2025-06-02T23:00:00'), { enabled: true, start: '08:00', end: '08:00' }, SH), null);
  });

  it('releases at the local wall-clock end on a day with a daylight-saving change', () => {
    // New York springs forward on 2025-03-09 at 02:00: 08:00 that day is 12:00 UTC, not 13:00.
    const at = new Date('2025-03-09T05:00:00Z'); // 00:00 EST
    assert.deepEqual(quietHoursRelease(at, QUIET, 'America/New_York'), new Date('2025-03-09T12:00:00Z'));
  });
});

describe('cap windows: local day, week from Monday, month', () => {
  it('starts the day at local midnight', () => {
    const w = capWindows(sh('2025-06-04T00:30:00'), SH);
    assert.deepEqual(w.dayStart, sh('2025-06-04T00:00:00'));
    assert.deepEqual(capWindows(sh('2025-06-03T23:59:59'), SH).dayStart, sh('2025-06-03T00:00:00'));
  });

  it('starts the week on Monday local: Sunday 23:59 is last week, Monday 00:00 a new one', () => {
    // 2025-06-08 is a Sunday, 2025-06-09 a Monday.
    assert.deepEqual(capWindows(sh('2025-06-08T23:59:59'), SH).weekStart, sh('2025-06-02T00:00:00'));
    assert.deepEqual(capWindows(sh('2025-06-09T00:00:00'), SH).weekStart, sh('2025-06-09T00:00:00'));
    // Sunday 16:30 UTC is already Monday 00:30 in Shanghai.
    assert.deepEqual(capWindows(new Date('2025-06-08T16:30:00Z'), SH).weekStart, sh('2025-06-09T00:00:00'));
  });

  it('starts the month on the local first', () => {
    assert.deepEqual(capWindows(sh('2025-06-30T23:59:59'), SH).monthStart, sh('2025-06-01T00:00:00'));
    assert.deepEqual(capWindows(sh('2025-07-01T00:00:00'), SH).monthStart, sh('2025-07-01T00:00:00'));
    assert.deepEqual(capWindows(new Date('2025-06-30T16:00:00Z'), SH).monthStart, sh('2025-07-01T00:00:00'));
  });
});

describe('quota windows', () => {
  it('gives the minute, hour and local day containing an instant and when the next opens', () => {
    const at = sh('2025-06-02T10:15:42');
    assert.deepEqual(quotaWindow(at, 'minute', SH), { kind: 'minute', start: sh('2025-06-02T10:15:00'), next: sh('2025-06-02T10:16:00') });
    assert.deepEqual(quotaWindow(at, 'hour', SH), { kind: 'hour', start: sh('2025-06-02T10:00:00'), next: sh('2025-06-02T11:00:00') });
    assert.deepEqual(quotaWindow(at, 'day', SH), { kind: 'day', start: sh('2025-06-02T00:00:00'), next: sh('2025-06-03T00:00:00') });
  });
});
