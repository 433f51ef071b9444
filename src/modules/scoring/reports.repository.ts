/** Aggregates over customer_scores and customer_score_history for the reports. */
import { sql } from 'kysely';
import type { Dimension } from './scoring.schemas.ts';
import type { Executor } from './scoring.deps.ts';

export const DIMENSION_COLUMN: Record<Dimension, string> = {
  rfm_class: 'rfm_class',
  lifecycle_days: 'lifecycle_days_stage',
  lifecycle_stage: 'lifecycle_stage_stage',
  lifecycle_business: 'lifecycle_business_stage',
  value_layer: 'value_layer',
  consumption_tier: 'consumption_tier',
};

export interface ClassRow {
  rfm_class: string | null;
  customers: number;
  revenue: number;
  avg_recency: number | null;
  avg_frequency: number | null;
  avg_monetary: number | null;
}

/** Per RFM class: customers, monetary sum and averages; recency brought up to `today`. */
export async function rfmClassTotals(db: Executor, workspaceId: string, timeZone: string, today: number): Promise<ClassRow[]> {
  const { rows } = await sql<ClassRow>`
    select rfm_class, count(*)::int8 as customers, coalesce(sum(rfm_monetary_fen), 0)::int8 as revenue,
      avg(rfm_recency_days + (${today}::int - ((scored_at at time zone ${timeZone})::date - date '1970-01-01')))::float8 as avg_recency,
      avg(rfm_frequency)::float8 as avg_frequency, avg(rfm_monetary_fen)::float8 as avg_monetary
    from customer_scores where workspace_id = ${workspaceId}
    group by rfm_class`.execute(db);
  return rows;
}

/** Customers per value of every stage, layer and tier column, in one scan. */
export async function distributions(db: Executor, workspaceId: string): Promise<{ column: string; value: string | null; customers: number }[]> {
  const cols = ['lifecycle_days_stage', 'lifecycle_stage_stage', 'lifecycle_business_stage', 'value_layer', 'consumption_tier'];
  const { rows } = await sql<{ g: number; value: string | null; customers: number }>`
    select grouping(${sql.raw(cols.join(', '))})::int as g,
      coalesce(${sql.raw(cols.map((c) => `case when grouping(${c}) = 0 then ${c} end`).join(', '))}) as value,
      count(*)::int8 as customers
    from customer_scores where workspace_id = ${workspaceId}
    group by grouping sets (${sql.raw(cols.map((c) => `(${c})`).join(', '))})`.execute(db);
  // grouping(c1..c5) has a 0 bit for the grouped column (c1 is the highest bit).
  return rows.map((r) => ({ column: cols[cols.findIndex((_, i) => ((r.g >> (cols.length - 1 - i)) & 1) === 0)]!, value: r.value, customers: r.customers }));
}

export async function totalScored(db: Executor, workspaceId: string): Promise<number> {
  const r = await db.selectFrom('customer_scores').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The value of a dimension per customer just before each of two instants, joined by customer. */
function transitionPairs(workspaceId: string, dimension: Dimension, fromAt: Date, toAt: Date) {
  const col = sql.raw(DIMENSION_COLUMN[dimension]);
  const at = (t: Date) => sql`select customer_id, ${col} as v from customer_score_history
    where workspace_id = ${workspaceId} and valid_from < ${t} and (valid_to is null or valid_to >= ${t})`;
  return sql`select coalesce(a.customer_id, b.customer_id) as customer_id, a.v as from_v, b.v as to_v
    from (${at(fromAt)}) a full join (${at(toAt)}) b on b.customer_id = a.customer_id`;
}

export async function transitionCounts(db: Executor, workspaceId: string, dimension: Dimension, fromAt: Date, toAt: Date) {
  const { rows } = await sql<{ from_v: string | null; to_v: string | null; customers: number }>`
    select from_v, to_v, count(*)::int8 as customers from (${transitionPairs(workspaceId, dimension, fromAt, toAt)}) p
    group by from_v, to_v`.execute(db);
  return rows;
}

export async function transitionCustomers(
  db: Executor,
  workspaceId: string,
  q: { dimension: Dimension; fromAt: Date; toAt: Date; fromValue: string | null; toValue: string | null; after: number; limit: number },
) {
  const { rows } = await sql<{ customer_id: number; name: string | null; nickname: string | null }>`
    select p.customer_id, i.name, i.nickname
    from (${transitionPairs(workspaceId, q.dimension, q.fromAt, q.toAt)}) p
    join scoring_customer_inputs i on i.workspace_id = ${workspaceId} and i.customer_id = p.customer_id
    where p.from_v is not distinct from ${q.fromValue} and p.to_v is not distinct from ${q.toValue} and p.customer_id > ${q.after}
    order by p.customer_id limit ${q.limit}`.execute(db);
  return rows;
}

export async function customerScore(db: Executor, workspaceId: string, customerId: number) {
  const current = await db.selectFrom('customer_scores').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).executeTakeFirst();
  const history = await db
    .selectFrom('customer_score_history')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('valid_from', 'desc')
    .limit(100)
    .execute();
  return { current, history };
}

export async function customerExists(db: Executor, workspaceId: string, customerId: number): Promise<boolean> {
  const { rows } = await sql`select 1 from scoring_customer_inputs where workspace_id = ${workspaceId} and customer_id = ${customerId}`.execute(db);
  return rows.length > 0;
}
