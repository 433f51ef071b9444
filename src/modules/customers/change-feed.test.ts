import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, relayPublished, seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { createAnnouncer } from './change-feed.ts';
import type { CustomersChangedMessage, Trx } from './customers.deps.ts';

describe('customers.changed announcer', () => {
  it('deduplicates and sorts ids, splits large changes and keeps each event with its customer', async () => {
    const sent: CustomersChangedMessage[] = [];
    const announce = createAnnouncer(async (_trx, m) => void sent.push(m));
    const ids = Array.from({ length: 2500 }, (_, i) => 2500 - i);
    const events = [
      { id: 1, type: 'checkin', customerId: 5, occurredAt: '2025-01-01T00:00:00.000Z' },
      { id: 2, type: 'checkin', customerId: 1800, occurredAt: '2025-01-01T00:00:00.000Z' },
    ];
    await announce({} as Trx, 'ws', [...ids, 5, 5], 'event', events);
    assert.deepEqual(sent.map((m) => m.customerIds.length), [1000, 1000, 500]);
    assert.deepEqual(sent[0]!.customerIds.slice(0, 3), [1, 2, 3]);
    assert.deepEqual(sent.map((m) => (m.events ?? []).map((e) => e.id)), [[1], [2], []]);
    assert.ok(sent.every((m) => m.workspaceId === 'ws' && m.causes.join() === 'event'));
  });

  it('sends nothing for no customers, or when nothing listens', async () => {
    const sent: CustomersChangedMessage[] = [];
    await createAnnouncer(async (_trx, m) => void sent.push(m))({} as Trx, 'ws', [], 'event');
    await createAnnouncer(undefined)({} as Trx, 'ws', [1, 2], 'event');
    assert.equal(sent.length, 0);
  });
});

describeEachDatabase('customers.changed from every customer write', ({ database }) => {
  let siyu: Siyu;
  let ws: string;
  const clock = new ManualClock(new Date('2025-06-01T04:00:00Z'));
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
    ws = (await seedWorkspace(siyu)).workspaceId;
  });
  after(async () => siyu?.jobs.stop());

  /** The messages one subscriber received for this workspace, oldest first (journeys: the one that reads the events). */
  async function messages(queue = 'journeys.customers-changed'): Promise<CustomersChangedMessage[]> {
    await relayPublished(siyu);
    const { rows } = await siyu.database.pool.query<{ data: CustomersChangedMessage }>(
      `select data from pgboss.job where name = $2 and data->>'workspaceId' = $1 order by created_on, id`,
      [ws, queue],
    );
    return rows.map((r) => r.data);
  }
  async function since(n: number) {
    return (await messages()).slice(n);
  }

  it('announces ingested events with their ids and customers, and nothing for a replay', async () => {
    const ctx = systemContext(ws, 'test');
    const batch = [
      { id: 'a1', type: 'checkin', occurredAt: '2025-05-01T10:00:00+08:00', identities: [{ type: 'wechat_unionid', value: 'u-a' }] },
      { id: 'b1', type: 'share', occurredAt: '2025-05-02T10:00:00+08:00', identities: [{ type: 'wechat_unionid', value: 'u-b' }] },
    ];
    const r = await siyu.events.ingestEvents(ctx, batch);
    const [a, b] = r.results.map((x) => (x.status === 'accepted' ? x.customerId! : -1)) as [number, number];
    const got = await messages();
    assert.equal(got.length, 1);
    assert.deepEqual(got[0]!.customerIds, [a, b].sort((x, y) => x - y));
    assert.deepEqual(got[0]!.causes, ['event']);
    const stored = await siyu.db.selectFrom('events').select(['id', 'client_id']).where('workspace_id', '=', ws).orderBy('id').execute();
    assert.deepEqual(
      got[0]!.events!.map((e) => [e.id, e.type, e.customerId]).sort(),
      [
        [Number(stored.find((s) => s.client_id === 'a1')!.id), 'checkin', a],
        [Number(stored.find((s) => s.client_id === 'b1')!.id), 'share', b],
      ].sort(),
    );
    // The other subscribers get the same customers without the events they do not read.
    const segments = await messages('segments.customers-changed');
    assert.deepEqual(segments.map((m) => [m.customerIds, m.causes, m.events]), got.map((m) => [m.customerIds, m.causes, undefined]));
    await siyu.events.ingestEvents(ctx, batch);
    assert.equal((await messages()).length, 1, 'a replay of duplicates changes nobody');
  });

  it('announces orders, merges, undos, profile edits and consent with their cause', async () => {
    const ctx = systemContext(ws, 'test');
    const before = (await messages()).length;
    const o = await siyu.orders.upsertOrders(ctx, [
      { platform: 'taobao', orderNo: 'T-1', status: 'paid', statusAt: '2025-05-03T10:00:00+08:00', orderedAt: '2025-05-03T10:00:00+08:00', totalFen: 9900, identities: [{ type: 'wechat_unionid', value: 'u-a' }] },
    ]);
    const a = o.results[0]!.status === 'created' ? o.results[0]!.customerId! : -1;
    const [order] = await since(before);
    assert.deepEqual([order!.causes, order!.customerIds], [['order'], [a]]);
    assert.ok(order!.events!.some((e) => e.type === 'order.paid' && e.customerId === a));

    const c = await siyu.events.ingestEvents(ctx, [{ id: 'c1', type: 'checkin', occurredAt: '2025-05-04T10:00:00+08:00', identities: [{ type: 'wechat_unionid', value: 'u-c' }] }]);
    const first = c.results[0]!;
    const cId = first.status === 'accepted' ? first.customerId! : -1;
    const mark = (await messages()).length;
    const merged = await siyu.customers.reviews.mergeManually(ctx, a, cId);
    await siyu.customers.reviews.undoMerge(ctx, merged.mergeId);
    await siyu.customers.service.patch(ctx, a, { city: '杭州' });
    await siyu.customers.service.recordConsent(ctx, a, { status: 'denied', purpose: 'marketing', channel: 'all' });
    const after = await since(mark);
    // Messages relayed together carry no order among themselves (subscribers re-read state).
    assert.deepEqual(
      after.map((m) => [m.causes[0], m.customerIds]).sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      [
        ['consent', [a]],
        ['merge', [a, cId].sort((x, y) => x - y)],
        ['profile', [a]],
        ['unmerge', [a, cId].sort((x, y) => x - y)],
      ],
    );
  });

  it('announces nothing when the write is rolled back', async () => {
    const mark = (await messages()).length;
    const ctx = systemContext(ws, 'test');
    await assert.rejects(
      siyu.db.transaction().execute(async (trx) => {
        await siyu.customers.writes.announce(trx, ws, [1, 2, 3], 'event');
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await assert.rejects(siyu.customers.reviews.mergeManually(ctx, 999_999, 999_998));
    assert.equal((await messages()).length, mark);
  });
});
