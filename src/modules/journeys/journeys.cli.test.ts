/**
 * `siyu journeys` as a real process on a temporary embedded data directory: playbooks, the
 * one-action enable, list, show with stats, enroll, pause / resume / stop, and clear errors.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSiyu } from '../../../test/support/process.ts';
import { PLAYBOOKS } from './playbooks.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-journeys-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('[embedded] siyu journeys', () => {
  const env = { SIYU_DATA_DIR: path.join(tmp, 'data') };
  const ok = (args: string[]) => {
    const r = runSiyu(args, env);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  const json = (args: string[]) => JSON.parse(ok([...args, '--json']).stdout);

  it('enables a playbook, enrolls, reports, pauses, resumes and stops', () => {
    ok(['user', 'create', '--email', 'ops@brand.cn', '--password', 'ops-password-1']);
    ok(['workspace', 'create', '--name', '品牌', '--owner', 'ops@brand.cn']);

    const playbooks = json(['journeys', 'playbooks']);
    assert.deepEqual(playbooks.map((p: { key: string }) => p.key), PLAYBOOKS.map((p) => p.key));
    assert.match(ok(['journeys', 'playbooks']).stdout, /^welcome_new_friends\s+lifecycle\s+新好友欢迎/m);

    const welcome = json(['journeys', 'from-playbook', 'welcome_new_friends', '--activate', '--name', '新客欢迎']);
    assert.deepEqual([welcome.status, welcome.name, welcome.liveVersion, welcome.playbook], ['active', '新客欢迎', 1, 'welcome_new_friends']);

    const sop = runSiyu(['journeys', 'from-playbook', 'sop_morning_evening', '--activate'], env);
    assert.equal(sop.status, 1);
    assert.match(sop.stderr, /\(journey\.invalid\)/);
    assert.match(sop.stderr, /no_groups/);

    const list = json(['journeys', 'list']);
    assert.equal(list.items.length, 1, 'the refused SOP left nothing');
    assert.match(ok(['journeys', 'list']).stdout, new RegExp(`${welcome.id}\\s+active\\s+v1\\s+event`));

    const blankGroup = runSiyu(['journeys', 'from-playbook', 'sop_daily_benefit', '--activate', '--group', ' '], env);
    assert.equal(blankGroup.status, 1);
    assert.match(blankGroup.stderr, /groupIds\[0\]/);
    const groupSop = json(['journeys', 'from-playbook', 'sop_daily_benefit', '--activate', '--group', 'wr-chat-a', '--group', 'wr-chat-b']);
    assert.deepEqual([groupSop.status, groupSop.definition.trigger.audience.groupIds, groupSop.issues], ['active', ['wr-chat-a', 'wr-chat-b'], []]);
    ok(['journeys', 'stop', groupSop.id]);

    const eventsFile = path.join(tmp, 'events.ndjson');
    fs.writeFileSync(eventsFile, `${JSON.stringify({ id: 'e1', type: 'custom.seen', occurredAt: new Date().toISOString(), identities: [{ type: 'mobile', value: '13800000001' }] })}\n`);
    ok(['events', 'send', '--file', eventsFile]);
    const customer = json(['customers', 'search', '--phone', '13800000001']).items[0].id as number;

    const enrolled = json(['journeys', 'enroll', welcome.id, String(customer), '999999']);
    assert.deepEqual(enrolled, { requested: 2, enrolled: 1, skipped: [999999] });
    assert.match(ok(['journeys', 'enroll', welcome.id, String(customer)]).stdout, /^0 of 1 enrolled; skipped .*: \d+$/m);

    const shown = json(['journeys', 'show', welcome.id, '--stats']);
    assert.equal(shown.stats.totals.entered, 1);
    const first = shown.stats.steps.find((s: { id: string }) => s.id === 'welcome');
    assert.equal(first.sent + first.held, 1, 'the welcome went out (or waits for quiet hours to end)');
    const text = ok(['journeys', 'show', welcome.id, '--stats']).stdout;
    assert.match(text, /step wait_1d \(wait\) 等待 1 天/);
    assert.match(text, /exits: event order\.paid, opted_out/);
    assert.match(text, /^entered 1, active 1 \(waiting 1\)/m);

    assert.equal(json(['journeys', 'pause', welcome.id]).status, 'paused');
    const again = runSiyu(['journeys', 'pause', welcome.id], env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /A paused journey cannot be paused \(journey\.invalid_state\)/);
    assert.equal(json(['journeys', 'resume', welcome.id]).status, 'active');
    const stopped = json(['journeys', 'stop', welcome.id, '--reason', '换新版']);
    assert.deepEqual([stopped.status, stopped.inFlight], ['stopped', 0]);
    const reactivated = ok(['journeys', 'activate', welcome.id]).stdout;
    assert.match(reactivated, new RegExp(`${welcome.id}\\s+active\\s+v1`));

    const bad = runSiyu(['journeys', 'stop', 'not-an-id'], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Not a journey id: not-an-id \(journey\.invalid_id\)/);
  });
});
