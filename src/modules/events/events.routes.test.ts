import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const NOW = new Date('2025-06-01T04:00:00Z');

describeEachDatabase('events ingestion API', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let api: ReturnType<typeof apiKeyClient>;
  let token: string;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    ws = seeded.workspaceId;
    const owner = await signIn(app, seeded.users.owner.email, ws);
    const key = await owner.post('/api/v1/api-keys', { name: 'shop', scopes: ['events.write'] });
    token = key.json().token;
    api = apiKeyClient(app, token);
  });
  after(async () => app?.close());

  const ev = (id: string, type: string, at: string, identities: object[], extra: object = {}) => ({ id, type, occurredAt: at, identities, ...extra });
  const stats = (customerId: number) =>
    siyu.db.selectFrom('customer_stats').selectAll().where('workspace_id', '=', ws).where('customer_id', '=', customerId).executeTakeFirstOrThrow();

  it('accepts a batch, attributes each event to one customer, and answers duplicates on replay', async () => {
    const batch = [
      ev('e1', 'wecom.friend_added', '2025-05-01T10:00:00+08:00', [{ type: 'wecom_external_userid', scope: 'corp1', value: 'wm-1' }], {
        profile: { nickname: '小雨', city: '杭州' },
      }),
      ev('e2', 'product.viewed', '2025-05-02T10:00:00+08:00', [{ type: 'wecom_external_userid', scope: 'corp1', value: 'wm-1' }, { type: 'mobile', value: '138 0013 8000', verified: true }], {
        properties: { productId: 'p-1', priceFen: 9900 },
      }),
      ev('e3', 'page.viewed', '2025-05-03T10:00:00+08:00', [{ type: 'wechat_unionid', value: 'u-other' }], { properties: { url: 'https://shop.example/a' } }),
    ];
    const res = await api.post('/api/v1/events', { events: batch });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual([body.accepted, body.duplicates, body.rejected], [3, 0, 0]);
    assert.equal(body.results[0].customerId, body.results[1].customerId);
    assert.notEqual(body.results[0].customerId, body.results[2].customerId);
    const customer = await siyu.db.selectFrom('customers').selectAll().where('workspace_id', '=', ws).where('id', '=', body.results[0].customerId).executeTakeFirstOrThrow();
    assert.equal(customer.nickname, '小雨');
    assert.equal(customer.mobile, '+8613800138000');
    assert.equal(customer.joined_at?.toISOString(), '2025-05-01T02:00:00.000Z');

    const replay = (await api.post('/api/v1/events', { events: batch })).json();
    assert.deepEqual([replay.accepted, replay.duplicates], [0, 3]);
    const count = await siyu.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 3);
    const s = await stats(body.results[0].customerId);
    assert.equal(s.interaction_count, 2);
  });

  it('rejects bad events with their field and reason while the good ones commit', async () => {
    const id = [{ type: 'wechat_unionid', value: 'u-mixed' }];
    const res = await api.post('/api/v1/events', {
      events: [
        ev('m1', 'checkin', '2025-05-04T10:00:00+08:00', id),
        ev('m2', 'order.paid', '2025-05-04T10:00:00+08:00', id),
        ev('m3', 'no.such.type', '2025-05-04T10:00:00+08:00', id),
        ev('m4', 'checkin', '2025-02-30T10:00:00+08:00', id),
        ev('m5', 'checkin', '2025-05-04T10:00:00', id),
        ev('m6', 'product.viewed', '2025-05-04T10:00:00+08:00', id, { properties: { priceFen: -1 } }),
        ev('m7', 'checkin', '2025-05-04T10:00:00+08:00', [{ type: 'mobile', value: '12' }]),
        ev('m8', 'custom.quiz_started', '2025-05-04T10:00:00+08:00', id, { properties: { anything: [1, 2] } }),
        { id: 'm9', type: 'checkin' },
        ev('m1', 'checkin', '2025-05-04T11:00:00+08:00', id),
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json().results as { status: string; field?: string; reason?: string }[];
    assert.deepEqual(r.map((x) => x.status), ['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted', 'rejected', 'duplicate']);
    assert.equal(r[1]!.reason, 'reserved_type');
    assert.equal(r[2]!.reason, 'unknown_type');
    assert.deepEqual([r[3]!.field, r[3]!.reason], ['events[3].occurredAt', 'invalid_format']);
    assert.equal(r[4]!.field, 'events[4].occurredAt');
    assert.equal(r[5]!.field, 'events[5].properties.productId');
    assert.deepEqual([r[6]!.field, r[6]!.reason], ['events[6].identities[0].value', 'invalid_mobile']);
    assert.equal(r[8]!.field, 'events[8].occurredAt');
    const stored = await siyu.db.selectFrom('events').select('client_id').where('workspace_id', '=', ws).where('client_id', 'like', 'm%').orderBy('client_id').execute();
    assert.deepEqual(stored.map((s) => s.client_id), ['m1', 'm8']);
  });

  it('refuses an oversized batch as a whole with a clear code, storing nothing', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ev(`big-${i}`, 'checkin', '2025-05-04T10:00:00+08:00', [{ type: 'wechat_unionid', value: `u-big-${i}` }]));
    const res = await api.post('/api/v1/events', { events });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'events.batch_too_large');
    const empty = await api.post('/api/v1/events', { events: [] });
    assert.equal(empty.statusCode, 400);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"events": [' });
    assert.equal(bad.json().error.code, 'invalid_json');
  });

  it('places late events at their time: first and last interaction and joined_at follow occurred_at', async () => {
    const who = [{ type: 'member_card', value: 'card-late' }];
    await api.post('/api/v1/events', { events: [ev('l1', 'checkin', '2025-05-10T10:00:00+08:00', who)] });
    const res = (await api.post('/api/v1/events', { events: [ev('l2', 'group.joined', '2025-04-01T10:00:00+08:00', who, { properties: { groupId: 'g1' } })] })).json();
    const s = await stats(res.results[0].customerId);
    assert.equal(s.first_interaction_at?.toISOString(), '2025-04-01T02:00:00.000Z');
    assert.equal(s.last_interaction_at?.toISOString(), '2025-05-10T02:00:00.000Z');
    assert.equal(s.interaction_count, 2);
    const c = await siyu.db.selectFrom('customers').select('joined_at').where('workspace_id', '=', ws).where('id', '=', res.results[0].customerId).executeTakeFirstOrThrow();
    assert.equal(c.joined_at?.toISOString(), '2025-04-01T02:00:00.000Z');
  });

  it('lets console users with events.write send events, and refuses viewers', async () => {
    const viewerEmail = (await siyu.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('users.email').where('workspace_id', '=', ws).where('role', '=', 'viewer').executeTakeFirstOrThrow()).email;
    const viewer = await signIn(app, viewerEmail, ws);
    const res = await viewer.post('/api/v1/events', { events: [ev('v1', 'checkin', '2025-05-04T10:00:00+08:00', [{ type: 'wechat_unionid', value: 'u-v' }])] });
    assert.equal(res.statusCode, 403);
  });
});
