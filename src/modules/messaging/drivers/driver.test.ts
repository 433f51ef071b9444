import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createOutboundFetch } from '../../../platform/http/outbound.ts';
import { backoffSeconds, classifyStatus, httpAttempt } from './driver.ts';
import { fillSmsTemplate } from './sms-http.ts';
import type { OutboundMessage } from './driver.ts';

describe('retry backoff', () => {
  it('doubles per attempt with jitter in the upper half, bounded by the random source', () => {
    const low = () => 0;
    const high = () => 0.999999;
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffSeconds(a, 30, low)), [15, 30, 60, 120]);
    assert.deepEqual([1, 2, 3, 4].map((a) => backoffSeconds(a, 30, high)), [30, 60, 120, 240]);
    assert.equal(backoffSeconds(3, 30, () => 0.5), 90);
  });

  it('never exceeds an hour and never drops below a second', () => {
    assert.equal(backoffSeconds(20, 30, () => 0.999999), 3600);
    assert.equal(backoffSeconds(20, 30, () => 0), 1800);
    assert.equal(backoffSeconds(1, 1, () => 0), 1);
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.75, 0.999]) {
        const s = backoffSeconds(attempt, 30, () => r);
        const ceiling = Math.min(3600, 30 * 2 ** (attempt - 1));
        assert.ok(s >= ceiling / 2 && s <= ceiling, `attempt ${attempt}, random ${r}: ${s}`);
      }
    }
  });
});

describe('HTTP answers', () => {
  it('sends on 2xx, retries 408/425/429/5xx with Retry-After, refuses other codes', () => {
    assert.deepEqual(classifyStatus(204, null), { outcome: 'sent' });
    assert.deepEqual(classifyStatus(429, '120'), { outcome: 'retry', error: 'HTTP 429', retryAfterSeconds: 120 });
    assert.deepEqual(classifyStatus(503, 'Wed, 21 Oct 2015 07:28:00 GMT'), { outcome: 'retry', error: 'HTTP 503', retryAfterSeconds: undefined });
    for (const s of [408, 425, 500, 502]) assert.equal(classifyStatus(s, null).outcome, 'retry', String(s));
    for (const s of [301, 400, 401, 404, 410]) assert.equal(classifyStatus(s, null).outcome, 'failed', String(s));
  });
});

describe('delivery to a blocked address', () => {
  it('fails at once instead of retrying, naming the address', async () => {
    // Nothing listens on the port: the address is refused before any connection is tried.
    const ctx = { fetch: createOutboundFetch({ allowPrivate: false }), now: new Date(), timeoutMs: 2000 };
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7:8080/hook', 'http://localhost:5999/hook']) {
      const result = await httpAttempt(ctx, url, { method: 'POST', body: '{}' });
      assert.ok('outcome' in result && result.outcome === 'failed', `${url}: ${JSON.stringify(result)}`);
      assert.match(result.error, /^blocked_address: /);
    }
  });
});

describe('SMS body template', () => {
  const message = { id: 'm-1', mobile: '+8613800000000', text: 'Hi "Lin" & co', title: null } as OutboundMessage;
  it('fills {mobile}, {text}, {title}, {id} escaped for JSON or forms and leaves other braces', () => {
    const json = fillSmsTemplate('{"to":"{mobile}","msg":"{text}","sign":"{brand}","t":"{title}","ref":"{id}"}', message, (v) => JSON.stringify(v).slice(1, -1));
    assert.deepEqual(JSON.parse(json), { to: '+8613800000000', msg: 'Hi "Lin" & co', sign: '{brand}', t: '', ref: 'm-1' });
    assert.equal(fillSmsTemplate('to={mobile}&msg={text}', message, encodeURIComponent), 'to=%2B8613800000000&msg=Hi%20%22Lin%22%20%26%20co');
  });
});
