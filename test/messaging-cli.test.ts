/**
 * The messaging CLI as real processes on a temporary embedded data directory: a send through
 * the guard rails, the same key again (no second send), the daily cap with its reason, the
 * "why not sent" view, settings round trip with a bad file changing nothing, and dead letters.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSiyu } from './support/process.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-messaging-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('[embedded] siyu messages, dead-letters and messaging settings', () => {
  const env = { SIYU_DATA_DIR: path.join(tmp, 'data') };
  const json = (r: { status: number | null; stdout: string; stderr: string }) => {
    assert.ok(r.status === 0 || r.status === 3, r.stderr);
    return JSON.parse(r.stdout);
  };

  it('sends exactly once per key, explains what it did not send, and keeps settings valid', () => {
    assert.equal(runSiyu(['user', 'create', '--email', 'ops@brand.cn', '--password', 'ops-password-1'], env).status, 0);
    assert.equal(runSiyu(['workspace', 'create', '--name', '品牌', '--owner', 'ops@brand.cn'], env).status, 0);
    const events = path.join(tmp, 'events.ndjson');
    fs.writeFileSync(events, `${JSON.stringify({ id: 'e1', type: 'custom.registered', occurredAt: new Date().toISOString(), identities: [{ type: 'mobile', value: '13800001111' }], profile: { nickname: '阿青' } })}\n`);
    const ingested = runSiyu(['events', 'send', '--file', events, '--json'], env);
    assert.equal(ingested.status, 0, ingested.stderr);
    assert.equal(JSON.parse(ingested.stdout).accepted, 1);
    const found = runSiyu(['customers', 'search', '--phone', '13800001111', '--json'], env);
    const customerId = JSON.parse(found.stdout).items[0].id as number;

    // Quiet hours off so the test does not depend on the hour; the daily cap stays at 2.
    const shown = json(runSiyu(['messaging', 'settings', 'show'], env));
    const settings = { ...shown.settings, quietHours: { ...shown.settings.quietHours, enabled: false } };
    const file = path.join(tmp, 'settings.json');
    fs.writeFileSync(file, JSON.stringify(settings));
    assert.equal(runSiyu(['messaging', 'settings', 'set', '--file', file], env).status, 0);
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...settings, caps: { ...settings.caps, all: { daily: 0, weekly: 6, monthly: 20 } } }));
    const refused = runSiyu(['messaging', 'settings', 'set', '--file', bad], env);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /caps\.all\.daily/);
    assert.deepEqual(json(runSiyu(['messaging', 'settings', 'show'], env)).settings, settings);

    const send = (key: string) => runSiyu(['messages', 'send', '--key', key, '--customer', String(customerId), '--channel', 'wecom', '--text', '{nickname|亲}，新品到店', '--json'], env);
    const first = json(send('launch-1'));
    assert.deepEqual([first.status, first.duplicate], ['sent', false]);
    const again = json(send('launch-1'));
    assert.deepEqual([again.messageId, again.duplicate], [first.messageId, true]);
    assert.equal(json(send('launch-2')).status, 'sent');
    const capped = send('launch-3');
    assert.equal(capped.status, 3, 'a message not sent exits 3');
    assert.deepEqual([JSON.parse(capped.stdout).status, JSON.parse(capped.stdout).reason], ['suppressed', 'capped_daily']);

    const listed = json(runSiyu(['messages', 'list', '--json'], env));
    assert.equal(listed.items.length, 3);
    assert.equal(listed.items.find((m: { id: string }) => m.id === first.messageId).body, '阿青，新品到店');
    const why = runSiyu(['messages', 'why', String(customerId)], env);
    assert.equal(why.status, 0, why.stderr);
    assert.match(why.stdout, /2 sent/);
    assert.match(why.stdout, /1 suppressed \(capped_daily\)/);

    assert.equal(json(runSiyu(['dead-letters', 'list', '--json'], env)).items.length, 0);
    const none = runSiyu(['dead-letters', 'replay'], env);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /dead_letters\.none_named/);
    const notDead = json(runSiyu(['dead-letters', 'replay', first.messageId, '--json'], env));
    assert.deepEqual(notDead, { replayed: [], skipped: [first.messageId] });
  });
});
