import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

// 12:00 in Shanghai.
const NOW = new Date('2025-06-01T04:00:00Z');
const HOUR = 3_600_000;

describeEachDatabase('tasks API: inbox, counts, done/skip with outcome, pools', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let operator: Client;
  let viewer: Client;
  let operatorId: string;
  let customerId: number;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    operatorId = seeded.users.operator.id;
    operator = await signIn(app, seeded.users.operator.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const owner = await signIn(app, seeded.users.owner.email, ws);
    const res = await owner.post('/api/v1/events', { events: [{ id: 'e-1', type: 'checkin', occurredAt: '2025-05-01T10:00:00+08:00', identities: [{ type: 'wechat_unionid', value: 'u-1' }], profile: { nickname: '小雨' } }] });
    customerId = res.json().results[0].customerId;
  });
  after(async () => app?.close());

  const journeyTask = (key: string, extra: object = {}) => ({
    customerId,
    kind: 'private_chat' as const,
    title: '1V1 跟进',
    script: '您好，上次看的精华水今天有会员价',
    dueAt: new Date(NOW.getTime() + 4 * HOUR),
    source: { kind: 'journey' as const, id: 'j-1', version: 1, step: 'handoff' },
    sourceKey: key,
    ...extra,
  });

  it('creates journey tasks idempotently by source key, in the caller transaction', async () => {
    const created = await siyu.db.transaction().execute((trx) => siyu.tasks.createTasks(trx, ws, [journeyTask('k1', { assigneeUserId: operatorId }), journeyTask('k2', { pool: 'advisors' })], NOW));
    assert.equal(created.length, 2);
    const again = await siyu.db.transaction().execute((trx) => siyu.tasks.createTasks(trx, ws, [journeyTask('k1', { assigneeUserId: operatorId })], NOW));
    assert.deepEqual(again, []);
    // A rolled-back step leaves no task.
    await assert.rejects(
      siyu.db.transaction().execute(async (trx) => {
        await siyu.tasks.createTasks(trx, ws, [journeyTask('k3')], NOW);
        throw new Error('step failed');
      }),
    );
    const count = await siyu.db.selectFrom('tasks').select((e) => e.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
  });

  it("lists the signed-in advisor's inbox and counts by due time", async () => {
    const mine = (await operator.get('/api/v1/tasks?assignee=me')).json();
    assert.equal(mine.items.length, 1);
    assert.equal(mine.items[0].customerName, '小雨');
    assert.equal(mine.items[0].script, '您好，上次看的精华水今天有会员价');
    assert.deepEqual(mine.items[0].source, { kind: 'journey', id: 'j-1', version: 1, step: 'handoff' });
    const counts = (await operator.get('/api/v1/tasks/counts?assignee=me')).json();
    assert.deepEqual(counts, { open: 1, overdue: 0, dueToday: 1, completedToday: 0, pools: [{ pool: 'advisors', open: 1 }] });
    clock.advance(5 * HOUR);
    const later = (await operator.get('/api/v1/tasks/counts?assignee=me')).json();
    assert.equal(later.overdue, 1);
    assert.equal((await operator.get('/api/v1/tasks?assignee=me&due=overdue')).json().items.length, 1);
    assert.equal((await operator.get('/api/v1/tasks?assignee=unassigned&pool=advisors')).json().items.length, 1);
    clock.set(NOW);
  });

  it('closes a task with an outcome and a note, once, and audits it', async () => {
    const [task] = (await operator.get('/api/v1/tasks?assignee=me')).json().items;
    const bad = await operator.post(`/api/v1/tasks/${task.id}/complete`, { status: 'done' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details[0].field, 'outcome');
    const done = await operator.post(`/api/v1/tasks/${task.id}/complete`, { status: 'done', outcome: 'converted', note: '下单了' });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual([done.json().status, done.json().outcome, done.json().note], ['done', 'converted', '下单了']);
    const twice = await operator.post(`/api/v1/tasks/${task.id}/complete`, { status: 'skipped' });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'task.closed');
    const audit = await siyu.db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws).where('target_id', '=', task.id).execute();
    assert.deepEqual(audit.map((a) => a.action), ['task.done']);
    const counts = (await operator.get('/api/v1/tasks/counts?assignee=me')).json();
    assert.equal(counts.completedToday, 1);
    const bySource = await siyu.tasks.countBySource(ws, 'journey', 'j-1');
    assert.deepEqual(bySource.map((r) => [r.step, r.status, r.outcome, r.count]).sort(), [['handoff', 'done', 'converted', 1], ['handoff', 'open', null, 1]].sort());
  });

  it('lets an advisor take a pool task and refuses strangers as assignees', async () => {
    const [pooled] = (await operator.get('/api/v1/tasks?assignee=unassigned')).json().items;
    const taken = await operator.post(`/api/v1/tasks/${pooled.id}/assign`, { assigneeUserId: 'me' });
    assert.equal(taken.statusCode, 200, taken.body);
    assert.equal(taken.json().assigneeUserId, operatorId);
    const stranger = await operator.post(`/api/v1/tasks/${pooled.id}/assign`, { assigneeUserId: '0190f3f0-0000-7000-8000-000000000009' });
    assert.equal(stranger.statusCode, 400);
    assert.equal(stranger.json().error.code, 'task.unknown_assignee');
  });

  it('creates manual tasks, validates them, and keeps viewers read-only', async () => {
    const created = await operator.post('/api/v1/tasks', { customerId, kind: 'call_back', title: '回访', pool: 'advisors', dueAt: '2025-06-02T10:00:00+08:00' });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().source.kind, 'manual');
    const both = await operator.post('/api/v1/tasks', { kind: 'call_back', title: 'x', pool: 'p', assigneeUserId: operatorId, dueAt: '2025-06-02T10:00:00+08:00' });
    assert.equal(both.statusCode, 400);
    const ghost = await operator.post('/api/v1/tasks', { customerId: 999_999, kind: 'call_back', title: 'x', pool: 'p', dueAt: '2025-06-02T10:00:00+08:00' });
    assert.equal(ghost.json().error.code, 'task.unknown_customer');
    assert.equal((await viewer.post('/api/v1/tasks', { kind: 'call_back', title: 'x', pool: 'p', dueAt: '2025-06-02T10:00:00+08:00' })).statusCode, 403);
    assert.equal((await viewer.get(`/api/v1/tasks/${created.json().id}`)).statusCode, 200);
  });

  it("answers 404 for another workspace's task and refuses 'me' for API keys", async () => {
    const other = await seedWorkspace(siyu, ['owner']);
    const stranger = await signIn(app, other.users.owner.email, other.workspaceId);
    const [any] = (await operator.get('/api/v1/tasks?status=all')).json().items;
    assert.equal((await stranger.get(`/api/v1/tasks/${any.id}`)).statusCode, 404);
    assert.equal((await stranger.post(`/api/v1/tasks/${any.id}/complete`, { status: 'skipped' })).json().error.code, 'task.not_found');
    const owner = await signIn(app, (await siyu.db.selectFrom('users').select('email').where('id', '=', (await siyu.db.selectFrom('memberships').select('user_id').where('workspace_id', '=', ws).where('role', '=', 'owner').executeTakeFirstOrThrow()).user_id).executeTakeFirstOrThrow()).email, ws);
    const key = await owner.post('/api/v1/api-keys', { name: 'tasks', scopes: ['tasks.read'] });
    const api = apiKeyClient(app, key.json().token);
    assert.equal((await api.get('/api/v1/tasks?assignee=me')).json().error.code, 'task.me_needs_user');
    assert.equal((await api.get(`/api/v1/tasks?assignee=${operatorId}&status=all`)).json().items.length, 2);
  });
});
