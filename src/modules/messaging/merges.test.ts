/**
 * Messages follow merges: a merge made while ingesting a batch (the set-based path) moves the
 * merged customer's ledger to the survivor, so caps count everything sent to the person; an
 * undo moves back the messages decided for the restored customer.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { DEFAULT_SETTINGS } from './index.ts';

describeEachDatabase('messaging: messages follow customer merges', ({ database }) => {
  let siyu: Siyu;
  // 11:00 in Shanghai.
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
  });
  after(async () => siyu?.jobs.stop());

  it('moves the ledger to the survivor in an ingestion batch, counts it against caps, and moves it back on undo', async () => {
    const { workspaceId } = await seedWorkspace(siyu);
    const ctx = systemContext(workspaceId, 'test');
    await siyu.messaging.settings.put(ctx, DEFAULT_SETTINGS);
    const at = clock.now().toISOString();
    const ingest = async (id: string, identities: object[]) => {
      const r = (await siyu.events.ingestEvents(ctx, [{ id, type: 'custom.visited', occurredAt: at, identities }])).results[0]!;
      assert.equal(r.status, 'accepted');
      return (r as { customerId: number }).customerId;
    };
    const a = await ingest('a', [{ type: 'mobile', value: '13900000001', verified: true }]);
    const b = await ingest('b', [{ type: 'wechat_unionid', value: 'o-union-1' }]);
    assert.notEqual(a, b);
    const send = (key: string, customerId: number) =>
      siyu.messaging.send(workspaceId, [{ idempotencyKey: key, customerId, channel: 'wecom', content: { text: '新品上市' }, source: { kind: 'api' } }]).then((o) => o[0]!);
    assert.equal((await send('m-a', a)).status, 'sent');
    assert.equal((await send('m-b', b)).status, 'sent');

    // One event carrying both strong identities merges the two customers in its batch.
    const survivor = await ingest('c', [{ type: 'mobile', value: '13900000001', verified: true }, { type: 'wechat_unionid', value: 'o-union-1' }]);
    const merged = survivor === a ? b : a;
    assert.ok([a, b].includes(survivor));
    const owners = await siyu.db.selectFrom('messages').select(['idempotency_key', 'customer_id']).where('workspace_id', '=', workspaceId).orderBy('idempotency_key').execute();
    assert.deepEqual(owners.map((m) => [m.idempotency_key, Number(m.customer_id)]), [['m-a', survivor], ['m-b', survivor]]);
    // The person already had two messages today: the daily cap of 2 holds across the merge.
    const third = await send('m-c', survivor);
    assert.deepEqual([third.status, third.reason], ['suppressed', 'capped_daily']);

    const merge = await siyu.db.selectFrom('customer_merges').select('id').where('workspace_id', '=', workspaceId).where('merged_id', '=', merged).executeTakeFirstOrThrow();
    await siyu.customers.reviews.undoMerge(ctx, merge.id);
    const back = await siyu.db.selectFrom('messages').select(['idempotency_key', 'customer_id']).where('workspace_id', '=', workspaceId).orderBy('idempotency_key').execute();
    const originOf = { 'm-a': a, 'm-b': b, 'm-c': survivor } as Record<string, number>;
    assert.deepEqual(back.map((m) => [m.idempotency_key, Number(m.customer_id)]), back.map((m) => [m.idempotency_key, originOf[m.idempotency_key]]));
  });
});
