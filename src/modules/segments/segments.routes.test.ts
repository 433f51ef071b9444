import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { systemContext } from '../../platform/http/context.ts';

const NOW = new Date('2025-06-01T04:00:00Z');

describeEachDatabase('segments API: validation, preview, saved segments', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  let viewer: Client;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock: new ManualClock(NOW) }));
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const ctx = systemContext(ws, 'test');
    const day = (d: number) => `2025-05-${String(d).padStart(2, '0')}T10:00:00+08:00`;
    const r = await siyu.events.ingestEvents(ctx, [
      { id: 'a1', type: 'checkin', occurredAt: day(20), identities: [{ type: 'wechat_unionid', value: 'u-a' }], profile: { name: '王芳', city: '上海' } },
      { id: 'a2', type: 'checkin', occurredAt: day(21), identities: [{ type: 'wechat_unionid', value: 'u-a' }] },
      { id: 'b1', type: 'checkin', occurredAt: day(21), identities: [{ type: 'wechat_unionid', value: 'u-b' }], profile: { name: '李娜', city: '杭州' } },
    ]);
    assert.equal(r.accepted, 3);
    // What the worker does on customers.changed (no worker runs here): refresh the facts.
    await siyu.segments.membership.reconcile(ws);
  });
  after(async () => app?.close());

  const twice = { type: 'event', eventType: 'checkin', op: 'gte', value: 2, window: { lastDays: 30 } };

  it('names the bad node of an invalid rule by its path, and changes nothing', async () => {
    const bad = { type: 'and', children: [twice, { type: 'event', eventType: 'checkin', op: 'between', value: 3, window: { lastDays: 30 } }] };
    const res = await owner.post('/api/v1/segments', { name: '坏规则', rule: bad });
    assert.equal(res.statusCode, 400, res.body);
    const error = res.json().error as { code: string; details: { field: string; reason: string }[] };
    assert.equal(error.code, 'validation_failed');
    assert.ok(error.details.some((d) => d.field.startsWith('rule.children[1]') || d.field.startsWith('rule.children.1')), JSON.stringify(error.details));
    const unknownTag = await owner.post('/api/v1/segments/validate', { rule: { type: 'tags', op: 'has_any', value: ['00000000-0000-4000-8000-000000000000'] } });
    assert.equal(unknownTag.statusCode, 400, unknownTag.body);
    assert.equal(unknownTag.json().error.code, 'segment.invalid_rule');
    assert.equal(unknownTag.json().error.details[0].field.startsWith('rule'), true);
    assert.equal((await owner.get('/api/v1/segments')).json().items.length, 0);
  });

  it('gives a cross-field check its own reason, not a generic one', async () => {
    const reversed = { type: 'event', eventType: 'checkin', op: 'gte', value: 1, window: { from: '2025-05-10', to: '2025-05-01' } };
    const res = await owner.post('/api/v1/segments/validate', { rule: { type: 'and', children: [twice, reversed] } });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(
      (res.json().error.details as { field: string; reason: string }[]).map((d) => [d.field, d.reason]),
      [['rule.children[1].window.to', 'empty_range']],
    );
  });

  it('does not re-evaluate a segment saved again with the same rule in another key order', async () => {
    const created = await owner.post('/api/v1/segments', { name: '重存', rule: twice });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    await siyu.segments.membership.evaluateSegment(ws, id, 'rule');
    const evaluated = (await owner.get(`/api/v1/segments/${id}`)).json().evaluatedAt as string;
    assert.ok(evaluated);
    const reordered = { window: { lastDays: 30 }, value: 2, op: 'gte', eventType: 'checkin', type: 'event' };
    const same = await owner.patch(`/api/v1/segments/${id}`, { rule: reordered, description: '同一规则' });
    assert.equal(same.statusCode, 200, same.body);
    assert.equal(same.json().evaluatedAt, evaluated);
    const changed = await owner.patch(`/api/v1/segments/${id}`, { rule: { ...twice, value: 3 } });
    assert.equal(changed.json().evaluatedAt, null);
    assert.equal((await owner.delete(`/api/v1/segments/${id}`)).statusCode, 200);
  });

  it('previews a count and a sample while editing', async () => {
    const res = await owner.post('/api/v1/segments/preview', { rule: twice, sampleSize: 5 });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { count: number; sample: { name: string }[] };
    assert.equal(body.count, 1);
    assert.deepEqual(body.sample.map((c) => c.name), ['王芳']);
    const either = await owner.post('/api/v1/segments/preview', { rule: { type: 'or', children: [twice, { type: 'city', op: 'eq', value: '杭州' }] } });
    assert.equal(either.json().count, 2);
  });

  it('saves a segment, evaluates it, lists its members, pauses and deletes it; a viewer only reads', async () => {
    const created = await owner.post('/api/v1/segments', { name: '常签到', rule: twice });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    await siyu.segments.membership.evaluateSegment(ws, id, 'rule');
    const members = await viewer.get(`/api/v1/segments/${id}/members`);
    assert.equal(members.statusCode, 200, members.body);
    assert.deepEqual((members.json().items as { name: string }[]).map((m) => m.name), ['王芳']);
    assert.equal((await viewer.post('/api/v1/segments', { name: 'x', rule: twice })).statusCode, 403);

    const paused = await owner.patch(`/api/v1/segments/${id}`, { status: 'paused' });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json().status, 'paused');
    assert.equal((await owner.delete(`/api/v1/segments/${id}`)).statusCode, 200);
    assert.equal((await owner.get(`/api/v1/segments/${id}`)).statusCode, 404);
  });
});
