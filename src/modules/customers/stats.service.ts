/**
 * Per-customer aggregates: deltas on every write, a job that refreshes windows gone stale
 * as time passes, and a rebuild from the raw rows that must give the identical result.
 */
import type { Db } from '../../platform/db/pool.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Announce } from './change-feed.ts';
import type { Trx } from './customers.deps.ts';
import { applyJoinedAt, lockWorkspaceIdentities } from './identity.repository.ts';
import * as repo from './stats.repository.ts';

/** One attributed row for the interaction aggregates. */
export interface Interaction {
  customerId: number;
  at: Date;
  /** Joining events (WeCom friend added, followed, joined a group) move joined_at back. */
  isJoin: boolean;
}

export function createStatsService(deps: { db: Db; clock: Clock; announce?: Announce }) {
  /** Applies interactions as per-customer deltas (one statement) in the caller's transaction. */
  async function applyInteractions(trx: Trx, workspaceId: string, rows: Interaction[], now: Date): Promise<void> {
    const byCustomer = new Map<number, repo.InteractionDelta>();
    const joins = new Map<number, Date>();
    for (const r of rows) {
      const d = byCustomer.get(r.customerId);
      if (!d) byCustomer.set(r.customerId, { customerId: r.customerId, first: r.at, last: r.at, count: 1 });
      else {
        if (r.at < d.first) d.first = r.at;
        if (r.at > d.last) d.last = r.at;
        d.count++;
      }
      if (r.isJoin) {
        const j = joins.get(r.customerId);
        if (!j || r.at < j) joins.set(r.customerId, r.at);
      }
    }
    // In customer order: concurrent writers lock aggregate rows in the same order.
    await repo.applyInteractionDeltas(trx, workspaceId, [...byCustomer.values()].sort((a, b) => a.customerId - b.customerId), now);
    await applyJoinedAt(trx, workspaceId, [...joins].map(([customerId, at]) => ({ customerId, at })));
  }

  /** Recomputes order aggregates of the customers whose orders changed (caller's transaction). */
  function recomputeOrders(trx: Trx, workspaceId: string, customerIds: number[], now: Date): Promise<void> {
    return repo.recomputeOrderStats(trx, workspaceId, customerIds, now);
  }

  /**
   * Recomputes every customer's aggregates of a workspace from the raw rows, in chunks of
   * `chunk` customers, each in its own transaction under the identity lock (so ingestion
   * running meanwhile never interleaves with a chunk).
   */
  async function rebuild(workspaceId: string, options: { chunk?: number } = {}): Promise<{ customers: number }> {
    const chunk = options.chunk ?? 5000;
    let after = 0;
    let total = 0;
    for (;;) {
      const ids = await repo.customerIdPage(deps.db, workspaceId, after, chunk);
      if (!ids.length) break;
      await deps.db.transaction().execute(async (trx) => {
        await lockWorkspaceIdentities(trx, workspaceId);
        const now = deps.clock.now();
        await repo.recomputeAllStats(trx, workspaceId, ids, now);
      });
      total += ids.length;
      after = ids.at(-1)!;
    }
    return { customers: total };
  }

  /** Refreshes windows that went stale as time passed; returns how many rows it refreshed. */
  async function refreshStaleWindows(options: { limit?: number } = {}): Promise<number> {
    const now = deps.clock.now();
    const stale = await repo.findStaleWindows(deps.db, now, options.limit ?? 5000);
    const byWorkspace = new Map<string, number[]>();
    for (const s of stale) byWorkspace.set(s.workspaceId, [...(byWorkspace.get(s.workspaceId) ?? []), s.customerId]);
    for (const [workspaceId, ids] of byWorkspace) {
      await deps.db.transaction().execute(async (trx) => {
        await lockWorkspaceIdentities(trx, workspaceId);
        await repo.recomputeOrderStats(trx, workspaceId, ids, deps.clock.now());
        // Their 30/90/180/365-day figures changed with time alone: segments and scores follow.
        await deps.announce?.(trx, workspaceId, ids, 'windows');
      });
    }
    return stale.length;
  }

  return { applyInteractions, recomputeOrders, rebuild, refreshStaleWindows };
}

export type StatsService = ReturnType<typeof createStatsService>;
