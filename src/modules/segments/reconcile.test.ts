/**
 * The hourly reconcile: facts that drifted from the sources without a change message are
 * refreshed and their customers re-evaluated; the check itself never waits for the live path's
 * lock, so live membership updates are not held up by it.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

describeEachDatabase('segments: the reconcile of drifted facts', ({ database, target }) => {
  let siyu: Siyu;
  let ws: string;
  let segmentId: string;
  const ids: number[] = [];

  before(async () => {
    siyu = await startTestSiyu(database());
    ws = (await seedWorkspace(siyu)).workspaceId;
    const ctx = systemContext(ws, 'test');
    const at = new Date(Date.now() - 3600_000).toISOString();
    const r = await siyu.events.ingestEvents(ctx, ['a', 'b', 'c'].map((k) => ({ id: `r-${k}`, type: 'checkin', occurredAt: at, identities: [{ type: 'wechat_unionid', value: `u-${k}` }] })));
    ids.push(...r.results.map((x) => (x as { customerId: number }).customerId));
    const segment = await siyu.segments.segments.create(ctx, { name: '抖音来的', rule: { type: 'source_channel', op: 'in', value: ['content_douyin'] }, status: 'active' });
    segmentId = segment.id;
    await siyu.segments.membership.evaluateSegment(ws, segmentId, 'rule');
  });
  after(async () => siyu?.jobs.stop());

  const members = async () =>
    (await sql<{ id: string }>`select customer_id as id from segment_members where workspace_id = ${ws} and segment_id = ${segmentId} order by 1`.execute(siyu.db)).rows.map((r) => Number(r.id));

  /** Written behind the live path's back: no customers.changed message. */
  const setChannel = (id: number, channel: string) => siyu.database.db.updateTable('customers').set({ source_channel: channel }).where('workspace_id', '=', ws).where('id', '=', id).execute();

  it('refreshes only the drifted customers and moves them in and out of segments', async () => {
    assert.deepEqual(await members(), []);
    // No worker runs here: the customers' change messages were never handled, so their facts are missing.
    assert.deepEqual(await siyu.segments.membership.reconcile(ws), { customers: 3, changes: 0 });
    assert.deepEqual(await siyu.segments.membership.reconcile(ws), { customers: 0, changes: 0 }, 'nothing drifted');
    await setChannel(ids[0]!, 'content_douyin');
    assert.deepEqual(await members(), [], 'the live path did not see the change');
    assert.deepEqual(await siyu.segments.membership.reconcile(ws), { customers: 1, changes: 1 });
    assert.deepEqual(await members(), [ids[0]]);

    await setChannel(ids[1]!, 'content_douyin');
    await setChannel(ids[0]!, 'ecom_package_card');
    assert.deepEqual(await siyu.segments.membership.reconcile(ws), { customers: 2, changes: 2 });
    assert.deepEqual(await members(), [ids[1]]);
    const history = await sql<{ change: string; cause: string }>`select change, cause from segment_membership_history
      where workspace_id = ${ws} and segment_id = ${segmentId} order by id`.execute(siyu.db);
    assert.deepEqual(history.rows.map((r) => `${r.change}:${r.cause}`).sort(), ['entered:reconcile', 'entered:reconcile', 'exited:reconcile']);
  });

  it('checks for drift without waiting for the live path’s lock', { skip: target === 'embedded' ? 'the embedded engine runs one transaction at a time' : false }, async () => {
    const client = await siyu.database.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select pg_advisory_xact_lock(hashtextextended($1::text, 0))`, [`segments:${ws}`]);
      const done = await Promise.race([
        siyu.segments.membership.reconcile(ws).then(() => 'done'),
        new Promise((resolve) => setTimeout(() => resolve('blocked'), 5000)),
      ]);
      assert.equal(done, 'done', 'a reconcile with nothing drifted waited for the segments lock');
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
