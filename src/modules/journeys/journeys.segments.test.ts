/**
 * Segment-driven journeys with the workers running: a segment entry triggers a journey after
 * ingested events make customers members, leaving the segment exits the journey, and a
 * schedule fires for the members of a segment at its local time.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, readUntil, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('journeys: segment triggers, left-segment exits and scheduled segment audiences', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  // 09:00 in Shanghai.
  const clock = new ManualClock('2026-04-08T01:00:00Z');
  let seq = 0;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    await siyu.jobs.work();
    const seeded = await seedWorkspace(siyu, ['owner']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
  });
  after(async () => app?.close());

  const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean) => readUntil(read, ok, 30_000);


  const checkIn = async (mobiles: string[]) => {
    const r = await owner.post('/api/v1/events', {
      events: mobiles.map((m) => ({ id: `ci-${++seq}`, type: 'custom.checked_in', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: m }] })),
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results.map((x: { customerId: number }) => x.customerId) as number[];
  };
  const seen = async (mobile: string) => {
    const r = await owner.post('/api/v1/events', { events: [{ id: `seen-${++seq}`, type: 'custom.seen', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: mobile }] }] });
    return r.json().results[0].customerId as number;
  };
  const segment = async (name: string, rule: unknown) => {
    const r = await owner.post('/api/v1/segments', { name, rule });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  };
  const journey = async (definition: unknown) => {
    const r = await owner.post('/api/v1/journeys', { name: `段 ${++seq}`, definition });
    assert.equal(r.statusCode, 201, r.body);
    const a = await owner.post(`/api/v1/journeys/${r.json().id}/activate`, {});
    assert.equal(a.statusCode, 200, a.body);
    return r.json().id as string;
  };
  const enrollments = (journeyId: string) =>
    siyu.db.selectFrom('journey_enrollments').select(['customer_id', 'state', 'end_reason', 'occurrence', 'trigger']).where('workspace_id', '=', ws).where('journey_id', '=', journeyId).orderBy('customer_id').execute();
  const members = async (segmentId: string) => {
    const r = await owner.get(`/api/v1/segments/${segmentId}/members`);
    return (r.json().items as { id?: number; customerId?: number }[]).map((m) => m.customerId ?? m.id).sort();
  };
  const checkedIn = { type: 'event', eventType: 'custom.checked_in', op: 'gte', value: 1, window: { lastDays: 30 } };

  it('enters customers who become members of a segment through ingested events', async () => {
    const segmentId = await segment('常签到', checkedIn);
    const id = await journey({
      trigger: { type: 'segment', segmentId, change: 'entered' },
      steps: [{ id: 'thanks', type: 'send', channel: 'wecom', content: { text: '感谢签到' } }],
    });
    const outsider = await seen('13500000009');
    const ids = await checkIn(['13500000001', '13500000002']);
    const rows = await until(() => enrollments(id), (r) => r.length === 2 && r.every((e) => e.state === 'completed'));
    assert.deepEqual(rows.map((e) => Number(e.customer_id)), [...ids].sort((a, b) => a - b));
    assert.ok(rows.every((e) => e.occurrence.startsWith(`segment:${segmentId}:entered:`)));
    assert.ok(!rows.some((e) => Number(e.customer_id) === outsider));
    const sent = await siyu.db.selectFrom('messages').select(['customer_id', 'status']).where('workspace_id', '=', ws).where('source_id', '=', id).execute();
    assert.deepEqual(sent.map((m) => m.status), ['sent', 'sent']);
    // A second check-in keeps them members: no new entry.
    await checkIn(['13500000001']);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await enrollments(id)).length, 2);
  });

  it('exits customers who leave the trigger segment', async () => {
    const g = await owner.post('/api/v1/tag-groups', { name: '会员', kind: 'static' });
    const t = await owner.post('/api/v1/tags', { groupId: g.json().id, name: 'VIP' });
    const tagId = t.json().id as string;
    const segmentId = await segment('VIP 客户', { type: 'tags', op: 'has_any', value: [tagId] });
    const id = await journey({
      trigger: { type: 'segment', segmentId, change: 'entered' },
      steps: [
        { id: 'welcome', type: 'send', channel: 'wecom', content: { text: 'VIP 欢迎' }, next: 'later' },
        { id: 'later', type: 'wait', duration: { days: 3 }, next: 'perk' },
        { id: 'perk', type: 'send', channel: 'wecom', content: { text: 'VIP 福利' } },
      ],
      exits: [{ type: 'left_segment' }],
    });
    const [a, b] = [await seen('13500000011'), await seen('13500000012')];
    assert.equal((await owner.post(`/api/v1/tags/${tagId}/customers`, { customerIds: [a, b] })).statusCode, 200);
    await until(() => enrollments(id), (r) => r.length === 2 && r.every((e) => e.state === 'active'));
    assert.equal((await owner.post(`/api/v1/tags/${tagId}/customers/remove`, { customerIds: [a] })).statusCode, 200);
    const rows = await until(() => enrollments(id), (r) => r.some((e) => e.state === 'exited'));
    assert.deepEqual(rows.map((e) => [Number(e.customer_id), e.state, e.end_reason]), [[a, 'exited', 'left_segment'], [b, 'active', null]]);
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });

  it('fires a schedule for the members of a segment at its local time', async () => {
    const segmentId = await segment('签到人群', checkedIn);
    const ids = await checkIn(['13500000021', '13500000022']);
    const outsider = await seen('13500000029');
    await until(() => members(segmentId), (m) => ids.every((id) => m.includes(id)));
    const id = await journey({
      trigger: { type: 'schedule', cron: '0 10 * * *', audience: { type: 'segment', segmentId } },
      steps: [{ id: 'daily', type: 'send', channel: 'wecom', content: { text: '今日福利' } }],
      reentry: { mode: 'always' },
    });
    const view = await owner.get(`/api/v1/journeys/${id}`);
    assert.equal(new Date(view.json().nextFireAt).toISOString(), '2026-04-08T02:00:00.000Z');
    await siyu.journeys.triggers.tick();
    assert.equal((await enrollments(id)).length, 0, 'not before 10:00');
    clock.set('2026-04-08T02:00:20Z');
    await siyu.journeys.triggers.tick();
    const rows = await until(() => enrollments(id), (r) => r.length >= 2 && r.every((e) => e.state === 'completed'));
    const entered = rows.map((e) => Number(e.customer_id));
    for (const c of ids) assert.ok(entered.includes(c), `member ${c} entered`);
    assert.ok(!entered.includes(outsider));
    assert.ok(rows.every((e) => e.occurrence === 'fire:2026-04-08T02:00:00.000Z'));
    const after = await owner.get(`/api/v1/journeys/${id}`);
    assert.equal(new Date(after.json().nextFireAt).toISOString(), '2026-04-09T02:00:00.000Z');
    await owner.post(`/api/v1/journeys/${id}/stop`, {});
  });
});
