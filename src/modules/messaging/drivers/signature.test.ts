import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './signature.ts';

const SECRET = 'whsec_test';
const AT = new Date('2025-06-04T02:00:00Z');
const BODY = '{"id":"m1","text":"Hi"}';

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 and the unix timestamp', () => {
    const header = signBody(SECRET, BODY, AT);
    const t = AT.getTime() / 1000;
    assert.equal(header, `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex')}`);
    assert.equal(verifySignature(SECRET, BODY, header, AT), true);
    assert.equal(verifySignature(SECRET, BODY, header, new Date(AT.getTime() + 299_000)), true, 'within five minutes');
  });

  it('rejects a tampered body, another secret, an old or future timestamp and a malformed header', () => {
    const header = signBody(SECRET, BODY, AT);
    assert.equal(verifySignature(SECRET, BODY.replace('Hi', 'Ho'), header, AT), false);
    assert.equal(verifySignature('whsec_other', BODY, header, AT), false);
    assert.equal(verifySignature(SECRET, BODY, header, new Date(AT.getTime() + 301_000)), false, 'older than five minutes');
    assert.equal(verifySignature(SECRET, BODY, header, new Date(AT.getTime() - 301_000)), false, 'from the future');
    const t = AT.getTime() / 1000;
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    assert.equal(verifySignature(SECRET, BODY, moved, AT), false, 'the timestamp is signed too');
    for (const bad of ['', 'v1=abc', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=short`]) assert.equal(verifySignature(SECRET, BODY, bad, AT), false, bad);
  });
});
