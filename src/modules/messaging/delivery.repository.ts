/** SQL of delivery: claiming due messages for a worker, recording each attempt's result. */
import { sql } from 'kysely';
import { notHeldBySource, type LedgerRow } from './ledger.repository.ts';
import type { Executor } from './messaging.deps.ts';

export type ClaimedRow = LedgerRow & { workspace_id: string };

/**
 * Claims queued messages that are due, and sending ones whose lease ran out (a worker
 * died between the provider call and recording it: they go again, with the same
 * Idempotency-Key). Claimed rows are leased: other workers skip them until `leaseUntil`.
 */
export async function claimDue(db: Executor, now: Date, leaseUntil: Date, limit: number, workspaceId: string | null): Promise<ClaimedRow[]> {
  const { rows } = await sql<ClaimedRow>`
    update messages m set status = 'sending', attempts = m.attempts + 1, lease_until = ${leaseUntil},
      next_attempt_at = ${leaseUntil}, updated_at = ${now}
    from (
      select workspace_id, id from messages
      where status in ('queued', 'sending') and next_attempt_at <= ${now} and ${notHeldBySource}
        ${workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ) due
    where m.workspace_id = due.workspace_id and m.id = due.id
    returning m.*`.execute(db);
  return rows;
}

export interface AttemptResult {
  workspaceId: string;
  id: string;
  /** The attempt number the claim gave; a stale worker's result is ignored. */
  attempts: number;
  status: 'sent' | 'awaiting_confirmation' | 'queued' | 'failed' | 'suppressed';
  reason: string | null;
  reasonDetail: unknown;
  lastError: string | null;
  providerRef: string | null;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
}

export async function recordAttempts(db: Executor, results: readonly AttemptResult[], now: Date): Promise<void> {
  if (!results.length) return;
  const c = <T>(f: (r: AttemptResult) => T) => results.map(f);
  await sql`
    update messages m set status = r.status, reason = r.reason, reason_detail = coalesce(r.reason_detail::jsonb, m.reason_detail),
      last_error = coalesce(r.last_error, m.last_error), provider_ref = coalesce(r.provider_ref, m.provider_ref),
      next_attempt_at = r.next_attempt_at, lease_until = null, sent_at = coalesce(r.sent_at, m.sent_at),
      -- Suppressed at delivery (opted out meanwhile): never sent, so it stops counting against caps.
      counted_at = case when r.status = 'suppressed' then null else m.counted_at end, updated_at = ${now}
    from unnest(${c((r) => r.workspaceId)}::uuid[], ${c((r) => r.id)}::uuid[], ${c((r) => r.attempts)}::int[], ${c((r) => r.status)}::text[],
      ${c((r) => r.reason)}::text[], ${c((r) => (r.reasonDetail ? JSON.stringify(r.reasonDetail) : null))}::text[], ${c((r) => r.lastError)}::text[],
      ${c((r) => r.providerRef)}::text[], ${c((r) => r.nextAttemptAt?.toISOString() ?? null)}::timestamptz[], ${c((r) => r.sentAt?.toISOString() ?? null)}::timestamptz[])
      as r(workspace_id, id, attempts, status, reason, reason_detail, last_error, provider_ref, next_attempt_at, sent_at)
    where m.workspace_id = r.workspace_id and m.id = r.id and m.status = 'sending' and m.attempts = r.attempts`.execute(db);
}

/** Dead letters back to the queue, due now, with a fresh attempt count. */
export async function requeue(db: Executor, workspaceId: string, ids: readonly string[], now: Date): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('messages')
    .set({ status: 'queued', reason: null, reason_detail: null, attempts: 0, next_attempt_at: now, lease_until: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .where('status', '=', 'failed')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Held or queued messages of a source withdrawn (a journey stopped). */
export async function cancelPending(db: Executor, workspaceId: string, filter: { sourceKind: string; sourceId: string; customerIds?: readonly number[] | undefined }, now: Date): Promise<number> {
  let q = db
    .updateTable('messages')
    // Never sent: it stops counting against the customer's caps.
    .set({ status: 'cancelled', reason: 'cancelled', release_at: null, next_attempt_at: null, counted_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('source_kind', '=', filter.sourceKind)
    .where('source_id', '=', filter.sourceId)
    .where('status', 'in', ['held', 'queued']);
  if (filter.customerIds) q = q.where('customer_id', 'in', filter.customerIds.length ? filter.customerIds : [-1]);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** A connector's answer for messages awaiting staff confirmation. */
export async function confirm(db: Executor, workspaceId: string, ids: readonly string[], outcome: 'sent' | 'failed', now: Date, error: string | null): Promise<number> {
  if (!ids.length) return 0;
  const r = await db
    .updateTable('messages')
    .set(outcome === 'sent' ? { status: 'sent', sent_at: now, updated_at: now } : { status: 'failed', reason: 'driver_failed', last_error: error, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .where('status', '=', 'awaiting_confirmation')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Makes a source's pending messages wait (a paused journey): held ones are not released and
 * queued ones not delivered until `releaseSourceHold`. Idempotent.
 */
export async function holdSource(db: Executor, workspaceId: string, source: { sourceKind: string; sourceId: string }, now: Date): Promise<void> {
  await db.insertInto('message_source_holds').values({ workspace_id: workspaceId, source_kind: source.sourceKind, source_id: source.sourceId, held_at: now })
    .onConflict((oc) => oc.doNothing()).execute();
}

/** Lifts a source's hold; returns whether there was one. */
export async function releaseSourceHold(db: Executor, workspaceId: string, source: { sourceKind: string; sourceId: string }): Promise<boolean> {
  const r = await db.deleteFrom('message_source_holds').where('workspace_id', '=', workspaceId).where('source_kind', '=', source.sourceKind).where('source_id', '=', source.sourceId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
