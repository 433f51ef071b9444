/**
 * End to end: a saved segment's membership follows ingestion through customers.changed and
 * the worker, with no call to the membership service from the test.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('segments: live membership from ingested events', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let owner: Client;
  let api: ReturnType<typeof apiKeyClient>;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database()));
    await siyu.jobs.work();
    const seeded = await seedWorkspace(siyu, ['owner']);
    owner = await signIn(app, seeded.users.owner.email, seeded.workspaceId);
    const key = await owner.post('/api/v1/api-keys', { name: 'shop', scopes: ['events.write'] });
    api = apiKeyClient(app, key.json().token);
  });
  after(async () => app?.close());

  /** Polls until `check` holds; returns the milliseconds it took. */
  async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (await check()) return Date.now() - started;
      if (Date.now() - started > timeoutMs) assert.fail(`not true after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('enters a customer on the event that matches the rule, and records the entry', async (t) => {
    const rule = { type: 'event', eventType: 'checkin', op: 'gte', value: 2, window: { lastDays: 30 } };
    const created = await owner.post('/api/v1/segments', { name: '常签到', rule });
    assert.equal(created.statusCode, 201, created.body);
    const segmentId = created.json().id as string;
    const members = async () => (await owner.get(`/api/v1/segments/${segmentId}/members?limit=50`)).json().items as { id: number }[];

    const now = Date.now();
    const ev = (id: string, minutesAgo: number) => ({
      id,
      type: 'checkin',
      occurredAt: new Date(now - minutesAgo * 60_000).toISOString(),
      identities: [{ type: 'wechat_unionid', value: 'u-live' }],
    });
    const first = await api.post('/api/v1/events', { events: [ev('live-1', 10)] });
    assert.equal(first.statusCode, 200, first.body);
    const customerId = first.json().results[0].customerId as number;
    // One check-in is not enough: give the worker time to have acted, then check still out.
    await until(async () => (await siyu.database.pool.query(`select count(*)::int as n from pgboss.job where name = 'segments.customers-changed' and state = 'completed'`)).rows[0].n > 0);
    assert.deepEqual(await members(), []);

    await api.post('/api/v1/events', { events: [ev('live-2', 5)] });
    const ms = await until(async () => (await members()).some((m) => m.id === customerId));
    t.diagnostic(`entered ${ms} ms after the matching event was accepted`);
    const history = (await owner.get(`/api/v1/segments/${segmentId}/history?limit=10`)).json().items as { customerId: number; change: string }[];
    assert.deepEqual(history.map((h) => [h.customerId, h.change]), [[customerId, 'entered']]);
  });
});
