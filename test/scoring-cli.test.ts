/**
 * The scoring CLI as real processes on a temporary embedded data directory: the first
 * recompute reads every customer, the next one goes by changes, `--full` reads everyone again,
 * and `scoring runs` lists them newest first.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSiyu } from './support/process.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-scoring-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('[embedded] siyu scoring recompute and runs', () => {
  const env = { SIYU_DATA_DIR: path.join(tmp, 'data') };
  const json = (args: string[]) => {
    const r = runSiyu(args, env);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  it('recomputes in the process, by changes once every customer was read, and in full on request', () => {
    assert.equal(runSiyu(['user', 'create', '--email', 'ops@brand.cn', '--password', 'ops-password-1'], env).status, 0);
    assert.equal(runSiyu(['workspace', 'create', '--name', '品牌', '--owner', 'ops@brand.cn'], env).status, 0);
    const events = path.join(tmp, 'events.ndjson');
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString();
    fs.writeFileSync(events, ['13800001111', '13800002222'].map((m, i) => JSON.stringify({ id: `e${i}`, type: 'wecom.friend_added', occurredAt: at, identities: [{ type: 'mobile', value: m }] })).join('\n'));
    assert.equal(json(['events', 'send', '--file', events, '--json']).accepted, 2);

    const first = json(['scoring', 'recompute', '--json']);
    assert.deepEqual([first.status, first.mode, first.customers, first.changed], ['completed', 'full', 2, 2]);
    const again = json(['scoring', 'recompute', '--json']);
    assert.deepEqual([again.status, again.mode, again.changed], ['completed', 'changes', 0]);
    // Where the time went, per phase: a run by changes finds its customers from the distribution.
    assert.ok(['read', 'score', 'write', 'announce'].every((k) => typeof first.timings[k] === 'number'), JSON.stringify(first.timings));
    assert.ok(['distribution', 'find'].every((k) => typeof again.timings[k] === 'number'), JSON.stringify(again.timings));
    const full = json(['scoring', 'recompute', '--full', '--json']);
    assert.deepEqual([full.status, full.mode, full.customers, full.changed], ['completed', 'full', 2, 0]);

    const listed = json(['scoring', 'runs', '--json']);
    assert.deepEqual(listed.items.map((r: { id: string }) => r.id).slice(0, 3).sort(), [first.id, again.id, full.id].sort());
    const text = runSiyu(['scoring', 'runs'], env);
    assert.match(text.stdout, /completed \(by changes\)/);
    assert.match(text.stdout, /2 scored, 2 written/);
    assert.match(text.stdout, /\(find \d+ ms, read \d+ ms, score \d+ ms, write \d+ ms/);
  });
});
