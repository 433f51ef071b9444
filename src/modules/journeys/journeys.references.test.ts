/**
 * What a definition names outside itself — tags, segments, members — must exist in the
 * workspace before it goes live, and a tag deleted after that must not stall the runner or
 * the minute tick.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000001';

describeEachDatabase('journeys: references to tags, segments and members', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  let outsider: Client;
  let operatorId: string;
  let strangerId: string;
  const clock = new ManualClock('2026-04-06T03:00:00Z');

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator']);
    ws = seeded.workspaceId;
    operatorId = seeded.users.operator.id;
    owner = await signIn(app, seeded.users.owner.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    strangerId = other.users.owner.id;
    outsider = await signIn(app, other.users.owner.email, other.workspaceId);
  });
  after(async () => app?.close());

  const tag = async (c: Client, name: string) => {
    const g = await c.post('/api/v1/tag-groups', { name: `组 ${name}`, kind: 'static' });
    assert.equal(g.statusCode, 201, g.body);
    const t = await c.post('/api/v1/tags', { groupId: g.json().id, name });
    assert.equal(t.statusCode, 201, t.body);
    return t.json().id as string;
  };
  const segment = async (c: Client, name: string) => {
    const s = await c.post('/api/v1/segments', { name, rule: { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 } });
    assert.equal(s.statusCode, 201, s.body);
    return s.json().id as string;
  };
  const issues = async (definition: unknown) => {
    const r = await owner.post('/api/v1/journeys/validate', { definition });
    assert.equal(r.statusCode, 200, r.body);
    return (r.json().issues as { field: string; reason: string }[]).map((i) => [i.field, i.reason]);
  };

  it('reports unknown or foreign tags, segments and assignees by their place, and refuses to activate', async () => {
    const mine = await tag(owner, '本店标签');
    const theirs = await tag(outsider, '别家标签');
    const mySegment = await segment(owner, '已购客户');
    const theirSegment = await segment(outsider, '别家人群');
    const manual = { type: 'manual' };
    assert.deepEqual(await issues({ trigger: manual, steps: [{ id: 't', type: 'tag', action: 'add', tagIds: [mine] }] }), []);
    assert.deepEqual(await issues({ trigger: manual, steps: [{ id: 't', type: 'tag', action: 'add', tagIds: [mine, theirs, UNKNOWN] }] }), [
      ['steps[0].tagIds[1]', 'unknown_tag'],
      ['steps[0].tagIds[2]', 'unknown_tag'],
    ]);
    const send = { id: 's', type: 'send', channel: 'wecom', content: { text: 'hi' } };
    assert.deepEqual(await issues({ trigger: { type: 'segment', segmentId: mySegment, change: 'entered' }, steps: [send], exits: [{ type: 'left_segment' }] }), []);
    assert.deepEqual(await issues({ trigger: { type: 'segment', segmentId: theirSegment, change: 'entered' }, steps: [send] }), [['trigger.segmentId', 'unknown_segment']]);
    assert.deepEqual(await issues({ trigger: { type: 'schedule', cron: '0 10 * * *', audience: { type: 'segment', segmentId: UNKNOWN } }, steps: [send] }), [['trigger.audience.segmentId', 'unknown_segment']]);
    assert.deepEqual(await issues({ trigger: manual, steps: [send], exits: [{ type: 'left_segment', segmentId: theirSegment }] }), [['exits[0].segmentId', 'unknown_segment']]);
    const task = (userId: string) => ({ id: 'k', type: 'task', kind: 'call_back', title: '回访', assignee: { type: 'user', userId }, dueInHours: 8 });
    assert.deepEqual(await issues({ trigger: manual, steps: [task(operatorId)] }), []);
    assert.deepEqual(await issues({ trigger: manual, steps: [task(strangerId)] }), [['steps[0].assignee.userId', 'not_a_member']]);

    const draft = await owner.post('/api/v1/journeys', { name: '坏引用', definition: { trigger: manual, steps: [{ id: 't', type: 'tag', action: 'add', tagIds: [theirs] }] } });
    assert.equal(draft.statusCode, 201, draft.body);
    assert.deepEqual(draft.json().issues.map((i: { field: string }) => i.field), ['steps[0].tagIds[0]']);
    const refused = await owner.post(`/api/v1/journeys/${draft.json().id}/activate`, {});
    assert.equal(refused.statusCode, 400, refused.body);
    assert.deepEqual(refused.json().error.details.map((d: { field: string; reason: string }) => [d.field, d.reason]), [['definition.steps[0].tagIds[0]', 'unknown_tag']]);
    // Nothing of the other workspace leaked into the messages.
    assert.ok(!JSON.stringify(refused.json()).includes('别家'));
  });

  it('a tag deleted while the journey is live is skipped: enrolment answers, the journey goes on and the tick keeps working', async () => {
    const kept = await tag(owner, '保留');
    const doomed = await tag(owner, '将删除');
    const created = await owner.post('/api/v1/journeys', {
      name: '打标签',
      definition: { trigger: { type: 'manual' }, steps: [{ id: 'mark', type: 'tag', action: 'add', tagIds: [doomed, kept], next: 'after' }, { id: 'after', type: 'send', channel: 'wecom', content: { text: '好' } }] },
    });
    const id = created.json().id as string;
    assert.equal((await owner.post(`/api/v1/journeys/${id}/activate`, {})).statusCode, 200);
    assert.equal((await owner.delete(`/api/v1/tags/${doomed}`)).statusCode, 200);
    const ev = await owner.post('/api/v1/events', { events: [{ id: 'tagged-1', type: 'custom.seen', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: '13600000001' }] }] });
    const customerId = ev.json().results[0].customerId as number;

    const enrolled = await owner.post(`/api/v1/journeys/${id}/enrollments`, { customerIds: [customerId] });
    assert.equal(enrolled.statusCode, 200, enrolled.body);
    assert.equal(enrolled.json().enrolled, 1);
    const e = await siyu.db.selectFrom('journey_enrollments').select(['state']).where('workspace_id', '=', ws).where('journey_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(e.state, 'completed');
    const held = await siyu.db.selectFrom('customer_tags').select('tag_id').where('workspace_id', '=', ws).where('customer_id', '=', customerId).execute();
    assert.deepEqual(held.map((h) => h.tag_id), [kept], 'the remaining tag is given');
    clock.advance(10 * 60_000);
    await siyu.journeys.triggers.tick();
    const left = await siyu.db.selectFrom('journey_tag_effects').select('id').where('workspace_id', '=', ws).execute();
    assert.deepEqual(left, [], 'no tag change is left to fail every minute');
  });
});
