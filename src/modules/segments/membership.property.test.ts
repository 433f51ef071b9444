/**
 * Property: whatever sequence of events, orders, refunds, merges and undos happens, the
 * membership the live path keeps (each write's customers.changed message handled by the
 * segments subscriber) equals what a full rebuild computes from the raw rows.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, mergeNthCustomers, relayPublished, seedWorkspace, startTestSiyu, undoNthMerge } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const RUNS = 20;
const NOW = new Date('2025-06-01T04:00:00Z');
const DAY = 86_400_000;
const PEOPLE = 5;

type Op =
  | { kind: 'event'; who: number; type: 'checkin' | 'share'; daysAgo: number }
  | { kind: 'order'; who: number; order: number; status: 'paid' | 'refunded'; daysAgo: number; amount: number }
  | { kind: 'merge'; a: number; b: number }
  | { kind: 'unmerge'; pick: number }
  | { kind: 'advance'; hours: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('event' as const), who: fc.nat(PEOPLE - 1), type: fc.constantFrom('checkin' as const, 'share' as const), daysAgo: fc.integer({ min: 0, max: 60 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      who: fc.nat(PEOPLE - 1),
      order: fc.nat(3),
      status: fc.constantFrom('paid' as const, 'refunded' as const),
      daysAgo: fc.integer({ min: 0, max: 60 }),
      amount: fc.integer({ min: 100, max: 90_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), a: fc.nat(10), b: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmerge' as const), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 24 * 20 }) }) },
);

const RULES = [
  { name: '常签到', rule: { type: 'event', eventType: 'checkin', op: 'gte', value: 2, window: { lastDays: 30 } } },
  {
    name: '已购未分享',
    rule: { type: 'and', children: [{ type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 1 }, { type: 'not', child: { type: 'event', eventType: 'share', op: 'gte', value: 1, window: { allTime: true } } }] },
  },
  {
    name: '近期高消费或常分享',
    rule: {
      type: 'or',
      children: [
        { type: 'order_stat', metric: 'amount_30d_fen', op: 'gte', value: 50_000 },
        { type: 'event', eventType: 'share', op: 'gte', value: 2, window: { lastDays: 14 } },
      ],
    },
  },
];

describeEachDatabase('segments: live membership equals a rebuild (property)', ({ database }) => {
  let siyu: Siyu;
  const clock = new ManualClock(NOW);
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
  });
  after(async () => siyu?.jobs.stop());

  /** Hands the workspace's pending customers.changed messages to the segments subscriber, as the worker would. */
  async function deliver(ws: string): Promise<void> {
    await relayPublished(siyu);
    const { rows } = await siyu.database.pool.query<{ id: string; data: { workspaceId: string; customerIds: number[]; causes: string[] } }>(
      `delete from pgboss.job where name = 'segments.customers-changed' and data->>'workspaceId' = $1 returning id, data`,
      [ws],
    );
    if (rows.length) await siyu.segments.membership.onCustomersChanged(rows.map((r) => r.data));
  }

  async function members(ws: string): Promise<string[]> {
    const rows = await siyu.db.selectFrom('segment_members').select(['segment_id', 'customer_id']).where('workspace_id', '=', ws).execute();
    return rows.map((r) => `${r.segment_id}:${r.customer_id}`).sort();
  }

  async function play(ops: Op[]) {
    clock.set(NOW);
    const { workspaceId: ws } = await seedWorkspace(siyu);
    const ctx = systemContext(ws, 'property');
    for (const r of RULES) await siyu.segments.segments.create(ctx, { ...r, status: 'active' } as never);
    await siyu.segments.membership.rebuild(ws);
    let n = 0;
    for (const op of ops) {
      n++;
      if (op.kind === 'event') {
        const at = new Date(clock.now().getTime() - op.daysAgo * DAY - n * 60_000).toISOString();
        const r = await siyu.events.ingestEvents(ctx, [{ id: `e${n}`, type: op.type, occurredAt: at, identities: [{ type: 'wechat_unionid', value: `u${op.who}` }] }]);
        assert.equal(r.rejected, 0, JSON.stringify(r.results));
      } else if (op.kind === 'order') {
        const at = new Date(clock.now().getTime() - op.daysAgo * DAY - n * 60_000).toISOString();
        const r = await siyu.orders.upsertOrders(ctx, [
          {
            platform: 'taobao',
            orderNo: `O${op.who}-${op.order}`,
            status: op.status,
            statusAt: at,
            orderedAt: at,
            paidAt: at,
            totalFen: op.amount,
            identities: [{ type: 'wechat_unionid', value: `u${op.who}` }],
          },
        ]);
        assert.equal(r.rejected, 0, JSON.stringify(r.results));
      } else if (op.kind === 'merge') {
        await mergeNthCustomers(siyu, ctx, op.a, op.b);
      } else if (op.kind === 'advance') {
        // Time passes with no new data: the scheduled jobs run as in the worker.
        clock.advance(op.hours * 3_600_000);
        await siyu.customers.stats.refreshStaleWindows();
        await siyu.segments.membership.runDue();
      } else {
        await undoNthMerge(siyu, ctx, op.pick);
      }
      await deliver(ws);
    }
    const live = await members(ws);
    const check = await siyu.segments.membership.rebuild(ws, { dryRun: true });
    assert.deepEqual([check.entered, check.exited], [0, 0], 'a rebuild from the raw rows would change nothing');
    await siyu.segments.membership.rebuild(ws);
    assert.deepEqual(await members(ws), live);
  }

  it(`holds for ${RUNS} random sequences`, async () => {
    // Found by this property: a paid order leaving the 30-day window with no new data.
    const windowPassing: Op[] = [
      { kind: 'order', who: 0, order: 0, status: 'paid', daysAgo: 11, amount: 50_000 },
      { kind: 'event', who: 0, type: 'checkin', daysAgo: 0 },
      { kind: 'advance', hours: 456 },
      { kind: 'order', who: 1, order: 0, status: 'paid', daysAgo: 0, amount: 100 },
    ];
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 20 }), play), { numRuns: RUNS, examples: [[windowPassing]] });
  });
});
