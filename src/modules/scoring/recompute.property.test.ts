/**
 * Property: a recompute by changes (only the customers whose scores can have moved since the
 * last run) leaves every customer exactly as a recompute that reads every customer would.
 * Random orders, refunds, interactions, merges, undos and days passing are applied with live
 * re-scoring delivered as the worker would, recomputes by changes run in between, and at the
 * end a full recompute must find nothing to change — no score, day, class or count.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { ManualClock, mergeNthCustomers, relayPublished, seedWorkspace, startTestSiyu, undoNthMerge } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { SCORING_CHANGES_JOB } from './index.ts';

const RUNS = 12;
const NOW = new Date('2025-06-01T04:00:00Z');
const DAY = 86_400_000;
const PEOPLE = 8;

type Op =
  | { kind: 'order'; who: number; order: number; status: 'paid' | 'refunded'; daysAgo: number; amount: number }
  | { kind: 'event'; who: number; daysAgo: number }
  | { kind: 'merge'; a: number; b: number }
  | { kind: 'unmerge'; pick: number }
  | { kind: 'advance'; days: number }
  | { kind: 'recompute' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      who: fc.nat(PEOPLE - 1),
      order: fc.nat(3),
      status: fc.constantFrom('paid' as const, 'paid' as const, 'refunded' as const),
      daysAgo: fc.integer({ min: -3, max: 400 }),
      amount: fc.integer({ min: 100, max: 900_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('event' as const), who: fc.nat(PEOPLE - 1), daysAgo: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('merge' as const), a: fc.nat(10), b: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmerge' as const), pick: fc.nat(10) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 70 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('recompute' as const) }) },
);

describeEachDatabase('scoring: a recompute by changes equals reading every customer (property)', ({ database }) => {
  let siyu: Siyu;
  const clock = new ManualClock(NOW);
  const modes: string[] = [];
  before(async () => {
    siyu = await startTestSiyu(database(), { clock });
  });
  after(async () => siyu?.jobs.stop());

  /** Hands the workspace's pending customers.changed messages to live re-scoring, as the worker would. */
  async function deliver(ws: string): Promise<void> {
    await relayPublished(siyu);
    const { rows } = await siyu.database.pool.query<{ data: { workspaceId: string; customerIds: number[]; causes: string[] } }>(
      `delete from pgboss.job where name = $1 and data->>'workspaceId' = $2 returning data`,
      [SCORING_CHANGES_JOB, ws],
    );
    if (rows.length) await siyu.scoring.onCustomersChanged(rows.map((r) => r.data));
  }

  async function recompute(ws: string, full = false) {
    const { run } = await siyu.scoring.recompute.request(systemContext(ws, 'property'), 'manual', { full });
    const done = await siyu.scoring.recompute.run({ workspaceId: ws, runId: run.id });
    assert.equal(done?.status, 'completed', done?.error ?? '');
    modes.push(done!.mode!);
    await deliver(ws);
    return done!;
  }

  async function scores(ws: string) {
    const { rows } = await sql<Record<string, unknown>>`
      select customer_id, rfm_recency_days + (${clock.now()}::date - scored_at::date) as recency_now, rfm_frequency, rfm_monetary_fen, rfm_r, rfm_f, rfm_m, rfm_class,
        lifecycle_days_stage, lifecycle_stage_stage, lifecycle_business_stage, lifecycle_stage, value_layer, consumption_tier, last_order_day, rescore_on_day
      from customer_scores where workspace_id = ${ws} order by customer_id`.execute(siyu.db);
    return rows;
  }

  async function distribution(ws: string) {
    const { rows } = await sql<{ dimension: number; value: string; customers: number }>`
      select dimension, value::text, customers from scoring_distribution where workspace_id = ${ws} and customers <> 0 order by dimension, scoring_distribution.value`.execute(siyu.db);
    return rows;
  }

  /** The distribution counted from the stored scores. */
  async function recount(ws: string) {
    const { rows } = await sql<{ dimension: number; value: string; customers: number }>`
      select dimension, value::text, customers from (
        select 0 as dimension, 0::int8 as value, count(*)::int as customers from customer_scores where workspace_id = ${ws}
        union all select 1, last_order_day, count(*)::int from customer_scores where workspace_id = ${ws} and last_order_day is not null group by 2
        union all select 2, rfm_frequency, count(*)::int from customer_scores where workspace_id = ${ws} and rfm_frequency is not null group by 2
        union all select 3, scoring_monetary_bucket(rfm_monetary_fen), count(*)::int from customer_scores where workspace_id = ${ws} and rfm_monetary_fen is not null group by 2
        union all select 4, rfm_monetary_fen, count(*)::int from customer_scores where workspace_id = ${ws} and rfm_monetary_fen is not null group by 2) c
      where customers <> 0 order by dimension, value::int8`.execute(siyu.db);
    return rows;
  }

  async function play(ops: Op[]) {
    clock.set(NOW);
    const { workspaceId: ws } = await seedWorkspace(siyu);
    const ctx = systemContext(ws, 'property');
    let n = 0;
    const apply = async (op: Op) => {
      n++;
      const at = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * DAY - n * 60_000).toISOString();
      if (op.kind === 'order') {
        const r = await siyu.orders.upsertOrders(ctx, [
          {
            platform: 'mall', orderNo: `O${op.who}-${op.order}`, status: op.status, statusAt: at(op.daysAgo), orderedAt: at(op.daysAgo), paidAt: at(op.daysAgo),
            totalFen: op.amount, identities: [{ type: 'member_card', value: `M${op.who}` }],
          },
        ]);
        assert.equal(r.rejected, 0, JSON.stringify(r.results));
      } else if (op.kind === 'event') {
        const r = await siyu.events.ingestEvents(ctx, [{ id: `e${n}`, type: 'wecom.friend_added', occurredAt: at(op.daysAgo), identities: [{ type: 'member_card', value: `M${op.who}` }] }]);
        assert.equal(r.rejected, 0, JSON.stringify(r.results));
      } else if (op.kind === 'merge') {
        await mergeNthCustomers(siyu, ctx, op.a, op.b);
      } else if (op.kind === 'unmerge') {
        await undoNthMerge(siyu, ctx, op.pick);
      } else if (op.kind === 'advance') {
        // Days pass with no new data: the windows refresh as in the worker.
        clock.advance(op.days * DAY);
        await siyu.customers.stats.refreshStaleWindows();
      } else {
        await recompute(ws);
      }
      await deliver(ws);
    };
    // A brand with buyers of every kind, scored once by reading everyone.
    for (let who = 0; who < PEOPLE; who++) {
      for (let k = 0; k <= who % 3; k++) await apply({ kind: 'order', who, order: k, status: 'paid', daysAgo: (who * 47 + k * 29) % 300, amount: 5_000 + who * 13_000 + k * 700 });
    }
    await recompute(ws);
    for (const op of ops) await apply(op);

    await recompute(ws);
    const kept = await scores(ws);
    const counts = await distribution(ws);
    const full = await recompute(ws, true);
    assert.equal(full.mode, 'full');
    assert.equal(full.changed, 0, 'a full recompute after one by changes has nothing left to write');
    assert.deepEqual(await scores(ws), kept);
    assert.deepEqual(counts, await recount(ws), 'the kept distribution equals a recount');
    assert.deepEqual(await distribution(ws), counts);
  }

  it(`holds for ${RUNS} random sequences`, async () => {
    // Time alone moves a customer across a lifecycle and a recency threshold, and cut points move with new orders.
    const example: Op[] = [
      { kind: 'advance', days: 31 },
      { kind: 'recompute' },
      { kind: 'order', who: 2, order: 3, status: 'paid', daysAgo: 0, amount: 800_000 },
      { kind: 'advance', days: 61 },
      { kind: 'recompute' },
    ];
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 16 }), play), { numRuns: RUNS, examples: [[example]] });
    // The property means something only if recomputes by changes ran.
    assert.ok(modes.filter((m) => m === 'changes').length >= RUNS, `runs by changes: ${modes.join(', ')}`);
  });
});
