/**
 * Property: whatever sequence of events, orders, refunds, out-of-order and replayed updates,
 * automatic and manual merges, undos and clock advances happens, the incrementally kept
 * customer aggregates equal a rebuild from the raw rows (after the windows job ran).
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, mergeNthCustomers, seedWorkspace, startTestSiyu, undoNthMerge } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

/** Random sequences per engine: about 20-30 s each on a 2-core machine. */
const RUNS = 80;
const START = new Date('2025-01-01T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

// A small identity pool, so rows overlap: strong unionids, verified and unverified mobiles, weak buyer ids.
const IDENTITIES = [
  ...[0, 1, 2, 3].map((i) => ({ type: 'wechat_unionid', value: `u${i}` })),
  ...[0, 1, 2].map((i) => ({ type: 'mobile', value: `1380000000${i}`, verified: true })),
  ...[3, 4].map((i) => ({ type: 'mobile', value: `1380000000${i}` })),
  ...[0, 1, 2].map((i) => ({ type: 'taobao_buyer_id', value: `t${i}` })),
];
const EVENT_TYPES = ['checkin', 'wecom.friend_added', 'group.joined', 'share'];

type Op =
  | { kind: 'event'; ids: number[]; type: number; daysAgo: number; replay: boolean }
  | { kind: 'order'; order: number; action: 'pay' | 'ship' | 'complete' | 'partial' | 'refund' | 'replay' | 'stale'; ids: number[]; amount: number }
  | { kind: 'merge'; a: number; b: number }
  | { kind: 'unmerge'; pick: number }
  | { kind: 'advance'; days: number };

const idsArb = fc.uniqueArray(fc.integer({ min: 0, max: IDENTITIES.length - 1 }), { minLength: 1, maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('event' as const), ids: idsArb, type: fc.nat(EVENT_TYPES.length - 1), daysAgo: fc.integer({ min: 0, max: 400 }), replay: fc.boolean() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      order: fc.nat(5),
      action: fc.constantFrom('pay', 'ship', 'complete', 'partial', 'refund', 'replay', 'stale'),
      ids: idsArb,
      amount: fc.integer({ min: 300, max: 50_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), a: fc.nat(20), b: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmerge' as const), pick: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 200 }) }) },
);

interface OrderModel {
  body: Record<string, unknown>;
  statusAt: Date;
}

const STATS_SQL = (ws: string) => sql<Record<string, unknown>>`
  select c.id, s.first_order_at, s.last_order_at, coalesce(s.paid_order_count, 0) as paid_order_count, coalesce(s.paid_amount_fen, 0) as paid_amount_fen,
    coalesce(s.refunded_amount_fen, 0) as refunded_amount_fen, coalesce(s.orders_30d, 0) as o30, coalesce(s.amount_30d_fen, 0) as a30,
    coalesce(s.orders_90d, 0) as o90, coalesce(s.amount_90d_fen, 0) as a90, coalesce(s.orders_180d, 0) as o180, coalesce(s.amount_180d_fen, 0) as a180,
    coalesce(s.orders_365d, 0) as o365, coalesce(s.amount_365d_fen, 0) as a365, s.windows_valid_until,
    s.first_interaction_at, s.last_interaction_at, coalesce(s.interaction_count, 0) as interaction_count
  from customers c left join customer_stats s on s.workspace_id = c.workspace_id and s.customer_id = c.id
  where c.workspace_id = ${ws} order by c.id`;

describeEachDatabase('customer aggregates: incremental equals rebuild (property)', ({ database }) => {
  let siyu: Siyu;
  const clock = new ManualClock(START);
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
  });
  after(async () => siyu?.jobs.stop());

  async function play(ops: Op[]) {
    clock.set(START);
    const { workspaceId: ws } = await seedWorkspace(siyu);
    const ctx = systemContext(ws, 'property');
    const orders = new Map<number, OrderModel>();
    const sentEvents: Record<string, unknown>[] = [];
    let n = 0;
    for (const op of ops) {
      if (op.kind === 'advance') clock.advance(op.days * DAY);
      else if (op.kind === 'event') {
        const at = new Date(clock.now().getTime() - op.daysAgo * DAY);
        const e = op.replay && sentEvents.length ? sentEvents[n % sentEvents.length]! : { id: `e${n}`, type: EVENT_TYPES[op.type]!, occurredAt: at.toISOString(), identities: op.ids.map((i) => IDENTITIES[i]), properties: op.type === 2 ? { groupId: 'g' } : {} };
        sentEvents.push(e);
        const r = await siyu.events.ingestEvents(ctx, [e]);
        assert.equal(r.rejected, 0, JSON.stringify(r.results));
      } else if (op.kind === 'order') {
        const body = nextOrderBody(orders, op, clock.now());
        if (body) {
          const r = await siyu.orders.upsertOrders(ctx, [body]);
          assert.equal(r.rejected, 0, JSON.stringify(r.results));
        }
      } else if (op.kind === 'merge') {
        await mergeNthCustomers(siyu, ctx, op.a, op.b);
      } else {
        await undoNthMerge(siyu, ctx, op.pick);
      }
      n++;
    }
    // The windows job runs as it would have; then incremental must equal a rebuild.
    await siyu.customers.stats.refreshStaleWindows();
    const incremental = (await STATS_SQL(ws).execute(siyu.db)).rows;
    await siyu.customers.stats.rebuild(ws, { chunk: 3 });
    const rebuilt = (await STATS_SQL(ws).execute(siyu.db)).rows;
    assert.deepEqual(incremental, rebuilt);
  }

  it(`holds for ${RUNS} random sequences`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), play), { numRuns: RUNS });
  });
});

/** The next order body the model allows for an action (or null when it makes no sense yet). */
function nextOrderBody(orders: Map<number, OrderModel>, op: Extract<Op, { kind: 'order' }>, now: Date): Record<string, unknown> | null {
  const model = orders.get(op.order);
  const key = { platform: 'taobao', orderNo: `O${op.order}` };
  if (!model) {
    if (op.action !== 'pay') return null;
    const at = new Date(now.getTime() - HOUR);
    const body = { ...key, status: 'paid', statusAt: at.toISOString(), orderedAt: at.toISOString(), totalFen: op.amount, identities: op.ids.map((i) => IDENTITIES[i]) };
    orders.set(op.order, { body, statusAt: at });
    return body;
  }
  const next = new Date(Math.max(model.statusAt.getTime() + HOUR, now.getTime() - HOUR));
  const b = model.body as { status: string; totalFen: number; statusAt: string };
  const paidAt = { paidAt: (model.body.paidAt as string | undefined) ?? b.statusAt };
  const step = (status: string, extra: Record<string, unknown> = {}) => {
    const body = { ...model.body, ...paidAt, status, statusAt: next.toISOString(), ...extra };
    orders.set(op.order, { body, statusAt: next });
    return body;
  };
  switch (op.action) {
    case 'pay':
    case 'replay':
      return model.body;
    case 'stale':
      return { ...model.body, ...paidAt, status: 'paid', refundedFen: 0, statusAt: new Date(model.statusAt.getTime() - 2 * HOUR).toISOString() };
    case 'ship':
      return b.status === 'paid' ? step('shipped') : null;
    case 'complete':
      return b.status === 'shipped' ? step('completed') : null;
    case 'partial':
      return ['paid', 'shipped', 'completed'].includes(b.status) ? step('partially_refunded', { refundedFen: Math.floor(b.totalFen / 3) }) : null;
    case 'refund':
      return b.status !== 'refunded' ? step('refunded', { refundedFen: b.totalFen }) : null;
  }
}
