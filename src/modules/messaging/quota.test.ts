import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { overQuota, quotaWindowsFor } from './quota.ts';

const SH = 'Asia/Shanghai';
const at = new Date('2025-06-04T10:15:30+08:00');

describe('channel quotas', () => {
  it('lists the limited windows containing now (days are local)', () => {
    assert.deepEqual(quotaWindowsFor(undefined, at, SH), []);
    assert.deepEqual(quotaWindowsFor({ perMinute: 10, perHour: null, perDay: 500 }, at, SH), [
      { kind: 'day', start: new Date('2025-06-04T00:00:00+08:00'), limit: 500 },
      { kind: 'minute', start: new Date('2025-06-04T10:15:00+08:00'), limit: 10 },
    ]);
  });

  it('suppresses when the day ran out and holds until the next window when the minute or hour did', () => {
    assert.deepEqual(overQuota(new Map([['day', 0], ['minute', 0]]), at, SH), { kind: 'suppress', window: 'day' }, 'the day first');
    assert.deepEqual(overQuota(new Map([['day', 40], ['minute', 0]]), at, SH), { kind: 'hold', window: 'minute', releaseAt: new Date('2025-06-04T10:16:00+08:00') });
    assert.deepEqual(overQuota(new Map([['day', 40], ['hour', 1], ['minute', 3]]), at, SH), { kind: 'hold', window: 'hour', releaseAt: new Date('2025-06-04T11:00:00+08:00') });
  });
});
