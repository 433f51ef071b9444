import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { DAY_MS } from './rule-evaluation.ts';

const START = new Date('2025-06-01T04:00:00Z');
let seq = 0;

describeEachDatabase('tag rules: live application, windows passing, purchases, merges', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let operator: Client;
  let viewer: Client;
  let outsider: Client;
  let key: ReturnType<typeof apiKeyClient>;
  let groupId: string;
  let emails: { operator: string; viewer: string; outsider: string; otherWs: string };
  const clock = new ManualClock(START);
  /** Moves time on; sessions age with it, so sign in again. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    operator = await signIn(app, emails.operator, ws);
    viewer = await signIn(app, emails.viewer, ws);
    outsider = await signIn(app, emails.outsider, emails.otherWs);
  };

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    await siyu.jobs.start();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    const owner = await signIn(app, seeded.users.owner.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    emails = { operator: seeded.users.operator.email, viewer: seeded.users.viewer.email, outsider: other.users.owner.email, otherWs: other.workspaceId };
    await advance(0);
    const created = await owner.post('/api/v1/api-keys', { name: 'shop', scopes: ['events.write', 'orders.write', 'tags.read'] });
    key = apiKeyClient(app, created.json().token);
    groupId = (await operator.post('/api/v1/tag-groups', { name: '行为', kind: 'consumption' })).json().id;
  });
  after(async () => {
    await siyu?.jobs.stop();
    await app?.close();
  });

  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();
  const send = async (unionid: string, type: string, properties: object, atMs = 0) => {
    const res = await key.post('/api/v1/events', { events: [{ id: `r-${++seq}`, type, occurredAt: iso(atMs), identities: [{ type: 'wechat_unionid', value: unionid }], properties }] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().results[0].status, 'accepted', res.body);
    return res.json().results[0].customerId as number;
  };
  /** What the ingestion path publishes: the tags subscriber re-evaluates these customers. */
  const changed = (customerIds: number[], causes = ['event']) => siyu.tags.onCustomersChanged([{ workspaceId: ws, customerIds, causes }]);
  const tag = async (name: string) => (await operator.post('/api/v1/tags', { groupId, name })).json().id as string;
  const rule = async (tagId: string, definition: object, name = 'rule') => {
    const res = await operator.post('/api/v1/tag-rules', { name, tagId, definition });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; isApplied: boolean };
  };
  const tagsOf = async (customerId: number) =>
    (await viewer.get(`/api/v1/customers/${customerId}/tags`)).json().items.map((t: { name: string; source: string }) => `${t.name}:${t.source}`).sort();
  const timeline = async (customerId: number) =>
    (await siyu.db.selectFrom('events').select(['type', 'properties']).where('workspace_id', '=', ws).where('customer_id', '=', customerId).where('type', 'like', 'tag.%').orderBy('id').execute()).map(
      (e) => `${e.type}:${(e.properties as { tagName: string }).tagName}:${(e.properties as { source: string }).source}`,
    );
  const viewedBaking = { productId: 'p-1', category: '烘焙' };
  const BAKING = { conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'eq', value: '烘焙' }], minCount: 3, windowDays: 7 }] };

  it('gives 烘焙爱好者 on the third 烘焙 view in 7 days through the customers.changed subscriber, and takes it when the window passes', async () => {
    const baker = await tag('烘焙爱好者');
    const r = await rule(baker, BAKING, '烘焙浏览≥3次/7天');
    const c = await send('u-bake', 'product.viewed', viewedBaking, -3 * DAY_MS);
    await send('u-bake', 'product.viewed', { ...viewedBaking, category: '美妆' }, -2 * DAY_MS);
    await send('u-bake', 'product.viewed', viewedBaking, -DAY_MS);
    await changed([c]);
    assert.deepEqual(await tagsOf(c), [], 'two 烘焙 views are not enough');
    // The real path: an event publishes customers.changed, the worker's subscriber reacts.
    await send('u-bake', 'product.viewed', viewedBaking);
    await siyu.jobs.work();
    await siyu.db.transaction().execute((trx) => siyu.jobs.publish('customers.changed', { workspaceId: ws, customerIds: [c], causes: ['event'] }, trx));
    for (let i = 0; i < 100 && !(await tagsOf(c)).length; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await tagsOf(c), ['烘焙爱好者:rule']);
    const held = (await viewer.get(`/api/v1/customers/${c}/tags`)).json().items[0];
    assert.equal(held.ruleId, r.id);
    assert.equal(held.expiresAt, new Date(START.getTime() - 3 * DAY_MS + 7 * DAY_MS).toISOString(), 'expires when the oldest of the three views leaves the window');
    await changed([c]);
    assert.deepEqual(await timeline(c), ['tag.added:烘焙爱好者:rule'], 're-evaluating changes nothing');

    // Time passes with no new event: the scheduled re-check takes the tag back.
    await advance(3 * DAY_MS);
    await siyu.tags.recheck();
    assert.deepEqual(await tagsOf(c), ['烘焙爱好者:rule'], 'three views still in the window');
    await advance(DAY_MS + 60_000);
    await siyu.tags.recheck();
    assert.deepEqual(await tagsOf(c), []);
    assert.deepEqual(await timeline(c), ['tag.added:烘焙爱好者:rule', 'tag.removed:烘焙爱好者:rule']);
    assert.equal((await viewer.get(`/api/v1/tags/${baker}`)).json().customerCount, 0);
  });

  it('never removes a manual tag by rule, and renews a rule tag while new events keep it holding', async () => {
    const baker = (await viewer.get(`/api/v1/tags?q=${encodeURIComponent('烘焙爱好者')}`)).json().items[0].id as string;
    const m = await send('u-manual', 'checkin', {});
    await operator.post(`/api/v1/customers/${m}/tags`, { tagId: baker });
    const k = await send('u-keep', 'product.viewed', viewedBaking, -6 * DAY_MS);
    await send('u-keep', 'product.viewed', viewedBaking, -5 * DAY_MS);
    await send('u-keep', 'product.viewed', viewedBaking, -4 * DAY_MS);
    await changed([m, k]);
    assert.deepEqual(await tagsOf(k), ['烘焙爱好者:rule']);
    await advance(DAY_MS + 60_000);
    await send('u-keep', 'product.viewed', viewedBaking);
    await changed([k]);
    await siyu.tags.recheck();
    assert.deepEqual(await tagsOf(k), ['烘焙爱好者:rule'], 'a new view keeps three in the window');
    await advance(30 * DAY_MS);
    await siyu.tags.recheck();
    assert.deepEqual(await tagsOf(k), []);
    assert.deepEqual(await tagsOf(m), ['烘焙爱好者:manual'], 'manual tags stay');
  });

  it('applies a new rule to existing customers in the background and previews who it holds for', async () => {
    const active = await tag('活动参与');
    const ids = [await send('u-a1', 'checkin', { activityId: 'a-618' }), await send('u-a2', 'checkin', { activityId: 'a-618' }), await send('u-a3', 'checkin', { activityId: 'a-520' })];
    const definition = { conditions: [{ type: 'event', eventType: 'checkin', filters: [{ property: 'activityId', op: 'eq', value: 'a-618' }], windowDays: 30 }] };
    const preview = await viewer.post('/api/v1/tag-rules/preview', { definition });
    assert.deepEqual(preview.json(), { count: 2, sample: ids.slice(0, 2) });
    const r = await rule(active, definition, '参加618');
    assert.equal(r.isApplied, false);
    const job = await siyu.database.pool.query(`select data from pgboss.job where name = 'tags.apply-rules' and data->>'workspaceId' = $1`, [ws]);
    assert.ok(job.rows.length >= 1, 'a full apply was queued with the rule');
    await siyu.tags.rules.applyAll(ws);
    assert.deepEqual([await tagsOf(ids[0]!), await tagsOf(ids[2]!)], [['活动参与:rule'], []]);
    const listed = (await viewer.get('/api/v1/tag-rules')).json().items.find((x: { id: string }) => x.id === r.id);
    assert.deepEqual([listed.isApplied, listed.customerCount], [true, 2]);
    // Disabling takes back what it gave.
    await operator.patch(`/api/v1/tag-rules/${r.id}`, { enabled: false });
    await siyu.tags.rules.applyAll(ws);
    assert.deepEqual(await tagsOf(ids[0]!), []);
    assert.equal((await viewer.get(`/api/v1/tags/${active}`)).json().customerCount, 0);
  });

  it('gives 已购 on a purchase and takes it back when the order is fully refunded', async () => {
    const bought = await tag('已购');
    await rule(bought, { conditions: [{ type: 'order', category: '烘焙' }] }, '买过烘焙');
    const body = (status: string, extra: object = {}) => ({
      status, statusAt: iso(), orderedAt: iso(-60_000), totalFen: 19900, paidAt: iso(-30_000),
      items: [{ productId: 'oven-1', name: '烤箱', category: '烘焙', quantity: 1, unitPriceFen: 19900, amountFen: 19900 }],
      identities: [{ type: 'wechat_unionid', value: 'u-buyer' }], ...extra,
    });
    const put = await key.request('PUT', '/api/v1/orders/taobao/T-100', body('paid'));
    assert.equal(put.statusCode, 200, put.body);
    const c = put.json().customerId as number;
    await changed([c], ['order']);
    assert.deepEqual(await tagsOf(c), ['已购:rule']);
    clock.advance(60_000);
    await key.request('PUT', '/api/v1/orders/taobao/T-100', body('refunded', { statusAt: iso(), refundedAt: iso() }));
    await changed([c], ['order']);
    assert.deepEqual(await tagsOf(c), []);
  });

  it('moves tags with a merge and restores both customers exactly on undo', async () => {
    const x = await tag('合并X');
    const y = await tag('合并Y');
    const a = await send('u-ma', 'checkin', {});
    const b = await send('u-mb', 'checkin', {});
    await operator.post(`/api/v1/customers/${a}/tags`, { tagId: x });
    clock.advance(1000);
    await operator.post(`/api/v1/tags/${x}/customers`, { customerIds: [b] });
    await operator.post(`/api/v1/customers/${b}/tags`, { tagId: y });
    const rowsOf = async (id: number) =>
      (await siyu.db.selectFrom('customer_tags').select(['tag_id', 'source', 'added_by', 'added_at']).where('workspace_id', '=', ws).where('customer_id', '=', id).orderBy('tag_id').execute()).map((r) => JSON.stringify(r));
    const beforeA = await rowsOf(a);
    const beforeB = await rowsOf(b);
    const merged = await operator.post(`/api/v1/customers/${a}/merge`, { otherId: b });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.deepEqual(await tagsOf(a), ['合并X:manual', '合并Y:manual']);
    assert.deepEqual(await rowsOf(b), []);
    const counts = async () => [(await viewer.get(`/api/v1/tags/${x}`)).json().customerCount, (await viewer.get(`/api/v1/tags/${y}`)).json().customerCount];
    assert.deepEqual(await counts(), [1, 1]);
    assert.equal((await operator.post(`/api/v1/customers/${b}/tags`, { tagId: x })).json().error.code, 'customer.merged');
    const undo = await operator.post(`/api/v1/customer-merges/${merged.json().mergeId}/undo`);
    assert.equal(undo.statusCode, 200, undo.body);
    assert.deepEqual(await rowsOf(a), beforeA);
    assert.deepEqual(await rowsOf(b), beforeB);
    assert.deepEqual(await counts(), [2, 1]);
    assert.deepEqual(await timeline(b), ['tag.added:合并X:manual', 'tag.added:合并Y:manual'], "b's tag events came back with it");
  });

  it('rejects bad rules with the path of the bad field, and keeps workspaces apart', async () => {
    const t = await tag('校验规则');
    const cases: [object, string, string][] = [
      [{ conditions: [{ type: 'event', eventType: 'viewed_something' }] }, 'definition.conditions[0].eventType', 'tag_rule.invalid_definition'],
      [{ conditions: [{ type: 'event', eventType: 'tag.added' }] }, 'definition.conditions[0].eventType', 'tag_rule.invalid_definition'],
      [{ conditions: [{ type: 'event', eventType: 'checkin', filters: [{ property: 'x', op: 'in', value: 'a' }] }] }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ conditions: [{ type: 'event', eventType: 'checkin', windowDays: 0 }] }, 'definition.conditions[0].windowDays', 'validation_failed'],
      [{ conditions: [{ type: 'visit' }] }, 'definition.conditions[0].type', 'validation_failed'],
      [{ match: 'some', conditions: [{ type: 'order' }] }, 'definition.match', 'validation_failed'],
    ];
    for (const [definition, field, code] of cases) {
      const res = await operator.post('/api/v1/tag-rules', { name: 'bad', tagId: t, definition });
      assert.equal(res.statusCode, 400, JSON.stringify(definition));
      assert.deepEqual([res.json().error.code, res.json().error.details[0].field], [code, field], res.body);
    }
    assert.equal((await viewer.get(`/api/v1/tag-rules?tagId=${t}`)).json().items.length, 0, 'nothing stored');
    const r = await rule(t, { conditions: [{ type: 'event', eventType: 'custom.shop_visited' }] });
    assert.equal((await outsider.get(`/api/v1/tag-rules/${r.id}`)).json().error.code, 'tag_rule.not_found');
    assert.equal((await outsider.patch(`/api/v1/tag-rules/${r.id}`, { enabled: false })).statusCode, 404);
    assert.equal((await outsider.delete(`/api/v1/tag-rules/${r.id}`)).statusCode, 404);
    const theirs = await outsider.post('/api/v1/tag-rules', { name: 'x', tagId: t, definition: { conditions: [{ type: 'order' }] } });
    assert.equal(theirs.json().error.code, 'tag.not_found');
    assert.equal((await viewer.patch(`/api/v1/tag-rules/${r.id}`, { enabled: false })).statusCode, 403);
  });
});
