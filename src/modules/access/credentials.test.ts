import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../platform/ids.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';
import { formatApiKey, parseApiKey, safeEqualHex, sha256Hex } from './tokens.ts';
import { afterFailure, DEFAULT_LOCKOUT, isLocked } from './lockout.ts';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('s3cret-pass-word');
    assert.match(hash, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword('s3cret-pass-word', hash), true);
    assert.equal(await verifyPassword('s3cret-pass-worD', hash), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same-password'), await hashPassword('same-password'));
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    assert.equal(await verifyPassword('x', 'md5$abc'), false);
  });

  it('generates passwords of the asked length without look-alike characters', () => {
    const p = generatePassword(24);
    assert.equal(p.length, 24);
    assert.doesNotMatch(p, /[0O1lI]/);
  });
});

describe('API key tokens', () => {
  it('round-trips workspace and key id through the token', () => {
    const ws = newId();
    const key = newId();
    const { token, secret, prefix } = formatApiKey(ws, key);
    assert.ok(token.startsWith(prefix));
    assert.deepEqual(parseApiKey(token), { workspaceId: ws, keyId: key, secret });
  });

  it('rejects tokens of the wrong shape', () => {
    assert.equal(parseApiKey('sy_short_x'), null);
    assert.equal(parseApiKey('Bearer abc'), null);
    assert.equal(parseApiKey(''), null);
  });

  it('compares hashes in constant time and refuses empty input', () => {
    const h = sha256Hex('a');
    assert.equal(safeEqualHex(h, sha256Hex('a')), true);
    assert.equal(safeEqualHex(h, sha256Hex('b')), false);
    assert.equal(safeEqualHex('', ''), false);
  });
});

describe('login lockout', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('locks after the fifth failure for fifteen minutes', () => {
    let state = { failedCount: 0, lockedUntil: null as Date | null };
    for (let i = 0; i < DEFAULT_LOCKOUT.maxFailures - 1; i++) {
      state = afterFailure(state, now);
      assert.equal(isLocked(state, now), false);
    }
    state = afterFailure(state, now);
    assert.equal(isLocked(state, now), true);
    assert.equal(state.lockedUntil!.getTime() - now.getTime(), 15 * 60_000);
    assert.equal(isLocked(state, new Date(now.getTime() + 15 * 60_000)), false);
  });
});
