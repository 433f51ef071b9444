import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const NOW = new Date('2025-06-01T04:00:00Z');
let seq = 0;
const ev = (identities: object[], extra: object = {}, at = '2025-05-01T10:00:00+08:00', type = 'checkin') => ({ id: `c-${++seq}`, type, occurredAt: at, identities, ...extra });
const union = (v: string) => ({ type: 'wechat_unionid', value: v });
const mobile = (v: string, verified = true) => ({ type: 'mobile', value: v, verified });

describeEachDatabase('customers API: OneID, merges, reviews, search, profile', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  let operator: Client;
  let viewer: Client;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    operator = await signIn(app, seeded.users.operator.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
  });
  after(async () => app?.close());

  const send = async (...events: object[]) => {
    const res = await owner.post('/api/v1/events', { events });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().results as { status: string; customerId: number }[];
  };
  const eventCustomer = async (clientId: string) =>
    (await siyu.db.selectFrom('events').select('customer_id').where('workspace_id', '=', ws).where('client_id', '=', clientId).executeTakeFirstOrThrow()).customer_id;

  it('merges customers that share a verified mobile, points the merged id to the survivor, and undoes exactly', async () => {
    const [a] = await send(ev([union('u-a')], { profile: { name: '王芳' } }));
    const [b] = await send(ev([mobile('13811110001')], { profile: { city: '上海' } }));
    const bEvent = `c-${seq}`;
    const [joined] = await send(ev([union('u-a'), mobile('13811110001')]));
    assert.equal(joined!.customerId, a!.customerId);
    const merged = (await owner.get(`/api/v1/customers/${b!.customerId}`)).json();
    assert.equal(merged.mergedInto, a!.customerId);
    const survivor = (await owner.get(`/api/v1/customers/${a!.customerId}`)).json();
    assert.equal(survivor.city, '上海', 'empty fields filled from the merged customer');
    assert.equal(survivor.identities.length, 2);
    assert.equal(survivor.stats.interactionCount, 3);
    assert.equal(await eventCustomer(bEvent), a!.customerId);
    // An event through B's mobile after the merge goes back to B on undo.
    const [late] = await send(ev([mobile('13811110001')], {}, '2025-05-05T10:00:00+08:00'));
    const lateId = `c-${seq}`;
    assert.equal(late!.customerId, a!.customerId);

    const timeline = (await owner.get(`/api/v1/customers/${a!.customerId}/timeline`)).json();
    const mergeItem = timeline.items.find((i: { kind: string }) => i.kind === 'merge');
    assert.ok(mergeItem, 'the merge is on the timeline');
    const undo = await operator.post(`/api/v1/customer-merges/${mergeItem.data.mergeId}/undo`);
    assert.equal(undo.statusCode, 200, undo.body);
    assert.equal(await eventCustomer(bEvent), b!.customerId);
    assert.equal(await eventCustomer(lateId), b!.customerId);
    const restored = (await owner.get(`/api/v1/customers/${b!.customerId}`)).json();
    assert.equal(restored.mergedInto, null);
    assert.equal(restored.stats.interactionCount, 2);
    const back = (await owner.get(`/api/v1/customers/${a!.customerId}`)).json();
    assert.deepEqual([back.city, back.identities.length, back.stats.interactionCount], [null, 1, 2]);
    assert.equal((await operator.post(`/api/v1/customer-merges/${mergeItem.data.mergeId}/undo`)).json().error.code, 'merge.already_undone');
    const audit = await siyu.db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws).where('action', 'in', ['customer.merge', 'customer.unmerge']).execute();
    assert.equal(audit.length, 2);
  });

  it('never merges different unionids automatically: a conflict review an operator resolves', async () => {
    const [x] = await send(ev([union('u-x'), { type: 'member_card', value: 'MC-1' }]));
    const [y] = await send(ev([union('u-y'), mobile('13922220002')]));
    const [z] = await send(ev([{ type: 'member_card', value: 'MC-1' }, mobile('13922220002')]));
    assert.equal(z!.customerId, x!.customerId);
    const list = (await viewer.get('/api/v1/merge-reviews?kind=strong_conflict')).json();
    const review = list.items.find((r: { customerA: { id: number }; customerB: { id: number } }) => r.customerA.id === x!.customerId && r.customerB.id === y!.customerId);
    assert.ok(review, JSON.stringify(list));
    assert.equal(review.customerB.mobile, '139****0002');
    assert.equal((await viewer.post(`/api/v1/merge-reviews/${review.id}/resolve`, { action: 'merge' })).statusCode, 403);
    const resolved = await operator.post(`/api/v1/merge-reviews/${review.id}/resolve`, { action: 'merge' });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal((await owner.get(`/api/v1/customers/${y!.customerId}`)).json().mergedInto, x!.customerId);
    assert.equal((await operator.post(`/api/v1/merge-reviews/${review.id}/resolve`, { action: 'dismiss' })).json().error.code, 'review.decided');
  });

  it('merges manually on request and refuses to undo once the survivor was merged away', async () => {
    const [p] = await send(ev([{ type: 'email', value: 'p@example.cn' }]));
    const [q] = await send(ev([{ type: 'email', value: 'q@example.cn' }]));
    const [r] = await send(ev([{ type: 'email', value: 'r@example.cn' }]));
    const first = (await operator.post(`/api/v1/customers/${p!.customerId}/merge`, { otherId: q!.customerId })).json();
    await operator.post(`/api/v1/customers/${r!.customerId}/merge`, { otherId: p!.customerId });
    const res = await operator.post(`/api/v1/customer-merges/${first.mergeId}/undo`);
    assert.equal(res.json().error.code, 'merge.survivor_merged');
    assert.equal((await owner.get(`/api/v1/customers/${q!.customerId}`)).json().mergedInto, r!.customerId, 'the pointer follows the chain');
    assert.equal((await operator.post(`/api/v1/customers/${r!.customerId}/merge`, { otherId: r!.customerId })).statusCode, 400);
  });

  it('searches by name, phone (full, masked, last four), identity and attribute, masking phones without customers.pii', async () => {
    await owner.post('/api/v1/attribute-definitions', { key: 'skin_type', labelZh: '肤质', labelEn: 'Skin type', type: 'enum', options: ['dry', 'oily'] });
    const [c] = await send(ev([mobile('13755556666'), { type: 'taobao_buyer_id', value: 'tb-search' }], { profile: { name: '李静怡', nickname: 'Jingyi' } }));
    const patched = await owner.patch(`/api/v1/customers/${c!.customerId}`, { attributes: { skin_type: 'dry' }, gender: 'female' });
    assert.equal(patched.statusCode, 200, patched.body);
    const bad = await owner.patch(`/api/v1/customers/${c!.customerId}`, { attributes: { skin_type: 'wet' } });
    assert.deepEqual([bad.statusCode, bad.json().error.details[0].field], [400, 'attributes.skin_type']);
    const find = async (client: Client, query: string) => (await client.get(`/api/v1/customers?${query}`)).json().items.map((i: { id: number; mobile: string }) => [i.id, i.mobile]);
    const masked = [[c!.customerId, '137****6666']];
    assert.deepEqual(await find(viewer, `q=${encodeURIComponent('静怡')}`), masked);
    assert.deepEqual(await find(viewer, 'q=jingyi'), masked);
    assert.deepEqual(await find(viewer, 'phone=13755556666'), masked);
    assert.deepEqual(await find(viewer, `phone=${encodeURIComponent('137****6666')}`), masked);
    assert.deepEqual(await find(viewer, 'phone=6666'), masked);
    assert.deepEqual(await find(viewer, 'identityType=taobao_buyer_id&identityValue=tb-search'), masked);
    assert.deepEqual(await find(viewer, 'attribute=skin_type%3Ddry'), masked);
    assert.deepEqual(await find(owner, 'phone=6666'), [[c!.customerId, '+8613755556666']]);
    const profile = (await viewer.get(`/api/v1/customers/${c!.customerId}`)).json();
    assert.equal(profile.identities.find((i: { type: string }) => i.type === 'mobile').value, '137****6666');
    assert.equal((await viewer.get('/api/v1/customers?phone=abc')).json().error.code, 'validation_failed');
  });

  it('pages the list by id with a stable cursor', async () => {
    const all: number[] = [];
    let cursor: number | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: number | null } = (await viewer.get(`/api/v1/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      all.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const active = await siyu.db.selectFrom('customers').select('id').where('workspace_id', '=', ws).where('merged_into', 'is', null).orderBy('id', 'desc').execute();
    assert.deepEqual(all, active.map((a) => a.id));
  });

  it('keeps notes and consent history on the timeline, paged newest first without gaps', async () => {
    const [c] = await send(ev([union('u-tl')], {}, '2025-05-01T10:00:00+08:00'), ev([union('u-tl')], {}, '2025-05-01T10:00:00+08:00'), ev([union('u-tl')], {}, '2025-05-02T10:00:00+08:00'));
    const id = c!.customerId;
    assert.equal((await operator.post(`/api/v1/customers/${id}/notes`, { body: '喜欢小样' })).statusCode, 201);
    const consent = await operator.post(`/api/v1/customers/${id}/consent`, { status: 'denied', purpose: 'marketing', channel: 'all' });
    assert.equal(consent.json().consentStatus, 'denied');
    assert.equal(consent.json().consents.length, 1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { kind: string; id: string }[]; nextCursor: string | null } = (await viewer.get(`/api/v1/customers/${id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i) => `${i.kind}:${i.id}`));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual(seen.slice(0, 2).map((s) => s.split(':')[0]).sort(), ['consent', 'note']);
    assert.equal((await viewer.get(`/api/v1/customers/${id}/timeline?cursor=garbage`)).json().error.code, 'timeline.invalid_cursor');
  });

  it('lets a workspace add identity types that events can use at once', async () => {
    const created = await owner.post('/api/v1/identity-types', { key: 'app_member_id', labelZh: '小程序会员', labelEn: 'App member', strength: 'strong' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await owner.post('/api/v1/identity-types', { key: 'app_member_id', labelZh: 'x', labelEn: 'x', strength: 'weak' })).statusCode, 409);
    const [r] = await send(ev([{ type: 'app_member_id', value: 'AM-1' }]));
    assert.equal(r!.status, 'accepted');
    assert.equal((await owner.delete('/api/v1/identity-types/app_member_id')).json().error.code, 'identity_type.in_use');
    assert.equal((await owner.delete('/api/v1/identity-types/mobile')).json().error.code, 'identity_type.builtin');
    assert.equal((await operator.post('/api/v1/identity-types', { key: 'zz', labelZh: 'x', labelEn: 'x', strength: 'weak' })).statusCode, 403);
  });

  it('answers 404 for another workspace’s customer', async () => {
    const other = await seedWorkspace(siyu, ['owner']);
    const outsider = await signIn(app, other.users.owner.email, other.workspaceId);
    const [mine] = await send(ev([union('u-private')]));
    const res = await outsider.get(`/api/v1/customers/${mine!.customerId}`);
    assert.deepEqual([res.statusCode, res.json().error.code], [404, 'customer.not_found']);
    assert.equal((await outsider.post(`/api/v1/customers/${mine!.customerId}/notes`, { body: 'x' })).statusCode, 404);
  });
});
