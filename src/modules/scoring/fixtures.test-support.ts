/** Test data for scoring: customers keyed by a member card, with orders and joining events. */
import assert from 'node:assert/strict';
import type { Db } from '../../platform/db/pool.ts';
import { systemContext } from '../../platform/http/context.ts';
import type { EventsModule } from '../events/index.ts';
import type { OrdersModule } from '../orders/index.ts';
import type { ScoringModule } from './index.ts';

/** The parts of the composed application the fixtures use. */
export interface Siyu {
  db: Db;
  orders: Pick<OrdersModule, 'upsertOrders'>;
  events: Pick<EventsModule, 'ingestEvents'>;
  scoring: ScoringModule;
}

export interface Brand {
  workspaceId: string;
  /** Customer id by member card. */
  ids: Map<string, number>;
  order(card: string, orderNo: string, at: string, fen: number, extra?: Record<string, unknown>): Promise<number>;
  joined(card: string, at: string): Promise<number>;
  event(card: string, type: string, at: string): Promise<number>;
}

let seq = 0;

export function brand(siyu: Siyu, workspaceId: string): Brand {
  const ctx = systemContext(workspaceId, 'test');
  const ids = new Map<string, number>();
  const remember = (card: string, id: number | undefined) => {
    assert.ok(id, `no customer for ${card}`);
    ids.set(card, id);
    return id;
  };
  return {
    workspaceId,
    ids,
    async order(card, orderNo, at, fen, extra = {}) {
      const r = await siyu.orders.upsertOrders(ctx, [
        { platform: 'mall', orderNo, status: 'completed', statusAt: at, orderedAt: at, paidAt: at, totalFen: fen, identities: [{ type: 'member_card', value: card }], ...extra },
      ]);
      assert.equal(r.rejected, 0, JSON.stringify(r.results));
      return remember(card, r.results[0]!.customerId);
    },
    async joined(card, at) {
      return this.event(card, 'wecom.friend_added', at);
    },
    async event(card, type, at) {
      const r = await siyu.events.ingestEvents(ctx, [{ id: `fx-${++seq}-${card}`, type, occurredAt: at, identities: [{ type: 'member_card', value: card }] }]);
      assert.equal(r.rejected, 0, JSON.stringify(r.results));
      return remember(card, r.results[0]!.customerId);
    },
  };
}

/** Queues a full recompute and runs it in this process; returns the finished run. */
export async function recomputeNow(siyu: Siyu, workspaceId: string, options: { directLimit?: number } = {}) {
  const { run } = await siyu.scoring.recompute.request(systemContext(workspaceId, 'test'));
  const done = await siyu.scoring.recompute.run({ workspaceId, runId: run.id }, options);
  assert.ok(done, 'the run was claimed by this process');
  assert.equal(done.status, 'completed', done.error ?? '');
  return done;
}

export async function scoresOf(siyu: Siyu, workspaceId: string) {
  const rows = await siyu.db.selectFrom('customer_scores').selectAll().where('workspace_id', '=', workspaceId).orderBy('customer_id').execute();
  return new Map(rows.map((r) => [r.customer_id, r]));
}
