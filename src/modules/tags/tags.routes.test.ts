import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, type Client, ManualClock, relayPublished, seedWorkspace, signIn } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const NOW = new Date('2025-06-01T04:00:00Z');
let seq = 0;

describeEachDatabase('tags API: groups, tags, manual and bulk tagging', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  let operator: Client;
  let viewer: Client;
  let outsider: Client;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    await siyu.jobs.start();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    operator = await signIn(app, seeded.users.operator.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    outsider = await signIn(app, other.users.owner.email, other.workspaceId);
  });
  after(async () => {
    await siyu?.jobs.stop();
    await app?.close();
  });

  const customer = async (name: string) => {
    const res = await owner.post('/api/v1/events', { events: [{ id: `t-${++seq}`, type: 'checkin', occurredAt: '2025-05-01T10:00:00+08:00', identities: [{ type: 'wechat_unionid', value: `u-${seq}-${name}` }], profile: { name } }] });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().results[0].customerId as number;
  };
  const group = async (name: string, kind = 'static') => {
    const res = await operator.post('/api/v1/tag-groups', { name, kind });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };
  const tag = async (groupId: string, name: string, extra: object = {}) => {
    const res = await operator.post('/api/v1/tags', { groupId, name, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; kind: string; color: string };
  };
  const count = async (tagId: string) => (await viewer.get(`/api/v1/tags/${tagId}`)).json().customerCount as number;
  const tagEvents = async (customerId: number) =>
    (await siyu.db.selectFrom('events').select(['type', 'properties', 'identity_id']).where('workspace_id', '=', ws).where('customer_id', '=', customerId).where('type', 'like', 'tag.%').orderBy('id').execute());
  const audits = async (action: string) => (await siyu.db.selectFrom('audit_log').select('details').where('workspace_id', '=', ws).where('action', '=', action).execute()).length;

  it('creates groups and tags of the three kinds with colours, unique names per group, and lists them with counts', async () => {
    const life = await group('人群属性');
    const spend = await group('消费偏好', 'consumption');
    const pregnant = await tag(life, '孕期关注', { color: 'magenta', description: '孕期相关内容的关注者' });
    const baking = await tag(spend, '烘焙爱好者');
    assert.deepEqual([pregnant.kind, pregnant.color, baking.kind, baking.color], ['static', 'magenta', 'consumption', 'blue']);
    const vip = await tag(spend, '高客单', { kind: 'tier', color: '#d4380d' });
    assert.equal(vip.kind, 'tier');
    const dup = await operator.post('/api/v1/tags', { groupId: spend, name: '烘焙爱好者' });
    assert.deepEqual([dup.statusCode, dup.json().error.code], [409, 'tag.name_taken']);
    assert.equal((await operator.post('/api/v1/tags', { groupId: life, name: '烘焙爱好者' })).statusCode, 201, 'the same name in another group is fine');
    assert.equal((await operator.post('/api/v1/tag-groups', { name: '人群属性', kind: 'static' })).json().error.code, 'tag_group.name_taken');
    const groups = (await viewer.get('/api/v1/tag-groups')).json().items;
    const spendGroup = groups.find((g: { id: string }) => g.id === spend);
    assert.deepEqual(spendGroup.tags.map((t: { name: string; customerCount: number }) => [t.name, t.customerCount]), [['烘焙爱好者', 0], ['高客单', 0]]);
    assert.deepEqual((await viewer.get('/api/v1/tags?kind=tier')).json().items.map((t: { name: string }) => t.name), ['高客单']);
    assert.deepEqual((await viewer.get(`/api/v1/tags?q=${encodeURIComponent('烘焙')}`)).json().items.length, 2);
    const renamed = await operator.patch(`/api/v1/tags/${vip.id}`, { name: '高客单价', color: 'gold' });
    assert.deepEqual([renamed.json().name, renamed.json().color], ['高客单价', 'gold']);
    assert.equal((await operator.delete(`/api/v1/tag-groups/${spend}`)).json().error.code, 'tag_group.not_empty');
    assert.ok((await audits('tag.create')) >= 4);
  });

  it('rejects bad input with the field and a stable code, changing nothing', async () => {
    const g = await group('校验');
    const before = (await viewer.get(`/api/v1/tags?groupId=${g}`)).json().items.length;
    const cases: [object, string][] = [
      [{ groupId: g, name: '' }, 'name'],
      [{ groupId: g, name: 'x', kind: 'vip' }, 'kind'],
      [{ groupId: g, name: 'x', color: 'not a colour!' }, 'color'],
      [{ groupId: 'nope', name: 'x' }, 'groupId'],
      [{ groupId: g, name: 'x', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await operator.post('/api/v1/tags', body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().error.code, 'validation_failed');
      assert.equal(res.json().error.details[0].field, field, res.body);
    }
    assert.equal((await operator.post('/api/v1/tags', { groupId: '00000000-0000-7000-8000-000000000000', name: 'x' })).json().error.code, 'tag_group.not_found');
    const big = await operator.post(`/api/v1/tags/${(await tag(g, 'big')).id}/customers`, { customerIds: Array.from({ length: 10_001 }, (_, i) => i + 1) });
    assert.deepEqual([big.statusCode, big.json().error.details[0].field], [400, 'customerIds']);
    assert.equal((await viewer.get(`/api/v1/tags?groupId=${g}`)).json().items.length, before + 1);
  });

  it('tags one customer by hand, idempotently, with who and when, on the timeline and audited', async () => {
    const g = await group('手动');
    const t = await tag(g, '健身需求');
    const c = await customer('王芳');
    clock.set('2025-06-01T05:00:00Z');
    const first = await operator.post(`/api/v1/customers/${c}/tags`, { tagId: t.id });
    assert.deepEqual(first.json(), { customerId: c, tagId: t.id, changed: true });
    assert.equal((await operator.post(`/api/v1/customers/${c}/tags`, { tagId: t.id })).json().changed, false, 'idempotent');
    const list = (await viewer.get(`/api/v1/customers/${c}/tags`)).json();
    assert.equal(list.items.length, 1);
    assert.deepEqual([list.items[0].name, list.items[0].source, list.items[0].addedAt, list.items[0].groupName], ['健身需求', 'manual', '2025-06-01T05:00:00.000Z', '手动']);
    assert.match(list.items[0].addedBy, /^operator-/);
    assert.equal(await count(t.id), 1);
    const events = await tagEvents(c);
    assert.equal(events.length, 1, 'one timeline entry, not two');
    assert.deepEqual(events[0]!.properties, { tagId: t.id, tagName: '健身需求', source: 'manual', ruleId: null });
    assert.ok(events[0]!.identity_id, 'attributed to the customer’s identity so it follows undos');
    const timeline = (await viewer.get(`/api/v1/customers/${c}/timeline`)).json();
    assert.equal(timeline.items[0].type, 'tag.added');
    assert.equal((await audits('tag.add_customer')), 2);

    assert.equal((await viewer.post(`/api/v1/customers/${c}/tags`, { tagId: t.id })).statusCode, 403);
    const removed = await operator.delete(`/api/v1/customers/${c}/tags/${t.id}`);
    assert.equal(removed.json().changed, true);
    assert.equal((await operator.delete(`/api/v1/customers/${c}/tags/${t.id}`)).json().changed, false);
    assert.deepEqual((await tagEvents(c)).map((e) => e.type), ['tag.added', 'tag.removed']);
    assert.equal(await count(t.id), 0);
    assert.equal((await operator.post('/api/v1/customers/999999/tags', { tagId: t.id })).json().error.code, 'customer.not_found');
  });

  it('tags a selection in bulk: idempotent, unknown ids skipped and reported, one audit entry, counts exact', async () => {
    const g = await group('批量');
    const t = await tag(g, '618活动');
    const ids = [await customer('a'), await customer('b'), await customer('c')];
    const res = await operator.post(`/api/v1/tags/${t.id}/customers`, { customerIds: [...ids, ids[0], 987654] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { requested: 4, changed: 3, unchanged: 0, skipped: 1, skippedIds: [987654] });
    const again = await operator.post(`/api/v1/tags/${t.id}/customers`, { customerIds: ids });
    assert.deepEqual([again.json().changed, again.json().unchanged], [0, 3]);
    assert.equal(await count(t.id), 3);
    assert.equal(await audits('tag.bulk_add'), 2);
    const off = await operator.post(`/api/v1/tags/${t.id}/customers/remove`, { customerIds: [ids[0], ids[1]] });
    assert.deepEqual([off.json().changed, off.json().unchanged], [2, 0]);
    assert.equal(await count(t.id), 1);
    assert.deepEqual((await tagEvents(ids[0]!)).map((e) => e.type), ['tag.added', 'tag.removed']);
  });

  it('tags a whole segment through the module in chunks (set-based), announcing customers.changed', async () => {
    const g = await group('分群');
    const t = await tag(g, '分群打标');
    const ids = [await customer('s1'), await customer('s2'), await customer('s3'), await customer('s4'), await customer('s5')];
    const { systemContext } = await import('../../platform/http/context.ts');
    const ctx = systemContext(ws, 'segments');
    const result = await siyu.tags.tagCustomers(ctx, t.id, ids, { chunk: 2 });
    assert.deepEqual([result.requested, result.changed, result.skipped], [5, 5, 0]);
    assert.equal(await count(t.id), 5);
    await relayPublished(siyu);
    const jobsOf = async (queue: string) =>
      (await siyu.database.pool.query<{ data: { causes: string[] } }>(`select data from pgboss.job where name = $2 and data->'customerIds' @> $1::jsonb`, [JSON.stringify([ids[4]]), queue])).rows;
    assert.ok((await jobsOf('segments.customers-changed')).some((r) => r.data.causes.includes('tag')), 'customers.changed published with cause tag');
    // Tag rules never react to tag changes: their queue does not get the message at all.
    assert.ok(!(await jobsOf('tags.customers-changed')).some((r) => r.data.causes.includes('tag')));
  });

  it('deletes a tag: taken from every holder (recorded on each timeline), its rules deleted, the count gone', async () => {
    const g = await group('删除');
    const t = await tag(g, '临时');
    const ids = [await customer('d1'), await customer('d2')];
    await operator.post(`/api/v1/tags/${t.id}/customers`, { customerIds: ids });
    await operator.post('/api/v1/tag-rules', { name: '临时规则', tagId: t.id, definition: { conditions: [{ type: 'event', eventType: 'checkin' }] } });
    const res = await operator.delete(`/api/v1/tags/${t.id}`);
    assert.deepEqual(res.json(), { id: t.id, removedFrom: 2, rulesDeleted: 1 });
    assert.equal((await viewer.get(`/api/v1/tags/${t.id}`)).statusCode, 404);
    for (const id of ids) {
      assert.deepEqual((await viewer.get(`/api/v1/customers/${id}/tags`)).json().items, []);
      const last = (await tagEvents(id)).at(-1)!;
      assert.deepEqual([last.type, (last.properties as { reason: string }).reason], ['tag.removed', 'tag_deleted']);
    }
    assert.equal(await audits('tag.delete'), 1);
    assert.equal((await operator.delete(`/api/v1/tag-groups/${g}`)).statusCode, 200, 'the emptied group can go');
  });

  // ---- tag rules ---------------------------------------------------------------------
  const RULE_OK = { conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'eq', value: '烘焙' }], minCount: 3, windowDays: 7 }] };
  const rules = async (client: Client = viewer) => {
    const res = await client.get('/api/v1/tag-rules');
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as { id: string; name: string; tagId: string; enabled: boolean; definition: unknown }[];
  };
  const ruleRows = async () => Number((await siyu.db.selectFrom('tag_rules').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow()).n);
  const event = (extra: object) => ({ conditions: [{ type: 'event', eventType: 'checkin', ...extra }] });
  const filter = (f: object) => event({ filters: [f] });

  it('refuses invalid rule bodies with a stable code and the path of the bad field, saving nothing', async () => {
    const t = await tag(await group('规则校验'), '规则校验标签');
    const before = await rules();
    const rowsBefore = await ruleRows();
    const auditsBefore = await audits('tag_rule.create');
    const cases: [object, string, string][] = [
      [{ name: '', tagId: t.id, definition: RULE_OK }, 'name', 'validation_failed'],
      [{ name: 'x'.repeat(101), tagId: t.id, definition: RULE_OK }, 'name', 'validation_failed'],
      [{ name: 'r', tagId: 'not-a-uuid', definition: RULE_OK }, 'tagId', 'validation_failed'],
      [{ name: 'r', tagId: t.id }, 'definition', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: RULE_OK, enabled: 'yes' }, 'enabled', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: RULE_OK, removeWhenUnmatched: false }, 'removeWhenUnmatched', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [] } }, 'definition.conditions', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { match: 'some', conditions: RULE_OK.conditions } }, 'definition.match', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'visit' }] } }, 'definition.conditions[0].type', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'order', colour: 'red' }] } }, 'definition.conditions[0].colour', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: event({ minCount: 0 }) }, 'definition.conditions[0].minCount', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: event({ minCount: 2.5 }) }, 'definition.conditions[0].minCount', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: event({ windowDays: 3651 }) }, 'definition.conditions[0].windowDays', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'order', minAmountFen: 0 }] } }, 'definition.conditions[0].minAmountFen', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'order', category: '  ' }] } }, 'definition.conditions[0].category', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: '1st', op: 'eq', value: 'a' }) }, 'definition.conditions[0].filters[0].property', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'like', value: 'a' }) }, 'definition.conditions[0].filters[0].op', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'eq' }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'exists', value: 'a' }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'priceFen', op: 'gte', value: '100' }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'contains', value: 3 }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'in', value: [] }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: filter({ property: 'category', op: 'eq', value: ['a'] }) }, 'definition.conditions[0].filters[0].value', 'validation_failed'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'event', eventType: 'shop_visited' }] } }, 'definition.conditions[0].eventType', 'tag_rule.invalid_definition'],
      [{ name: 'r', tagId: t.id, definition: { conditions: [{ type: 'event', eventType: 'custom.Bad Name' }] } }, 'definition.conditions[0].eventType', 'tag_rule.invalid_definition'],
      [{ name: 'r', tagId: t.id, definition: { match: 'any', conditions: [{ type: 'order' }, { type: 'event', eventType: 'tag.removed' }] } }, 'definition.conditions[1].eventType', 'tag_rule.invalid_definition'],
    ];
    for (const [body, field, code] of cases) {
      const res = await operator.post('/api/v1/tag-rules', body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      const error = res.json().error as { code: string; details: { field: string; reason: string }[] };
      assert.deepEqual([error.code, error.details[0]?.field], [code, field], res.body);
      if (!field.startsWith('definition')) continue;
      // The preview checks a definition exactly as saving does.
      const preview = await viewer.post('/api/v1/tag-rules/preview', { definition: (body as { definition?: unknown }).definition });
      assert.equal(preview.statusCode, 400, `preview ${field}: ${preview.body}`);
      assert.deepEqual([preview.json().error.code, preview.json().error.details[0].field], [code, field], preview.body);
    }
    assert.deepEqual(await rules(), before, 'no rule was stored');
    assert.equal(await ruleRows(), rowsBefore);
    assert.equal(await audits('tag_rule.create'), auditsBefore);
  });

  it('refuses a bad edit of a rule and leaves the rule as it was', async () => {
    const t = await tag(await group('规则编辑'), '编辑前');
    const created = await operator.post('/api/v1/tag-rules', { name: '原规则', tagId: t.id, definition: RULE_OK });
    assert.equal(created.statusCode, 201, created.body);
    const rule = created.json() as { id: string };
    const stored = async () => (await viewer.get(`/api/v1/tag-rules/${rule.id}`)).json();
    const before = await stored();
    const version = async () => (await siyu.db.selectFrom('tag_rules').select('version').where('workspace_id', '=', ws).where('id', '=', rule.id).executeTakeFirstOrThrow()).version;
    const versionBefore = await version();
    const cases: [object, number, string, string | undefined][] = [
      [{ name: ' ' }, 400, 'validation_failed', 'name'],
      [{ enabled: null }, 400, 'validation_failed', 'enabled'],
      [{ definition: { conditions: [{ type: 'event', eventType: 'tag.added' }] } }, 400, 'tag_rule.invalid_definition', 'definition.conditions[0].eventType'],
      [{ definition: filter({ property: 'category', op: 'in', value: '烘焙' }) }, 400, 'validation_failed', 'definition.conditions[0].filters[0].value'],
      [{ tagId: '00000000-0000-7000-8000-000000000000' }, 404, 'tag.not_found', undefined],
      [{ name: '改名', tagId: '00000000-0000-7000-8000-000000000000', enabled: false }, 404, 'tag.not_found', undefined],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await operator.patch(`/api/v1/tag-rules/${rule.id}`, body);
      assert.deepEqual([res.statusCode, res.json().error.code], [status, code], res.body);
      if (field) assert.equal(res.json().error.details[0].field, field, res.body);
    }
    assert.deepEqual(await stored(), before, 'name, tag, switch and definition unchanged');
    assert.equal(await version(), versionBefore, 'nothing to apply again');
    const missing = await operator.patch('/api/v1/tag-rules/00000000-0000-7000-8000-000000000000', { enabled: false });
    assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'tag_rule.not_found']);
    assert.equal((await operator.delete('/api/v1/tag-rules/00000000-0000-7000-8000-000000000000')).json().error.code, 'tag_rule.not_found');
  });

  it('refuses a rule for an unknown or deleted tag', async () => {
    const g = await group('规则标签');
    const gone = await tag(g, '将删除');
    assert.equal((await operator.delete(`/api/v1/tags/${gone.id}`)).statusCode, 200);
    const rowsBefore = await ruleRows();
    for (const tagId of ['00000000-0000-7000-8000-000000000000', gone.id]) {
      const res = await operator.post('/api/v1/tag-rules', { name: '无标签', tagId, definition: RULE_OK });
      assert.deepEqual([res.statusCode, res.json().error.code], [404, 'tag.not_found'], res.body);
    }
    assert.equal(await ruleRows(), rowsBefore);
  });

  it('lets a viewer list and preview rules but not create, change or delete them', async () => {
    const t = await tag(await group('只读'), '只读标签');
    const rule = (await operator.post('/api/v1/tag-rules', { name: '只读规则', tagId: t.id, definition: RULE_OK })).json() as { id: string };
    const before = await rules();
    assert.ok(before.some((r) => r.id === rule.id));
    assert.equal((await viewer.get('/api/v1/tag-rules/event-types')).json().items.includes('product.viewed'), true);
    assert.equal((await viewer.post('/api/v1/tag-rules/preview', { definition: RULE_OK })).statusCode, 200);
    for (const res of [
      await viewer.post('/api/v1/tag-rules', { name: 'v', tagId: t.id, definition: RULE_OK }),
      await viewer.patch(`/api/v1/tag-rules/${rule.id}`, { enabled: false }),
      await viewer.patch(`/api/v1/tag-rules/${rule.id}`, { name: '改名' }),
      await viewer.delete(`/api/v1/tag-rules/${rule.id}`),
    ]) {
      assert.deepEqual([res.statusCode, res.json().error.code], [403, 'auth.forbidden'], res.body);
    }
    assert.deepEqual(await rules(), before);
  });

  it("answers 404 for another workspace's rule and never lists it there", async () => {
    const t = await tag(await group('规则隔离'), '规则隔离标签');
    const rule = (await operator.post('/api/v1/tag-rules', { name: '隔离规则', tagId: t.id, definition: RULE_OK })).json() as { id: string };
    const before = (await viewer.get(`/api/v1/tag-rules/${rule.id}`)).json();
    for (const res of [
      await outsider.get(`/api/v1/tag-rules/${rule.id}`),
      await outsider.patch(`/api/v1/tag-rules/${rule.id}`, { enabled: false, name: '别家改名' }),
      await outsider.delete(`/api/v1/tag-rules/${rule.id}`),
    ]) {
      assert.deepEqual([res.statusCode, res.json().error.code], [404, 'tag_rule.not_found'], res.body);
    }
    assert.equal((await rules(outsider)).some((r) => r.id === rule.id), false);
    assert.deepEqual((await outsider.get(`/api/v1/tag-rules?tagId=${t.id}`)).json().items, []);
    assert.deepEqual((await viewer.get(`/api/v1/tag-rules/${rule.id}`)).json(), before, 'the rule is untouched');
    // Their own rule cannot point at this workspace's tag either.
    const theirs = await outsider.post('/api/v1/tag-rules', { name: 'x', tagId: t.id, definition: RULE_OK });
    assert.deepEqual([theirs.statusCode, theirs.json().error.code], [404, 'tag.not_found']);
  });

  it("answers 404 for another workspace's tags and customers", async () => {
    const g = await group('隔离');
    const t = await tag(g, '隔离标签');
    const c = await customer('iso');
    assert.equal((await outsider.get(`/api/v1/tags/${t.id}`)).json().error.code, 'tag.not_found');
    assert.equal((await outsider.patch(`/api/v1/tags/${t.id}`, { name: 'x' })).statusCode, 404);
    assert.equal((await outsider.delete(`/api/v1/tags/${t.id}`)).statusCode, 404);
    assert.equal((await outsider.patch(`/api/v1/tag-groups/${g}`, { name: 'x' })).statusCode, 404);
    assert.equal((await outsider.post(`/api/v1/tags/${t.id}/customers`, { customerIds: [c] })).statusCode, 404);
    assert.equal((await outsider.get(`/api/v1/customers/${c}/tags`)).json().error.code, 'customer.not_found');
    const mine = await outsider.post('/api/v1/tag-groups', { name: '别家', kind: 'static' });
    const theirTag = (await outsider.post('/api/v1/tags', { groupId: mine.json().id, name: '别家标签' })).json();
    const cross = await outsider.post(`/api/v1/tags/${theirTag.id}/customers`, { customerIds: [c] });
    assert.deepEqual([cross.json().changed, cross.json().skippedIds], [0, [c]], "another workspace's customer is skipped");
    assert.equal((await operator.post(`/api/v1/customers/${c}/tags`, { tagId: theirTag.id })).json().error.code, 'tag.not_found');
    assert.equal(await count(t.id), 0);
  });
});
