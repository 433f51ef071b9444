/**
 * The group post ledger: one post per idempotency key (in a batch, across calls, after a
 * rollback), the checks that apply to a group, and GET /api/v1/group-posts (filters, cursor,
 * validation, permissions, workspaces kept apart).
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import type { GroupPostRequest } from './index.ts';

const NOW = new Date('2025-06-02T10:00:00+08:00');

describeEachDatabase('group posts: ledger, guard rails and GET /api/v1/group-posts', ({ database, target }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let otherWs: string;
  let owner: Client;
  let viewer: Client;
  let outsider: Client;
  let intruder: Client;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    otherWs = other.workspaceId;
    outsider = await signIn(app, other.users.owner.email, otherWs);
    intruder = await signIn(app, other.users.owner.email, ws);
  });
  after(async () => app?.close());

  const post = (key: string, over: Partial<GroupPostRequest> = {}): GroupPostRequest => ({
    idempotencyKey: key, groupId: 'wr-chat-1', content: { text: '早安 {who|群友}' }, source: { kind: 'sop', id: 'sop-1', step: 'morning' }, ...over,
  });
  const postAll = (workspaceId: string, posts: GroupPostRequest[]) => siyu.db.transaction().execute((trx) => siyu.messaging.postToGroups(trx, workspaceId, posts));
  const rowsOf = (workspaceId: string, key: string) => siyu.db.selectFrom('group_posts').selectAll().where('workspace_id', '=', workspaceId).where('idempotency_key', '=', key).execute();

  it('the same idempotency key twice is one post, in one batch and across calls; outcomes keep request order', async () => {
    const [a, again, b] = await postAll(ws, [post('k-1'), post('k-1', { content: { text: '别的内容' } }), post('k-2', { groupId: 'wr-chat-2', variables: { who: '小林' } })]);
    assert.deepEqual([a!.status, a!.duplicate, again!.duplicate, again!.postId, b!.groupId, b!.status], ['sent', false, true, a!.postId, 'wr-chat-2', 'sent']);
    const later = await postAll(ws, [post('k-2'), post('k-1')]);
    assert.deepEqual(later.map((o) => [o.idempotencyKey, o.duplicate, o.status]), [['k-2', true, 'sent'], ['k-1', true, 'sent']]);
    assert.equal(later[0]!.postId, b!.postId);
    const [row] = await rowsOf(ws, 'k-1');
    assert.equal((await rowsOf(ws, 'k-1')).length, 1);
    assert.deepEqual([row!.body, row!.driver, row!.channel, row!.sent_at?.toISOString()], ['早安 群友', 'outbox', 'group', NOW.toISOString()]);
    assert.equal((await rowsOf(ws, 'k-2'))[0]!.body, '早安 小林');
  });

  it('two transactions posting the same key at once record one post; the later one gets the recorded outcome', { skip: target === 'embedded' ? 'the embedded engine runs one transaction at a time: the key is always seen first' : false }, async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let decided!: () => void;
    const firstDecided = new Promise<void>((resolve) => (decided = resolve));
    const first = siyu.db.transaction().execute(async (trx) => {
      const out = await siyu.messaging.postToGroups(trx, ws, [post('k-race', { groupId: 'wr-first' })]);
      decided();
      await gate;
      return out;
    });
    await firstDecided;
    const second = postAll(ws, [post('k-race', { groupId: 'wr-second' })]);
    for (let i = 0; i < 200; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(siyu.db);
      if (rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    open();
    const [[one], [two]] = await Promise.all([first, second]);
    assert.deepEqual([one!.duplicate, two!.duplicate, two!.postId, two!.groupId], [false, true, one!.postId, 'wr-first']);
    assert.deepEqual((await rowsOf(ws, 'k-race')).map((r) => r.group_id), ['wr-first']);
  });

  it('a rolled-back transaction claims nothing, so its retry posts', async () => {
    await assert.rejects(siyu.db.transaction().execute(async (trx) => {
      await siyu.messaging.postToGroups(trx, ws, [post('k-rollback')]);
      throw new Error('crash after posting');
    }), /crash/);
    assert.equal((await rowsOf(ws, 'k-rollback')).length, 0);
    const [retry] = await postAll(ws, [post('k-rollback')]);
    assert.deepEqual([retry!.status, retry!.duplicate], ['sent', false]);
    assert.equal((await rowsOf(ws, 'k-rollback')).length, 1);
  });

  it('ad-law blocks, missing variables and unknown templates suppress with their reason; warn-tier terms are recorded', async () => {
    const outcomes = await postAll(ws, [
      post('c-block', { content: { text: '国家级品质，群内专享' } }),
      post('c-missing', { content: { text: '今日福利：{benefit}' } }),
      post('c-template', { content: undefined, template: { id: '00000000-0000-7000-8000-000000000001' } }),
      post('c-warn', { content: { text: '群友独家福利' } }),
    ]);
    assert.deepEqual(outcomes.map((o) => [o.status, o.reason]), [['suppressed', 'adlaw_blocked'], ['suppressed', 'template_error'], ['suppressed', 'template_error'], ['sent', null]]);
    assert.ok((outcomes[0]!.detail as { words: string[] }).words.includes('国家级'));
    assert.deepEqual(outcomes[1]!.detail, { error: 'missing_variable', variables: ['benefit'] });
    assert.equal((outcomes[2]!.detail as { error: string }).error, 'template_not_found');
    const [warned] = await rowsOf(ws, 'c-warn');
    assert.ok((warned!.adlaw_warnings as { term: string }[]).some((f) => f.term === '独家'), JSON.stringify(warned!.adlaw_warnings));
    await assert.rejects(postAll(ws, [post('bad', { groupId: '' })]), (err: { code?: string }) => err.code === 'group_post.invalid_request');
  });

  it('GET /api/v1/group-posts filters and pages newest first; the viewer and an API key read it', async () => {
    for (let n = 0; n < 3; n++) await postAll(ws, [post(`page-${n}`, { groupId: 'wr-page', source: { kind: 'sop', id: 'sop-page', step: 's' } })]);
    const first = await viewer.get('/api/v1/group-posts?groupId=wr-page&limit=2');
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json().items.map((p: { idempotencyKey: string }) => p.idempotencyKey), ['page-2', 'page-1']);
    assert.ok(first.json().nextCursor);
    const second = await viewer.get(`/api/v1/group-posts?groupId=wr-page&limit=2&cursor=${first.json().nextCursor}`);
    assert.deepEqual([second.json().items.map((p: { idempotencyKey: string }) => p.idempotencyKey), second.json().nextCursor], [['page-0'], null]);

    const blocked = await owner.get('/api/v1/group-posts?status=suppressed&reason=adlaw_blocked');
    assert.deepEqual(blocked.json().items.map((p: { idempotencyKey: string; status: string; reason: string }) => [p.idempotencyKey, p.status, p.reason]), [['c-block', 'suppressed', 'adlaw_blocked']]);
    const bySource = await owner.get(`/api/v1/group-posts?sourceKind=sop&sourceId=sop-page&since=${encodeURIComponent(NOW.toISOString())}`);
    assert.equal(bySource.json().items.length, 3);
    assert.equal((await owner.get(`/api/v1/group-posts?sourceId=sop-page&until=${encodeURIComponent(NOW.toISOString())}`)).json().items.length, 0, 'until is exclusive');

    const key = await owner.post('/api/v1/api-keys', { name: 'reader', scopes: ['messages.read'] });
    assert.equal(key.statusCode, 201, key.body);
    const api = await apiKeyClient(app, key.json().token).get('/api/v1/group-posts?groupId=wr-page');
    assert.equal(api.statusCode, 200, api.body);
    assert.equal(api.json().items.length, 3);
  });

  it('a bad query answers 400 with the code, field and reason', async () => {
    for (const [query, field, reason] of [
      ['status=queued', 'status', 'invalid_value'],
      ['reason=opted_out', 'reason', 'invalid_value'],
      ['limit=0', 'limit', 'too_small'],
      ['cursor=nope', 'cursor', 'invalid_format'],
      ['since=yesterday', 'since', 'invalid_format'],
      ['groupId=', 'groupId', 'too_small'],
      ['colour=red', 'colour', 'unknown_field'],
    ] as const) {
      const r = await owner.get(`/api/v1/group-posts?${query}`);
      assert.equal(r.statusCode, 400, `${query}: ${r.body}`);
      const error = r.json().error as { code: string; details: { field: string; reason: string }[] };
      assert.equal(error.code, 'validation_failed', query);
      assert.deepEqual([error.details[0]!.field, error.details[0]!.reason], [`query.${field}`, reason], `${query}: ${r.body}`);
    }
  });

  it('another workspace sees none of these posts, and a non-member asking for this workspace gets 404', async () => {
    const mine = await owner.get('/api/v1/group-posts');
    assert.ok(mine.json().items.length > 0);
    const theirs = await outsider.get('/api/v1/group-posts');
    assert.equal(theirs.statusCode, 200, theirs.body);
    assert.deepEqual(theirs.json().items, []);
    assert.equal((await intruder.get('/api/v1/group-posts')).statusCode, 404);
    await postAll(otherWs, [post('k-1')]);
    assert.equal((await rowsOf(otherWs, 'k-1')).length, 1, 'keys are per workspace');
    assert.equal((await rowsOf(ws, 'k-1'))[0]!.body, '早安 群友');
  });
});
