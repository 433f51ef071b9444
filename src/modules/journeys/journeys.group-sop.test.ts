/**
 * Group SOPs on a controlled clock (Asia/Shanghai): a playbook enabled with its groups in one
 * action, scheduled posts recorded once per group per step by the outbox driver, quiet hours,
 * pause / resume / stop, and the content checks (ad-law, missing variables) on group posts.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('group SOPs post to groups through messaging (controlled clock, Asia/Shanghai)', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  const clock = new ManualClock('2026-03-02T03:00:00Z');

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
  });
  after(async () => app?.close());

  /** A fresh workspace and its owner's client (signed in at the current clock). */
  async function workspace(): Promise<{ ws: string; owner: Client }> {
    const seeded = await seedWorkspace(siyu, ['owner']);
    return { ws: seeded.workspaceId, owner: await signIn(app, seeded.users.owner.email, seeded.workspaceId) };
  }

  /** A live group SOP posting `text` to `groups` on `cron`. */
  async function sop(c: Client, cron: string, groups: string[], steps: unknown[]): Promise<string> {
    const created = await c.post('/api/v1/journeys', { name: `SOP ${Math.random().toString(36).slice(2, 8)}`, definition: { trigger: { type: 'schedule', cron, audience: { type: 'groups', groupIds: groups } }, steps, reentry: { mode: 'always' } } });
    assert.equal(created.statusCode, 201, created.body);
    const activated = await c.post(`/api/v1/journeys/${created.json().id}/activate`, {});
    assert.equal(activated.statusCode, 200, activated.body);
    return created.json().id as string;
  }

  const posts = (ws: string, journeyId: string) =>
    siyu.db
      .selectFrom('group_posts')
      .select(['group_id', 'source_step', 'source_version', 'status', 'reason', 'reason_detail', 'release_at', 'sent_at', 'body', 'driver', 'channel'])
      .where('workspace_id', '=', ws)
      .where('source_kind', '=', 'journey')
      .where('source_id', '=', journeyId)
      .orderBy('source_step')
      .orderBy('group_id')
      .execute();

  async function stepStats(c: Client, journeyId: string, step: string) {
    const r = await c.get(`/api/v1/journeys/${journeyId}/stats`);
    assert.equal(r.statusCode, 200, r.body);
    const s = r.json().steps.find((x: { id: string }) => x.id === step);
    assert.ok(s, `step ${step} in the stats`);
    return s as { entered: number; sent: number; held: number; cancelled: number; suppressed: { reason: string; count: number }[] };
  }

  async function fire() {
    await siyu.journeys.triggers.tick();
    await siyu.journeys.runner.drain();
  }

  it('a group SOP playbook enabled with two groups in one action posts once per group per fire, counted as sent', async () => {
    clock.set('2026-03-02T03:00:00Z'); // Monday 11:00
    const { ws, owner } = await workspace();
    const created = await owner.post('/api/v1/journey-playbooks/sop_daily_benefit/journeys', { activate: true, groupIds: ['wr-chat-a', 'wr-chat-b'] });
    assert.equal(created.statusCode, 201, created.body);
    const j = created.json();
    assert.deepEqual([j.status, j.liveVersion, j.issues, j.nextFireAt], ['active', 1, [], '2026-03-02T04:00:00.000Z']);

    clock.set('2026-03-02T03:59:00Z');
    await fire();
    assert.equal((await posts(ws, j.id)).length, 0, 'nothing before 12:00 local');

    clock.set('2026-03-02T04:00:00Z');
    await fire();
    const first = await posts(ws, j.id);
    assert.deepEqual(
      first.map((p) => [p.group_id, p.source_step, p.status, p.reason, p.driver, p.channel, p.sent_at?.toISOString()]),
      [
        ['wr-chat-a', 'benefit', 'sent', null, 'outbox', 'group', '2026-03-02T04:00:00.000Z'],
        ['wr-chat-b', 'benefit', 'sent', null, 'outbox', 'group', '2026-03-02T04:00:00.000Z'],
      ],
    );
    assert.equal(first[0]!.body, '🎁 今日群友福利：限时 9.9 元秒杀，数量有限，先到先得～', 'the {benefit|…} fallback is used');

    await fire();
    clock.set('2026-03-02T04:00:30Z');
    await fire();
    assert.equal((await posts(ws, j.id)).length, 2, 'a second tick for the same fire adds nothing');
    const s = await stepStats(owner, j.id, 'benefit');
    assert.deepEqual([s.entered, s.sent, s.held, s.suppressed], [2, 2, 0, []]);

    const listed = await owner.get(`/api/v1/group-posts?sourceId=${j.id}&status=sent`);
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(listed.json().items.map((p: { groupId: string }) => p.groupId).sort(), ['wr-chat-a', 'wr-chat-b']);

    clock.set('2026-03-03T04:00:00Z'); // the next day's fire
    await fire();
    assert.equal((await posts(ws, j.id)).length, 4, 'one more post per group the next day');
    assert.equal((await stepStats(owner, j.id, 'benefit')).sent, 4);
    await owner.post(`/api/v1/journeys/${j.id}/stop`, {});
  });

  it('a post falling in quiet hours is held and released at 08:00 through the checks again', async () => {
    clock.set('2026-03-10T15:00:00Z'); // 23:00
    const { ws, owner } = await workspace();
    const id = await sop(owner, '30 23 * * *', ['wr-night'], [{ id: 'late', type: 'send', channel: 'group', content: { text: '夜猫子福利' } }]);
    clock.set('2026-03-10T15:30:00Z'); // 23:30
    await fire();
    const held = await posts(ws, id);
    assert.deepEqual(held.map((p) => [p.status, p.reason, p.release_at?.toISOString(), p.body]), [['held', 'quiet_hours', '2026-03-11T00:00:00.000Z', null]]);
    assert.equal((await stepStats(owner, id, 'late')).held, 1);

    clock.set('2026-03-10T23:59:00Z'); // 07:59
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.equal((await posts(ws, id))[0]!.status, 'held', 'still quiet at 07:59');

    clock.set('2026-03-11T00:00:00Z'); // 08:00
    const summary = await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.ok(summary.sent >= 1);
    const [released] = await posts(ws, id);
    assert.deepEqual([released!.status, released!.reason, released!.release_at, released!.sent_at?.toISOString(), released!.body], ['sent', null, null, '2026-03-11T00:00:00.000Z', '夜猫子福利']);
    const s = await stepStats(owner, id, 'late');
    assert.deepEqual([s.sent, s.held], [1, 0]);
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });

  it('a paused journey\'s held post waits until the resume; a stop cancels held posts', async () => {
    clock.set('2026-03-12T15:00:00Z');
    const { ws, owner } = await workspace();
    const paused = await sop(owner, '30 23 * * *', ['wr-p1', 'wr-p2'], [{ id: 'late', type: 'send', channel: 'group', content: { text: '晚间提醒' } }]);
    const stopped = await sop(owner, '30 23 * * *', ['wr-s1'], [{ id: 'late', type: 'send', channel: 'group', content: { text: '晚间提醒' } }]);
    clock.set('2026-03-12T15:30:00Z'); // 23:30
    await fire();
    assert.deepEqual((await posts(ws, paused)).map((p) => p.status), ['held', 'held']);
    assert.deepEqual((await posts(ws, stopped)).map((p) => p.status), ['held']);

    assert.equal((await owner.post(`/api/v1/journeys/${paused}/pause`, {})).json().status, 'paused');
    const stop = await owner.post(`/api/v1/journeys/${stopped}/stop`, {});
    assert.equal(stop.statusCode, 200, stop.body);
    assert.deepEqual((await posts(ws, stopped)).map((p) => [p.status, p.reason, p.release_at]), [['cancelled', 'cancelled', null]]);
    assert.equal((await stepStats(owner, stopped, 'late')).cancelled, 1);

    clock.set('2026-03-13T00:05:00Z'); // 08:05: quiet hours over, but one journey is paused and the other stopped
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual((await posts(ws, paused)).map((p) => p.status), ['held', 'held'], 'nothing goes out while paused');
    assert.deepEqual((await posts(ws, stopped)).map((p) => p.status), ['cancelled'], 'a cancelled post never goes out');

    clock.set('2026-03-13T01:00:00Z'); // 09:00
    assert.equal((await owner.post(`/api/v1/journeys/${paused}/resume`, {})).json().status, 'active');
    await siyu.messaging.releaser.releaseDue({ workspaceId: ws });
    assert.deepEqual((await posts(ws, paused)).map((p) => [p.status, p.sent_at?.toISOString()]), [['sent', '2026-03-13T01:00:00.000Z'], ['sent', '2026-03-13T01:00:00.000Z']]);
    assert.equal((await stepStats(owner, paused, 'late')).sent, 2);
    await owner.post(`/api/v1/journeys/${paused}/stop`, {});
  });

  it('a blocked advertising-law term suppresses with adlaw_blocked; a missing variable with template_error naming it', async () => {
    clock.set('2026-03-16T02:00:00Z'); // 10:00
    const { ws, owner } = await workspace();
    const id = await sop(owner, '5 10 * * *', ['wr-x'], [
      { id: 'claim', type: 'send', channel: 'group', content: { text: '全网最佳的面霜，今天群内特价' }, next: 'gift' },
      { id: 'gift', type: 'send', channel: 'group', content: { text: '今日赠品：{gift}，{note|先到先得}' } },
    ]);
    clock.set('2026-03-16T02:05:00Z');
    await fire();
    const rows = await posts(ws, id);
    assert.deepEqual(rows.map((p) => [p.source_step, p.status, p.reason]), [['claim', 'suppressed', 'adlaw_blocked'], ['gift', 'suppressed', 'template_error']]);
    assert.ok(((rows[0]!.reason_detail as { words: string[] }).words).includes('最佳'), JSON.stringify(rows[0]!.reason_detail));
    assert.deepEqual(rows[1]!.reason_detail, { error: 'missing_variable', variables: ['gift'] });
    assert.deepEqual((await stepStats(owner, id, 'claim')).suppressed, [{ reason: 'adlaw_blocked', count: 1 }]);
    assert.deepEqual((await stepStats(owner, id, 'gift')).suppressed, [{ reason: 'template_error', count: 1 }]);
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });

  it('from a playbook, groupIds must be 1–1000 non-empty ids, fit only group SOPs, and a group SOP without groups saves nothing', async () => {
    const { ws, owner } = await workspace();
    const url = '/api/v1/journey-playbooks/sop_weekly_live/journeys';
    for (const [groupIds, field, reason] of [
      [[], 'groupIds', 'too_small'],
      [[''], 'groupIds[0]', 'too_small'],
      [['   '], 'groupIds[0]', 'too_small'],
      [Array.from({ length: 1001 }, (_, n) => `g${n}`), 'groupIds', 'too_big'],
      ['wr-1', 'groupIds', 'invalid_type'],
    ] as const) {
      const r = await owner.post(url, { activate: true, groupIds });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().error.code, 'validation_failed');
      assert.deepEqual([r.json().error.details[0].field, r.json().error.details[0].reason], [field, reason], JSON.stringify(groupIds).slice(0, 40));
    }
    const lifecycle = await owner.post('/api/v1/journey-playbooks/welcome_new_friends/journeys', { activate: true, groupIds: ['wr-1'] });
    assert.equal(lifecycle.statusCode, 400, lifecycle.body);
    assert.deepEqual([lifecycle.json().error.code, lifecycle.json().error.details[0].field, lifecycle.json().error.details[0].reason], ['journey.playbook_groups', 'groupIds', 'not_group_sop']);
    const noGroups = await owner.post(url, { activate: true });
    assert.equal(noGroups.statusCode, 400, noGroups.body);
    assert.deepEqual(noGroups.json().error.details.map((d: { field: string; reason: string }) => [d.field, d.reason]), [['definition.trigger.audience.groupIds', 'no_groups']]);
    assert.equal((await siyu.db.selectFrom('journeys').select('id').where('workspace_id', '=', ws).execute()).length, 0, 'nothing saved');

    const draft = await owner.post(url, { groupIds: ['wr-1', 'wr-1', 'wr-2'] });
    assert.equal(draft.statusCode, 201, draft.body);
    assert.deepEqual([draft.json().status, draft.json().definition.trigger.audience.groupIds, draft.json().issues], ['draft', ['wr-1', 'wr-2'], []]);
  });
});
