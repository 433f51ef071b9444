/**
 * segment_facts: one narrow row per active customer, copied from segment_customer_source
 * (customers + customer_stats + customer_score_facts). Refreshed for the customers of every
 * change before membership is evaluated, by id range in the hourly reconcile and the rebuild.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './segments.deps.ts';

export const FACT_COLUMNS = [
  'gender', 'birthday', 'province', 'city', 'consent_status', 'source_channel', 'source_lure', 'owner_user_id', 'joined_at', 'created_at',
  'first_order_at', 'last_order_at', 'paid_order_count', 'paid_amount_fen', 'refunded_amount_fen',
  'orders_30d', 'amount_30d_fen', 'orders_90d', 'amount_90d_fen', 'orders_180d', 'amount_180d_fen', 'orders_365d', 'amount_365d_fen',
  'first_interaction_at', 'last_interaction_at',
  'rfm_r', 'rfm_f', 'rfm_m', 'rfm_class', 'lifecycle_stage', 'lifecycle_days_stage', 'lifecycle_stage_stage', 'lifecycle_business_stage',
  'value_layer', 'consumption_tier',
] as const;

const cols = sql.raw(['workspace_id', 'customer_id', ...FACT_COLUMNS].join(', '));
const updates = sql.raw(FACT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '));
const current = sql.raw(`(${FACT_COLUMNS.map((c) => `f.${c}`).join(', ')})`);
const incoming = sql.raw(`(${FACT_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`);

/** Which customers a refresh covers: a list (live path) or an id range (reconcile, rebuild). */
export type FactScope = { ids: readonly number[] } | { after: number; upTo: number | null };

function inScope(column: RawBuilder<unknown>, scope: FactScope): RawBuilder<unknown> {
  if ('ids' in scope) return sql`${column} = any(${[...scope.ids]}::bigint[])`;
  return scope.upTo === null ? sql`${column} > ${scope.after}::bigint` : sql`${column} > ${scope.after}::bigint and ${column} <= ${scope.upTo}::bigint`;
}

/**
 * Makes the facts of the scope equal to the sources: inserts and updates rows that differ,
 * deletes rows of customers merged away. Returns the customers whose facts changed.
 */
export async function refreshFacts(db: Executor, workspaceId: string, scope: FactScope): Promise<number[]> {
  if ('ids' in scope && !scope.ids.length) return [];
  const { rows } = await sql<{ customer_id: number }>`
    with src as (
      select ${cols} from segment_customer_source s where s.workspace_id = ${workspaceId}::uuid and ${inScope(sql.ref('s.customer_id'), scope)}),
    gone as (
      delete from segment_facts f where f.workspace_id = ${workspaceId}::uuid and ${inScope(sql.ref('f.customer_id'), scope)}
        and not exists (select 1 from src where src.customer_id = f.customer_id)
      returning f.customer_id),
    up as (
      insert into segment_facts as f (${cols}) select ${cols} from src order by customer_id
      on conflict (workspace_id, customer_id) do update set ${updates} where ${current} is distinct from ${incoming}
      returning f.customer_id)
    select customer_id from gone union all select customer_id from up`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}

/**
 * The id that ends a chunk of `size` active customers after `after` (null: the rest). Chunks
 * tile the whole id range, so facts of merged customers between them are cleared too.
 */
export async function chunkEnd(db: Executor, workspaceId: string, after: number, size: number): Promise<number | null> {
  const { rows } = await sql<{ customer_id: number }>`
    select customer_id from segment_attribute_facts where workspace_id = ${workspaceId}::uuid and customer_id > ${after}::bigint
    order by customer_id offset ${size - 1} limit 1`.execute(db);
  return rows[0] ? Number(rows[0].customer_id) : null;
}

/**
 * The customers of the scope whose facts differ from the sources, or who have facts but no
 * source row (merged away) — read only (the reconcile's check, the rebuild's dry run).
 */
export async function driftedCustomers(db: Executor, workspaceId: string, scope: FactScope): Promise<number[]> {
  const src = sql.raw(`(${FACT_COLUMNS.map((c) => `s.${c}`).join(', ')})`);
  const { rows } = await sql<{ customer_id: string }>`
    select coalesce(s.customer_id, f.customer_id) as customer_id
    from (select ${cols} from segment_customer_source s where s.workspace_id = ${workspaceId}::uuid and ${inScope(sql.ref('s.customer_id'), scope)}) s
    full join (select ${cols} from segment_facts f where f.workspace_id = ${workspaceId}::uuid and ${inScope(sql.ref('f.customer_id'), scope)}) f
      on f.customer_id = s.customer_id
    where s.customer_id is null or f.customer_id is null or ${src} is distinct from ${current}`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}

/**
 * A chunk of a full evaluation joins up to 20,000 customers' facts with their events, tags and
 * purchases. With statistics taken before the facts were filled (a first evaluation, or the
 * embedded engine, which has no autovacuum) the planner expects one row and re-runs a grouped
 * subquery once per customer: measured at 20,000 customers, over 12 minutes instead of a third
 * of a second. Over a whole chunk hash and merge joins are always the right plan, so nested
 * loops are turned off for the chunk's transaction.
 */
export async function planForRanges(db: Executor): Promise<void> {
  await sql`set local enable_nestloop = off`.execute(db);
}

/** Back to the default plans (a page of newest customers walks the facts by id and stops early). */
export async function planForLookups(db: Executor): Promise<void> {
  await sql`set local enable_nestloop = on`.execute(db);
}

/**
 * Analyzes a table when a tenth of it (and at least 1,000 rows) changed since the last ANALYZE.
 * On statistics from when it was nearly empty the planner scans whole tables where an index
 * finds a handful of rows (a member lookup for ten customers took 160 ms after a segment's
 * first evaluation filled its members, until autovacuum caught up).
 */
export async function analyzeIfStale(db: Executor, table: 'segment_facts' | 'segment_members'): Promise<boolean> {
  const { rows } = await sql<{ changed: string; rows: number }>`
    select s.n_mod_since_analyze as changed, c.reltuples as rows
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = ${table}`.execute(db);
  const r = rows[0];
  if (!r || Number(r.changed) < Math.max(1000, 0.1 * Math.max(0, Number(r.rows)))) return false;
  await sql`analyze ${sql.table(table)}`.execute(db);
  return true;
}

/** Analyzes segment_facts when a tenth of it (and at least 1,000 rows) changed since the last ANALYZE. */
export const analyzeFactsIfStale = (db: Executor): Promise<boolean> => analyzeIfStale(db, 'segment_facts');
