/** SQL reading the ledger back: listings with filters, per-source counts, dead letters. */
import { sql } from 'kysely';
import type { Executor } from './messaging.deps.ts';
import type { LedgerRow } from './ledger.repository.ts';

export interface LedgerFilter {
  status?: string | undefined;
  reason?: string | undefined;
  channel?: string | undefined;
  driver?: string | undefined;
  sourceKind?: string | undefined;
  sourceId?: string | undefined;
  sourceStep?: string | undefined;
  customerId?: number | undefined;
  /** Recorded at or after / before these instants (ISO 8601). */
  since?: string | undefined;
  until?: string | undefined;
  /** Keyset cursor: rows with a smaller id (ids are time-ordered UUIDv7). */
  before?: string | undefined;
  limit: number;
}

export function listMessages(db: Executor, workspaceId: string, f: LedgerFilter): Promise<LedgerRow[]> {
  let q = db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.reason) q = q.where('reason', '=', f.reason);
  if (f.channel) q = q.where('channel', '=', f.channel);
  if (f.driver) q = q.where('driver', '=', f.driver);
  if (f.sourceKind) q = q.where('source_kind', '=', f.sourceKind);
  if (f.sourceId) q = q.where('source_id', '=', f.sourceId);
  if (f.sourceStep) q = q.where('source_step', '=', f.sourceStep);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.since) q = q.where('created_at', '>=', new Date(f.since));
  if (f.until) q = q.where('created_at', '<', new Date(f.until));
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit).execute() as Promise<LedgerRow[]>;
}

export function getMessage(db: Executor, workspaceId: string, id: string): Promise<LedgerRow | undefined> {
  return db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst() as Promise<LedgerRow | undefined>;
}

export interface SourceCount {
  step: string | null;
  version: number | null;
  status: string;
  reason: string | null;
  count: number;
}

/** The current status of messages and group posts by idempotency key (those found). */
export async function statusesByKey(db: Executor, workspaceId: string, keys: readonly string[]): Promise<Map<string, { status: string; reason: string | null }>> {
  if (!keys.length) return new Map();
  const { rows } = await sql<{ idempotency_key: string; status: string; reason: string | null }>`
    select idempotency_key, status, reason from messages where workspace_id = ${workspaceId} and idempotency_key = any(${[...keys]}::text[])
    union all
    select idempotency_key, status, reason from group_posts where workspace_id = ${workspaceId} and idempotency_key = any(${[...keys]}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.idempotency_key, { status: r.status, reason: r.reason }]));
}

/**
 * Messages and posts to groups of a source by step, version, status and reason (journey
 * funnels read this; a group SOP's posts count like messages).
 */
export async function countBySource(db: Executor, workspaceId: string, sourceKind: string, sourceId: string): Promise<SourceCount[]> {
  const { rows } = await sql<{ source_step: string | null; source_version: number | null; status: string; reason: string | null; n: number }>`
    select source_step, source_version, status, reason, sum(n)::int as n from (
      select source_step, source_version, status, reason, count(*) as n from messages
      where workspace_id = ${workspaceId} and source_kind = ${sourceKind} and source_id = ${sourceId}
      group by source_step, source_version, status, reason
      union all
      select source_step, source_version, status, reason, count(*) as n from group_posts
      where workspace_id = ${workspaceId} and source_kind = ${sourceKind} and source_id = ${sourceId}
      group by source_step, source_version, status, reason
    ) c
    group by source_step, source_version, status, reason
    order by source_step nulls first, source_version, status, reason`.execute(db);
  return rows.map((r) => ({ step: r.source_step, version: r.source_version, status: r.status, reason: r.reason, count: r.n }));
}

/** A customer's messages by status and reason (the profile's summary line). */
export async function customerSummary(db: Executor, workspaceId: string, customerId: number): Promise<{ status: string; reason: string | null; count: number }[]> {
  const { rows } = await sql<{ status: string; reason: string | null; n: number }>`
    select status, reason, count(*)::int as n from messages
    where workspace_id = ${workspaceId} and customer_id = ${customerId}
    group by status, reason order by n desc`.execute(db);
  return rows.map((r) => ({ status: r.status, reason: r.reason, count: r.n }));
}

export async function customerExists(db: Executor, workspaceId: string, customerId: number): Promise<boolean> {
  const row = await db.selectFrom('messaging_recipients').select('id').where('workspace_id', '=', workspaceId).where('id', '=', customerId).executeTakeFirst();
  return !!row;
}

/** Display names for a page of messages (nickname, else name). */
export async function customerLabels(db: Executor, workspaceId: string, ids: readonly number[]): Promise<Map<number, string | null>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('messaging_recipients').select(['id', 'nickname', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [Number(r.id), r.nickname ?? r.name]));
}
