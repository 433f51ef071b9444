/**
 * The journeys API: bad definitions (400 naming the step, nothing saved), invalid drafts that
 * cannot go live, versions, permissions per role, tenant isolation, the playbooks and the
 * one-action enable of each of them in a fresh workspace.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { PLAYBOOKS } from './playbooks.ts';

const send = (id: string, next: string | null = null) => ({ id, type: 'send', channel: 'wecom', content: { text: `文案 ${id}` }, next });
const GOOD = {
  trigger: { type: 'event', eventType: 'custom.signed_up' },
  steps: [send('hello', 'wait'), { id: 'wait', type: 'wait', duration: { days: 1 }, next: 'again' }, send('again')],
  goal: { eventType: 'order.paid', withinDays: 7 },
};

describeEachDatabase('journeys API', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let owner: Client;
  let operator: Client;
  let viewer: Client;
  let outsider: Client;
  let outsiderWs: string;
  const clock = new ManualClock('2026-04-01T03:00:00Z');

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    operator = await signIn(app, seeded.users.operator.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    outsiderWs = other.workspaceId;
    outsider = await signIn(app, other.users.owner.email, other.workspaceId);
  });
  after(async () => app?.close());

  const rows = async (workspaceId = ws) => {
    const count = async (table: 'journeys' | 'journey_versions' | 'journey_enrollments') =>
      Number((await siyu.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);
    return { journeys: await count('journeys'), versions: await count('journey_versions'), enrollments: await count('journey_enrollments') };
  };
  const create = async (c: Client, definition: unknown = GOOD, name = '新客欢迎') => {
    const r = await c.post('/api/v1/journeys', { name, definition });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { id: string; status: string; issues: { field: string; reason: string; message: string }[]; latestVersion: number };
  };
  const customer = async (mobile: string) => {
    const r = await owner.post('/api/v1/events', { events: [{ id: `c-${mobile}`, type: 'custom.seen', occurredAt: clock.now().toISOString(), identities: [{ type: 'mobile', value: mobile }] }] });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().results[0].customerId as number;
  };

  it('refuses a definition of the wrong shape with 400 naming the step, and saves nothing', async () => {
    const before = await rows();
    const badPointer = { ...GOOD, steps: [...GOOD.steps, send('x', '9-not-an-id')] };
    const r = await operator.post('/api/v1/journeys', { name: '坏定义', definition: badPointer });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().error.code, 'validation_failed');
    assert.deepEqual(r.json().error.details.map((d: { field: string }) => d.field), ['definition.steps[3].next']);

    const noDuration = await operator.post('/api/v1/journeys', { name: '坏等待', definition: { ...GOOD, steps: [send('a', 'w'), { id: 'w', type: 'wait', duration: {}, next: null }] } });
    assert.equal(noDuration.statusCode, 400);
    assert.ok(noDuration.json().error.details.some((d: { field: string; message: string }) => d.field.startsWith('definition.steps[1].duration') && /at least one minute/.test(d.message)), noDuration.body);

    const both = await operator.post('/api/v1/journeys', { name: '两者', definition: { ...GOOD, steps: [{ ...send('a'), templateId: '5b1f2c3d-0000-4000-8000-00000000b001' }] } });
    assert.equal(both.statusCode, 400);
    assert.deepEqual(both.json().error.details.map((d: { field: string }) => d.field), ['definition.steps[0].templateId']);

    const unknownField = await operator.post('/api/v1/journeys', { name: '多余', definition: { ...GOOD, steps: [{ ...send('a'), colour: 'red' }] } });
    assert.equal(unknownField.statusCode, 400);
    assert.deepEqual(unknownField.json().error.details.map((d: { field: string; reason: string }) => [d.field, d.reason]), [['definition.steps[0].colour', 'unknown_field']]);
    // Template ids are UUIDs: anything else is a shape error, not a database error.
    const template = await operator.post('/api/v1/journeys', { name: '坏模板', definition: { ...GOOD, steps: [{ id: 'a', type: 'send', channel: 'wecom', templateId: 'welcome-v1' }] } });
    assert.equal(template.statusCode, 400, template.body);
    assert.deepEqual([...new Set(template.json().error.details.map((d: { field: string }) => d.field))], ['definition.steps[0].templateId']);
    const checked = await operator.post('/api/v1/journeys/validate', { definition: { ...GOOD, steps: [{ id: 'a', type: 'send', channel: 'wecom', templateId: 'welcome-v1' }] } });
    assert.equal(checked.statusCode, 200, checked.body);
    assert.deepEqual([...new Set(checked.json().issues.map((i: { field: string }) => i.field))], ['steps[0].templateId']);
    // A pool the task inbox could not filter by.
    const pool = await operator.post('/api/v1/journeys', { name: '坏池', definition: { ...GOOD, steps: [{ id: 'k', type: 'task', kind: 'call_back', title: '回访', assignee: { type: 'pool', pool: 'vip advisors' }, dueInHours: 4 }] } });
    assert.equal(pool.statusCode, 400, pool.body);
    assert.deepEqual(pool.json().error.details.map((d: { field: string }) => d.field), ['definition.steps[0].assignee.pool']);
    assert.deepEqual(await rows(), before);
  });

  it('validates without saving: graph problems name their place', async () => {
    const before = await rows();
    const definition = {
      trigger: { type: 'schedule', cron: '61 9 * * *', audience: { type: 'condition', condition: { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 } } },
      steps: [
        { id: 'ab', type: 'split', variants: [{ key: 'A', weight: 50, next: 'a' }, { key: 'B', weight: 40, next: 'b' }] },
        send('a', 'loop'),
        send('b'),
        { id: 'loop', type: 'branch', condition: { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 2 }, then: 'a', else: 'nowhere' },
        send('orphan'),
        { id: 'sms', type: 'send', channel: 'carrier_pigeon', content: { text: 'x' } },
      ],
    };
    const r = await viewer.post('/api/v1/journeys/validate', { definition });
    assert.equal(r.statusCode, 200, r.body);
    const issues = r.json().issues as { field: string; reason: string; message: string }[];
    assert.equal(r.json().valid, false);
    const byField = new Map(issues.map((i) => [i.field, i.reason]));
    assert.equal(byField.get('steps[0].variants'), 'weights_not_100');
    assert.equal(byField.get('steps[3].else'), 'unknown_step');
    assert.equal(byField.get('steps[4]'), 'unreachable_step');
    assert.equal(byField.get('steps[5].channel'), 'unknown_channel');
    assert.equal(byField.get('trigger.cron'), 'invalid_cron');
    assert.ok(issues.some((i) => i.reason === 'cycle_without_wait' && /a → loop → a|loop → a → loop/.test(i.message)), JSON.stringify(issues));
    assert.ok(issues.every((i) => i.message.startsWith(`${i.field}: `)));
    const shape = await viewer.post('/api/v1/journeys/validate', { definition: { trigger: { type: 'event' }, steps: [] } });
    assert.equal(shape.json().valid, false);
    assert.deepEqual(shape.json().issues.map((i: { field: string }) => i.field).sort(), ['steps', 'trigger.eventType']);
    // Rules of a step's own shape carry reasons of their own, for the console to put in words.
    const own = await viewer.post('/api/v1/journeys/validate', {
      definition: { ...GOOD, steps: [{ id: 'w', type: 'wait', duration: { minutes: 0 }, next: 's' }, { id: 's', type: 'send', channel: 'wecom', content: { text: 'x' }, templateId: '01a20c33-a891-71dd-ac7d-cb38a7b89182' }] },
    });
    assert.deepEqual(own.json().issues.map((i: { field: string; reason: string }) => [i.field, i.reason]).sort(), [['steps[0].duration', 'wait_too_short'], ['steps[1].templateId', 'template_or_content']]);
    assert.deepEqual(await rows(), before);
  });

  it('keeps a draft with graph problems but refuses to activate it, with the issues; editing a live journey with problems changes nothing', async () => {
    const bad = { ...GOOD, steps: [send('hello', 'wait'), { id: 'wait', type: 'wait', duration: { days: 1 }, next: 'again' }, send('again', 'missing'), send('spare', 'hello')] };
    const draft = await create(operator, bad, '草稿');
    assert.equal(draft.status, 'draft');
    assert.deepEqual(draft.issues.map((i) => [i.field, i.reason]), [['steps[2].next', 'unknown_step'], ['steps[3]', 'unreachable_step']]);
    assert.match(draft.issues[0]!.message, /steps\[2\]\.next: unknown step "missing"/);
    const refused = await operator.post(`/api/v1/journeys/${draft.id}/activate`, {});
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error.code, 'journey.invalid');
    assert.deepEqual(refused.json().error.details.map((d: { field: string }) => d.field), ['definition.steps[2].next', 'definition.steps[3]']);
    assert.equal((await viewer.get(`/api/v1/journeys/${draft.id}`)).json().status, 'draft');

    // Fixed in place: a draft version is replaced, not multiplied.
    const fixed = await operator.patch(`/api/v1/journeys/${draft.id}`, { definition: GOOD });
    assert.deepEqual([fixed.statusCode, fixed.json().latestVersion, fixed.json().issues.length], [200, 1, 0]);
    const live = await operator.post(`/api/v1/journeys/${draft.id}/activate`, {});
    assert.deepEqual([live.statusCode, live.json().status, live.json().liveVersion], [200, 'active', 1]);

    const before = await rows();
    const broken = await operator.patch(`/api/v1/journeys/${draft.id}`, { definition: bad });
    assert.equal(broken.statusCode, 400, broken.body);
    assert.equal(broken.json().error.code, 'journey.invalid');
    assert.equal(broken.json().error.details[0].field, 'definition.steps[2].next');
    assert.deepEqual(await rows(), before, 'no version was made');
    const renamed = await operator.patch(`/api/v1/journeys/${draft.id}`, { name: '新客欢迎 v2' });
    assert.deepEqual([renamed.json().name, renamed.json().latestVersion], ['新客欢迎 v2', 1], 'a rename makes no version');
    const edited = await operator.patch(`/api/v1/journeys/${draft.id}`, { definition: { ...GOOD, steps: [send('hello')] } });
    assert.deepEqual([edited.json().latestVersion, edited.json().liveVersion], [2, 2]);
    const v1 = await viewer.get(`/api/v1/journeys/${draft.id}/versions/1`);
    assert.deepEqual([v1.statusCode, v1.json().isLive, v1.json().definition.steps.length], [200, false, 3]);
    assert.equal((await viewer.get(`/api/v1/journeys/${draft.id}/versions/9`)).json().error.code, 'journey.version_not_found');
    assert.equal((await operator.post(`/api/v1/journeys/${draft.id}/activate`, {})).json().error.code, 'journey.invalid_state');
    assert.equal((await operator.post(`/api/v1/journeys/${draft.id}/resume`, {})).statusCode, 409);
    assert.equal((await operator.patch(`/api/v1/journeys/${draft.id}`, {})).statusCode, 400, 'nothing to change');
  });

  it('lists, reads, pauses, resumes, stops, enrolls and reports through the API', async () => {
    const j = await create(operator, { ...GOOD, trigger: { type: 'manual' } }, '手动旅程');
    assert.equal((await operator.post(`/api/v1/journeys/${j.id}/enrollments`, { customerIds: [1] })).json().error.code, 'journey.not_active');
    await operator.post(`/api/v1/journeys/${j.id}/activate`, {});
    const c1 = await customer('13700000001');
    const enrolled = await operator.post(`/api/v1/journeys/${j.id}/enrollments`, { customerIds: [c1, c1, 999_999_999] });
    assert.deepEqual(enrolled.json(), { requested: 2, enrolled: 1, skipped: [999_999_999] });

    const list = await viewer.get('/api/v1/journeys?status=active&limit=1');
    assert.equal(list.statusCode, 200, list.body);
    assert.equal(list.json().items.length, 1);
    assert.ok(list.json().nextCursor, 'two active journeys: a next page');
    const next = await viewer.get(`/api/v1/journeys?status=active&limit=1&cursor=${list.json().nextCursor}`);
    assert.equal(next.json().items.length, 1);
    assert.notEqual(next.json().items[0].id, list.json().items[0].id);
    const found = await viewer.get(`/api/v1/journeys?q=${encodeURIComponent('手动')}`);
    assert.deepEqual(found.json().items.map((i: { id: string; inFlight: number }) => [i.id, i.inFlight]), [[j.id, 1]]);
    assert.equal((await viewer.get('/api/v1/journeys?cursor=bad')).statusCode, 400);
    const forged = Buffer.from('2026-04-01T03:00:00.000Z|not-a-uuid').toString('base64url');
    const badCursor = await viewer.get(`/api/v1/journeys?cursor=${forged}`);
    assert.deepEqual([badCursor.statusCode, badCursor.json().error.details?.[0]?.field], [400, 'query.cursor'], badCursor.body);

    const people = await viewer.get(`/api/v1/journeys/${j.id}/enrollments?state=active&step=hello`);
    assert.deepEqual(people.json().items.map((e: { customerId: number; currentStep: string }) => [e.customerId, e.currentStep]), [[c1, 'wait']]);
    assert.equal((await viewer.get(`/api/v1/journeys/${j.id}/enrollments?step=again`)).json().items.length, 0);
    assert.equal((await operator.post(`/api/v1/journeys/${j.id}/pause`, {})).json().status, 'paused');
    assert.equal((await operator.post(`/api/v1/journeys/${j.id}/pause`, {})).json().error.code, 'journey.invalid_state');
    assert.equal((await operator.post(`/api/v1/journeys/${j.id}/resume`, {})).json().status, 'active');
    const stopped = await operator.post(`/api/v1/journeys/${j.id}/stop`, { reason: '测试结束' });
    assert.deepEqual([stopped.json().status, stopped.json().inFlight], ['stopped', 0]);
    const stats = await viewer.get(`/api/v1/journeys/${j.id}/stats?version=1`);
    assert.equal(stats.statusCode, 200, stats.body);
    assert.deepEqual([stats.json().totals.entered, stats.json().totals.exited, stats.json().steps[0].sent], [1, 1, 1]);
    assert.equal((await viewer.get(`/api/v1/journeys/${j.id}/stats?version=5`)).statusCode, 404);
    const audit = await siyu.db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws).where('target_id', '=', j.id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['journey.create', 'journey.activate', 'journey.enroll', 'journey.pause', 'journey.resume', 'journey.stop']);
  });

  it('lets a viewer read but not write, and an API key read only with its scope', async () => {
    const j = await create(owner, GOOD, '只读检查');
    const before = await rows();
    for (const [method, url, body] of [
      ['POST', '/api/v1/journeys', { name: 'x', definition: GOOD }],
      ['PATCH', `/api/v1/journeys/${j.id}`, { name: 'x' }],
      ['POST', `/api/v1/journeys/${j.id}/activate`, {}],
      ['POST', `/api/v1/journeys/${j.id}/stop`, {}],
      ['POST', `/api/v1/journeys/${j.id}/enrollments`, { customerIds: [1] }],
      ['POST', `/api/v1/journey-playbooks/${PLAYBOOKS[0]!.key}/journeys`, { activate: true }],
    ] as const) {
      const r = await viewer.request(method, url, body);
      assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
    }
    assert.deepEqual(await rows(), before);
    for (const url of [`/api/v1/journeys/${j.id}`, '/api/v1/journeys', `/api/v1/journeys/${j.id}/versions`, `/api/v1/journeys/${j.id}/stats`, `/api/v1/journeys/${j.id}/enrollments`, '/api/v1/journey-playbooks']) {
      assert.equal((await viewer.get(url)).statusCode, 200, url);
    }
    const key = await owner.post('/api/v1/api-keys', { name: 'bi', scopes: ['journeys.read'] });
    const bi = apiKeyClient(app, key.json().token);
    assert.equal((await bi.get(`/api/v1/journeys/${j.id}/stats`)).statusCode, 200);
    assert.equal((await bi.post('/api/v1/journeys', { name: 'x', definition: GOOD })).statusCode, 403);
  });

  it('hides one workspace\'s journeys from another (404) and lets it change nothing', async () => {
    const j = await create(owner, { ...GOOD, trigger: { type: 'manual' } }, '本店旅程');
    await owner.post(`/api/v1/journeys/${j.id}/activate`, {});
    const mine = await customer('13700000009');
    const before = await rows();
    const beforeJ = (await owner.get(`/api/v1/journeys/${j.id}`)).json();
    for (const [method, url, body] of [
      ['GET', `/api/v1/journeys/${j.id}`, undefined],
      ['GET', `/api/v1/journeys/${j.id}/versions`, undefined],
      ['GET', `/api/v1/journeys/${j.id}/versions/1`, undefined],
      ['GET', `/api/v1/journeys/${j.id}/stats`, undefined],
      ['GET', `/api/v1/journeys/${j.id}/enrollments`, undefined],
      ['PATCH', `/api/v1/journeys/${j.id}`, { name: '抢走' }],
      ['POST', `/api/v1/journeys/${j.id}/pause`, {}],
      ['POST', `/api/v1/journeys/${j.id}/stop`, {}],
      ['POST', `/api/v1/journeys/${j.id}/activate`, {}],
      ['POST', `/api/v1/journeys/${j.id}/enrollments`, { customerIds: [mine] }],
      ['GET', `/api/v1/customers/${mine}/journeys`, undefined],
    ] as const) {
      const r = await outsider.request(method, url, body);
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    assert.deepEqual(await rows(), before);
    const afterJ = (await owner.get(`/api/v1/journeys/${j.id}`)).json();
    assert.deepEqual([afterJ.name, afterJ.status, afterJ.updatedAt], [beforeJ.name, beforeJ.status, beforeJ.updatedAt]);
    assert.equal((await outsider.get('/api/v1/journeys')).json().items.length, 0);
    // Naming the other workspace in the header does not help.
    const forged = await outsider.request('GET', `/api/v1/journeys/${j.id}`, undefined, { 'x-siyu-workspace': ws });
    assert.equal(forged.statusCode, 404);
    assert.deepEqual((await rows(outsiderWs)).journeys, 0);
  });

  it('lists the playbooks and enables each lifecycle one in one action in a fresh workspace; group SOPs say what they need', async () => {
    const fresh = await seedWorkspace(siyu, ['owner']);
    const c = await signIn(app, fresh.users.owner.email, fresh.workspaceId);
    const list = await c.get('/api/v1/journey-playbooks');
    assert.equal(list.statusCode, 200, list.body);
    const keys = list.json().items.map((p: { key: string }) => p.key);
    assert.deepEqual(keys, PLAYBOOKS.map((p) => p.key));
    for (const key of ['welcome_new_friends', 'growth_recommendation', 'koc_invitation', 'repurchase_reminder', 'birthday_greeting', 'win_back']) assert.ok(keys.includes(key), key);

    for (const p of PLAYBOOKS) {
      const r = await c.post(`/api/v1/journey-playbooks/${p.key}/journeys`, { activate: true });
      if (p.category === 'lifecycle') {
        assert.equal(r.statusCode, 201, `${p.key}: ${r.body}`);
        assert.deepEqual([r.json().status, r.json().playbook, r.json().liveVersion, r.json().issues], ['active', p.key, 1, []], p.key);
        if (['schedule', 'date'].includes(r.json().triggerType)) assert.ok(r.json().nextFireAt, `${p.key} has its next fire`);
      } else {
        assert.equal(r.statusCode, 400, `${p.key}: ${r.body}`);
        assert.equal(r.json().error.code, 'journey.invalid');
        const reasons = r.json().error.details.map((d: { reason: string }) => d.reason);
        assert.deepEqual(reasons, ['no_groups'], `${p.key}: ${reasons}`);
      }
    }
    const journeys = await siyu.db.selectFrom('journeys').select(['playbook', 'status']).where('workspace_id', '=', fresh.workspaceId).execute();
    assert.equal(journeys.length, PLAYBOOKS.filter((p) => p.category === 'lifecycle').length, 'a refused group SOP leaves nothing behind');

    // With its groups, each group SOP goes live in the same one action.
    for (const p of PLAYBOOKS.filter((x) => x.category === 'group_sop')) {
      const r = await c.post(`/api/v1/journey-playbooks/${p.key}/journeys`, { activate: true, groupIds: ['wr-chat-1', 'wr-chat-2'] });
      assert.equal(r.statusCode, 201, `${p.key}: ${r.body}`);
      assert.deepEqual([r.json().status, r.json().definition.trigger.audience.groupIds, r.json().issues], ['active', ['wr-chat-1', 'wr-chat-2'], []], p.key);
      assert.ok(r.json().nextFireAt, `${p.key} has its next fire`);
      await c.post(`/api/v1/journeys/${r.json().id}/stop`, {});
    }

    // Without activate, a group SOP is a draft that lists what it needs.
    const sop = PLAYBOOKS.find((p) => p.category === 'group_sop')!;
    const draft = await c.post(`/api/v1/journey-playbooks/${sop.key}/journeys`, { name: '早晚报 SOP' });
    assert.equal(draft.statusCode, 201, draft.body);
    assert.deepEqual([draft.json().status, draft.json().name], ['draft', '早晚报 SOP']);
    assert.ok(draft.json().issues.some((i: { field: string; reason: string }) => i.field === 'trigger.audience.groupIds' && i.reason === 'no_groups'));
    assert.equal((await c.post('/api/v1/journey-playbooks/no_such_playbook/journeys', {})).json().error.code, 'journey.playbook_not_found');

    // An enabled playbook is editable: a new version goes live.
    const welcome = (await c.get('/api/v1/journeys?q=' + encodeURIComponent(PLAYBOOKS[0]!.name.zh))).json().items[0];
    const def = (await c.get(`/api/v1/journeys/${welcome.id}`)).json().definition;
    def.steps[0].content.text = '欢迎！';
    const edited = await c.patch(`/api/v1/journeys/${welcome.id}`, { definition: def });
    assert.deepEqual([edited.statusCode, edited.json().liveVersion], [200, 2]);
  });
});
