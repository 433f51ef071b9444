/** SQL of the send ledger (`messages`): claims, decisions, cap counts and delivery state. */
import { sql } from 'kysely';
import type { CapCounts } from './guard-rails.ts';
import type { Executor } from './messaging.deps.ts';
import type { MessageStatus } from './message-types.ts';

/**
 * Serialises the messages of the same customers until the transaction ends, so two
 * workers sending to one customer at once cannot both pass a cap. Locks are taken in id
 * order (no deadlock between batches); transaction-scoped, as the embedded engine needs.
 */
export async function lockCustomers(db: Executor, workspaceId: string, customerIds: readonly number[]): Promise<void> {
  if (!customerIds.length) return;
  const ids = [...new Set(customerIds)].sort((a, b) => a - b);
  await sql`select count(pg_advisory_xact_lock(hashtext(${workspaceId}), (k % 2147483647)::int)) from unnest(${ids}::bigint[]) with ordinality as t(k, n)`.execute(db);
}

export interface LedgerRow {
  id: string;
  idempotency_key: string;
  source_kind: string;
  source_id: string | null;
  source_version: number | null;
  source_step: string | null;
  customer_id: number;
  channel: string;
  driver: string;
  purpose: string;
  template_id: string | null;
  template_version: number | null;
  content: unknown;
  payload: unknown;
  target_url: string | null;
  variables: unknown;
  title: string | null;
  body: string | null;
  status: MessageStatus;
  reason: string | null;
  reason_detail: unknown;
  adlaw_warnings: unknown;
  release_at: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  last_error: string | null;
  provider_ref: string | null;
  requested_at: Date;
  counted_at: Date | null;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function findByKeys(db: Executor, workspaceId: string, keys: readonly string[]): Promise<LedgerRow[]> {
  if (!keys.length) return Promise.resolve([]);
  return db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('idempotency_key', 'in', keys).execute() as Promise<LedgerRow[]>;
}

/** Counted messages per customer and channel since the earlier of the week and month starts. */
export async function capCounts(db: Executor, workspaceId: string, customerIds: readonly number[], w: { dayStart: Date; weekStart: Date; monthStart: Date }): Promise<Map<number, CapCounts>> {
  const out = new Map<number, CapCounts>();
  if (!customerIds.length) return out;
  const since = w.weekStart < w.monthStart ? w.weekStart : w.monthStart;
  const { rows } = await sql<{ customer_id: number; channel: string; d: number; w: number; m: number }>`
    select customer_id, channel,
      count(*) filter (where counted_at >= ${w.dayStart})::int as d,
      count(*) filter (where counted_at >= ${w.weekStart})::int as w,
      count(*) filter (where counted_at >= ${w.monthStart})::int as m
    from messages
    where workspace_id = ${workspaceId} and customer_id = any(${customerIds}::bigint[]) and counted_at >= ${since}
    group by customer_id, channel`.execute(db);
  for (const r of rows) {
    const id = Number(r.customer_id);
    let c = out.get(id);
    if (!c) out.set(id, (c = { all: { day: 0, week: 0, month: 0 }, channels: new Map() }));
    c.all.day += r.d;
    c.all.week += r.w;
    c.all.month += r.m;
    c.channels.set(r.channel, { day: r.d, week: r.w, month: r.m });
  }
  return out;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Inserts new ledger rows; a key already claimed (by a concurrent transaction) is left
 * alone. Returns the keys this call claimed.
 */
export async function insertMessages(db: Executor, workspaceId: string, rows: readonly LedgerRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const c = <T>(f: (r: LedgerRow) => T) => rows.map(f);
  const { rows: claimed } = await sql<{ idempotency_key: string }>`
    insert into messages (workspace_id, id, idempotency_key, source_kind, source_id, source_version, source_step, customer_id,
      origin_customer_id, channel, driver, purpose, template_id, template_version, content, payload, target_url, variables, title, body, status,
      reason, reason_detail, adlaw_warnings, release_at, attempts, next_attempt_at, requested_at, counted_at, sent_at,
      created_at, updated_at)
    select ${workspaceId}, r.id, r.key, r.source_kind, r.source_id, r.source_version, r.source_step, r.customer_id,
      r.customer_id, r.channel, r.driver, r.purpose, r.template_id, r.template_version, r.content::jsonb, r.payload::jsonb, r.target_url,
      coalesce(r.variables::jsonb, '{}'::jsonb), r.title, r.body, r.status, r.reason, r.reason_detail::jsonb, r.adlaw_warnings::jsonb,
      r.release_at, 0, r.next_attempt_at, r.requested_at, r.counted_at, r.sent_at, r.created_at, r.created_at
    from unnest(${c((r) => r.id)}::uuid[], ${c((r) => r.idempotency_key)}::text[], ${c((r) => r.source_kind)}::text[],
      ${c((r) => r.source_id)}::text[], ${c((r) => r.source_version)}::int[], ${c((r) => r.source_step)}::text[],
      ${c((r) => r.customer_id)}::bigint[], ${c((r) => r.channel)}::text[], ${c((r) => r.driver)}::text[], ${c((r) => r.purpose)}::text[],
      ${c((r) => r.template_id)}::uuid[], ${c((r) => r.template_version)}::int[], ${c((r) => json(r.content))}::text[],
      ${c((r) => json(r.payload))}::text[], ${c((r) => r.target_url)}::text[], ${c((r) => json(r.variables))}::text[],
      ${c((r) => r.title)}::text[], ${c((r) => r.body)}::text[], ${c((r) => r.status)}::text[], ${c((r) => r.reason)}::text[],
      ${c((r) => json(r.reason_detail))}::text[], ${c((r) => json(r.adlaw_warnings))}::text[], ${c((r) => iso(r.release_at))}::timestamptz[],
      ${c((r) => iso(r.next_attempt_at))}::timestamptz[], ${c((r) => r.requested_at.toISOString())}::timestamptz[],
      ${c((r) => iso(r.counted_at))}::timestamptz[], ${c((r) => iso(r.sent_at))}::timestamptz[], ${c((r) => r.created_at.toISOString())}::timestamptz[])
      as r(id, key, source_kind, source_id, source_version, source_step, customer_id, channel, driver, purpose, template_id,
        template_version, content, payload, target_url, variables, title, body, status, reason, reason_detail, adlaw_warnings,
        release_at, next_attempt_at, requested_at, counted_at, sent_at, created_at)
    on conflict (workspace_id, idempotency_key) do nothing
    returning idempotency_key`.execute(db);
  return new Set(claimed.map((r) => r.idempotency_key));
}

/** The new state of an existing row after a held message was checked again. */
export interface Redecision {
  id: string;
  status: MessageStatus;
  reason: string | null;
  reason_detail: unknown;
  adlaw_warnings: unknown;
  title: string | null;
  body: string | null;
  release_at: Date | null;
  next_attempt_at: Date | null;
  counted_at: Date | null;
  sent_at: Date | null;
  customer_id: number;
}

export async function applyRedecisions(db: Executor, workspaceId: string, rows: readonly Redecision[], now: Date): Promise<void> {
  if (!rows.length) return;
  const c = <T>(f: (r: Redecision) => T) => rows.map(f);
  await sql`
    update messages m set status = r.status, reason = r.reason, reason_detail = r.reason_detail::jsonb,
      adlaw_warnings = r.adlaw_warnings::jsonb, title = r.title, body = r.body, release_at = r.release_at,
      next_attempt_at = r.next_attempt_at, counted_at = r.counted_at, sent_at = r.sent_at, customer_id = r.customer_id,
      updated_at = ${now}
    from unnest(${c((r) => r.id)}::uuid[], ${c((r) => r.status)}::text[], ${c((r) => r.reason)}::text[], ${c((r) => json(r.reason_detail))}::text[],
      ${c((r) => json(r.adlaw_warnings))}::text[], ${c((r) => r.title)}::text[], ${c((r) => r.body)}::text[],
      ${c((r) => iso(r.release_at))}::timestamptz[], ${c((r) => iso(r.next_attempt_at))}::timestamptz[],
      ${c((r) => iso(r.counted_at))}::timestamptz[], ${c((r) => iso(r.sent_at))}::timestamptz[], ${c((r) => r.customer_id)}::bigint[])
      as r(id, status, reason, reason_detail, adlaw_warnings, title, body, release_at, next_attempt_at, counted_at, sent_at, customer_id)
    where m.workspace_id = ${workspaceId} and m.id = r.id`.execute(db);
}

/** Held messages whose release time has come, locked for this transaction (other workers skip them). */
export function lockDueHeld(db: Executor, now: Date, limit: number, workspaceId?: string | null): Promise<LedgerRow[]> {
  let q = db.selectFrom('messages').selectAll().where('status', '=', 'held').where('release_at', '<=', now).where(notHeldBySource);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  return q.orderBy('release_at').limit(limit).forUpdate().skipLocked().execute() as unknown as Promise<(LedgerRow & { workspace_id: string })[]>;
}

/** The message's source has no hold (a paused journey's messages wait). */
export const notHeldBySource = sql<boolean>`not exists (
  select 1 from message_source_holds h
  where h.workspace_id = messages.workspace_id and h.source_kind = messages.source_kind and h.source_id = messages.source_id)`;
