/**
 * customer_stats: interaction aggregates are applied as deltas in the writing transaction;
 * order aggregates are recomputed for the affected customers from the customer_order_facts
 * view (set-based, one statement). The same SQL rebuilds everything from the raw rows.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './customers.deps.ts';

export const WINDOWS = [30, 90, 180, 365] as const;

export interface InteractionDelta {
  customerId: number;
  first: Date;
  last: Date;
  count: number;
}

/**
 * Adds per-customer deltas to the interaction aggregates. `deltas` selects (workspace_id,
 * customer_id, first, last, count, updated_at) in customer order: concurrent writers lock
 * aggregate rows in the same order.
 */
function upsertInteractionDeltas(deltas: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into customer_stats as s (workspace_id, customer_id, first_interaction_at, last_interaction_at, interaction_count, updated_at)
    ${deltas}
    on conflict (workspace_id, customer_id) do update set
      first_interaction_at = least(s.first_interaction_at, excluded.first_interaction_at),
      last_interaction_at = greatest(s.last_interaction_at, excluded.last_interaction_at),
      interaction_count = s.interaction_count + excluded.interaction_count,
      updated_at = excluded.updated_at`;
}

export async function applyInteractionDeltas(db: Executor, workspaceId: string, deltas: InteractionDelta[], now: Date): Promise<void> {
  if (!deltas.length) return;
  await upsertInteractionDeltas(sql`
    select ${workspaceId}, d.id, d.first, d.last, d.n, ${now}
    from unnest(${deltas.map((d) => d.customerId)}::bigint[], ${deltas.map((d) => d.first.toISOString())}::timestamptz[],
      ${deltas.map((d) => d.last.toISOString())}::timestamptz[], ${deltas.map((d) => d.count)}::int[]) as d(id, first, last, n)`).execute(db);
}

/**
 * The same deltas as `applyInteractionDeltas`, from rows another part of the caller's statement
 * produces: `relation` (a CTE name) with one row per interaction, columns `customer_id` and
 * `occurred_at`. Lets the events insert apply its aggregates in the same statement, without
 * sending the rows back and forth.
 */
export function interactionDeltasFrom(workspaceId: string, relation: string, now: Date): RawBuilder<unknown> {
  return upsertInteractionDeltas(sql`
    select ${workspaceId}::uuid, d.customer_id, min(d.occurred_at), max(d.occurred_at), count(*)::int, ${now}::timestamptz
    from ${sql.table(relation)} d group by d.customer_id
    order by d.customer_id`);
}

/** The order-aggregate columns for one customer `c.id`, exact at `now`. */
function orderAggregates(workspaceId: string, now: Date): RawBuilder<unknown> {
  const inWindow = (days: number) => sql`o.paid_at > ${now}::timestamptz - ${`${days} days`}::interval and o.paid_at <= ${now}::timestamptz`;
  const windowCols = WINDOWS.map(
    (d) => sql`count(*) filter (where ${inWindow(d)} and o.refunded_fen < o.paid_fen)::int as orders_${sql.raw(String(d))}d,
      coalesce(sum(o.paid_fen - o.refunded_fen) filter (where ${inWindow(d)}), 0)::bigint as amount_${sql.raw(String(d))}d_fen`,
  );
  // The stored windows stay exact until the first counted order leaves a window (or a
  // future-dated one enters it).
  const leaves = WINDOWS.map((d) => sql`min(o.paid_at + ${`${d} days`}::interval) filter (where ${inWindow(d)})`);
  return sql`
    select min(o.paid_at) as first_order_at, max(o.paid_at) as last_order_at,
      count(*) filter (where o.refunded_fen < o.paid_fen)::int as paid_order_count,
      coalesce(sum(o.paid_fen - o.refunded_fen), 0)::bigint as paid_amount_fen,
      coalesce(sum(o.refunded_fen), 0)::bigint as refunded_amount_fen,
      ${sql.join(windowCols)},
      least(${sql.join(leaves)}, min(o.paid_at) filter (where o.paid_at > ${now}::timestamptz)) as windows_valid_until
    from customer_order_facts o
    where o.workspace_id = ${workspaceId} and o.customer_id = c.id and o.is_counted`;
}

const ORDER_COLUMNS = [
  'first_order_at',
  'last_order_at',
  'paid_order_count',
  'paid_amount_fen',
  'refunded_amount_fen',
  ...WINDOWS.flatMap((d) => [`orders_${d}d`, `amount_${d}d_fen`]),
  'windows_valid_until',
];

/** Recomputes the order aggregates of `customerIds` (exact at `now`) in one statement. */
export async function recomputeOrderStats(db: Executor, workspaceId: string, customerIds: number[], now: Date): Promise<void> {
  if (!customerIds.length) return;
  const cols = sql.raw(ORDER_COLUMNS.join(', '));
  const sets = sql.raw(ORDER_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '));
  await sql`
    insert into customer_stats as s (workspace_id, customer_id, ${cols}, windows_as_of, updated_at)
    select ${workspaceId}, c.id, ${sql.raw(ORDER_COLUMNS.map((c) => `a.${c}`).join(', '))}, ${now}, ${now}
    from unnest(${[...new Set(customerIds)]}::bigint[]) as c(id)
    cross join lateral (${orderAggregates(workspaceId, now)}) a
    on conflict (workspace_id, customer_id) do update set ${sets}, windows_as_of = excluded.windows_as_of, updated_at = excluded.updated_at`.execute(db);
}

/** Recomputes order and interaction aggregates of `customerIds` in one statement (merges, undos, rebuild). */
export async function recomputeAllStats(db: Executor, workspaceId: string, customerIds: number[], now: Date): Promise<void> {
  if (!customerIds.length) return;
  const cols = ORDER_COLUMNS.join(', ');
  const sets = sql.raw([...ORDER_COLUMNS, 'first_interaction_at', 'last_interaction_at', 'interaction_count', 'windows_as_of', 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', '));
  await sql`
    insert into customer_stats as s (workspace_id, customer_id, ${sql.raw(cols)}, first_interaction_at, last_interaction_at, interaction_count, windows_as_of, updated_at)
    select ${workspaceId}, c.id, ${sql.raw(ORDER_COLUMNS.map((c) => `a.${c}`).join(', '))}, i.first, i.last, i.n, ${now}, ${now}
    from unnest(${[...new Set(customerIds)]}::bigint[]) as c(id)
    cross join lateral (${orderAggregates(workspaceId, now)}) a
    cross join lateral (
      select min(e.occurred_at) as first, max(e.occurred_at) as last, count(*)::int as n
      from customer_event_facts e where e.workspace_id = ${workspaceId} and e.customer_id = c.id) i
    on conflict (workspace_id, customer_id) do update set ${sets}`.execute(db);
}

/** Customers (of any workspace) whose stored windows went stale, oldest first. */
export async function findStaleWindows(db: Executor, now: Date, limit: number): Promise<{ workspaceId: string; customerId: number }[]> {
  const rows = await db
    .selectFrom('customer_stats')
    .select(['workspace_id', 'customer_id'])
    .where('windows_valid_until', '<=', now)
    .orderBy('windows_valid_until')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, customerId: r.customer_id }));
}

/** A page of customer ids of a workspace (merged-away ones too), for the rebuild. */
export async function customerIdPage(db: Executor, workspaceId: string, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The order aggregates of one customer computed at `now`, without storing them (profile reads). */
export async function computeOrderStats(db: Executor, workspaceId: string, customerId: number, now: Date) {
  const { rows } = await sql<Record<string, unknown>>`select a.* from (select ${customerId}::bigint as id) c cross join lateral (${orderAggregates(workspaceId, now)}) a`.execute(db);
  return rows[0]!;
}
