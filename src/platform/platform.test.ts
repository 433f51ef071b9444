import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { formatFen, parseYuanToFen } from './money.ts';
import { formatPath, parseOrThrow } from './validation.ts';
import { ManualClock } from './clock.ts';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 4000);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.defaultTimeZone, 'Asia/Shanghai');
    assert.match(c.dataDir, /\.siyu$/);
  });

  it('lists every bad setting at once', () => {
    assert.throws(
      () => loadConfig({ SIYU_PORT: 'abc', DATABASE_URL: 'mysql://x', SIYU_DEMO_PASSWORD: 'short' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 3);
        assert.ok(err.problems.some((p) => p.startsWith('DATABASE_URL')));
        return true;
      },
    );
  });

  it('rejects an unknown default time zone', () => {
    assert.throws(() => loadConfig({ TZ_DEFAULT: 'Mars/Olympus' }), ConfigError);
  });
});

describe('money in fen', () => {
  it('parses yuan strings exactly', () => {
    assert.equal(parseYuanToFen('12.5'), 1250);
    assert.equal(parseYuanToFen('0.07'), 7);
    assert.equal(parseYuanToFen('-3.05'), -305);
    assert.equal(parseYuanToFen('1,299.90'), 129990);
    assert.equal(parseYuanToFen('19.999'), null);
    assert.equal(parseYuanToFen('abc'), null);
  });

  it('formats fen', () => {
    assert.equal(formatFen(129990), '1299.90');
    assert.equal(formatFen(-5, { symbol: true }), '¥-0.05');
  });
});

describe('validation errors', () => {
  it('formats nested paths', () => {
    assert.equal(formatPath(['events', 3, 'occurred_at']), 'events[3].occurred_at');
    assert.equal(formatPath(['a'], 'query.'), 'query.a');
  });

  it('names each unknown field and each bad one', () => {
    const schema = z.strictObject({ n: z.number() });
    assert.throws(
      () => parseOrThrow(schema, { n: 'x', extra: 1 }),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'validation_failed');
        const fields = (err.details as { field: string; reason: string }[]).map((d) => `${d.field}:${d.reason}`).sort();
        assert.deepEqual(fields, ['extra:unknown_field', 'n:invalid_type']);
        return true;
      },
    );
  });
});

describe('manual clock', () => {
  it('moves only when told', () => {
    const clock = new ManualClock('2026-02-28T16:00:00Z');
    clock.advance(60_000);
    assert.equal(clock.now().toISOString(), '2026-02-28T16:01:00.000Z');
  });
});
