/**
 * A canonical view of a workspace's customers, identities, consents, orders, items, events and
 * aggregates with every surrogate id replaced by a stable key (a customer by its unionid, an
 * identity by type/scope/value), so two loads can be compared row for row. Used by the tests
 * that prove both loading paths store the same data. windows_as_of is compared only for customers
 * with orders: the incremental path leaves it empty for customers who never ordered, a rebuild
 * stamps it on every row.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface DemoSnapshot {
  customers: unknown[];
  identities: unknown[];
  consents: unknown[];
  orders: unknown[];
  items: unknown[];
  events: unknown[];
  stats: unknown[];
}

const rowsOf = async (db: Db, query: ReturnType<typeof sql>) => (await query.execute(db)).rows.map((r) => JSON.parse(JSON.stringify(r)) as unknown);

export async function demoSnapshot(db: Db, ws: string): Promise<DemoSnapshot> {
  // Active customer of every customer row (merged-away ones point to their survivor), and its key.
  const keys = sql`
    with recursive chain(id, active) as (
      select id, id from customers where workspace_id = ${ws} and merged_into is null
      union all
      select c.id, chain.active from customers c join chain on c.merged_into = chain.id where c.workspace_id = ${ws}
    )
    select chain.id, ci.value as key from chain
    join customer_identities ci on ci.workspace_id = ${ws} and ci.customer_id = chain.active and ci.type = 'wechat_unionid'`;
  const idKey = sql`(select i.type || '|' || i.scope || '|' || i.value from customer_identities i where i.workspace_id = ${ws} and i.id = x.identity_id)`;
  return {
    customers: await rowsOf(db, sql`with k as (${keys}) select k.key, c.name, c.nickname, c.gender, c.birthday::text, c.province, c.city, c.mobile, c.email,
        c.consent_status, c.consent_updated_at, c.source_channel, c.source_lure, c.owner_user_id, c.attributes, c.joined_at
      from customers c join k on k.id = c.id where c.workspace_id = ${ws} and c.merged_into is null order by k.key`),
    identities: await rowsOf(db, sql`with k as (${keys}) select k.key, i.type, i.scope, i.value, i.is_verified, i.source
      from customer_identities i join k on k.id = i.customer_id where i.workspace_id = ${ws} order by i.type, i.scope, i.value`),
    consents: await rowsOf(db, sql`with k as (${keys}) select k.key, x.purpose, x.channel, x.status, x.source, x.recorded_at
      from customer_consents x join k on k.id = x.customer_id where x.workspace_id = ${ws} order by k.key, x.recorded_at`),
    orders: await rowsOf(db, sql`with k as (${keys}) select x.platform, x.order_no, k.key, ${idKey} as identity, x.store, x.status, x.currency,
        x.total_fen, x.discount_fen, x.shipping_fen, x.paid_fen, x.refunded_fen, x.item_count, x.ordered_at, x.paid_at, x.shipped_at,
        x.completed_at, x.refunded_at, x.status_at, x.source, x.attributes, x.body_hash
      from orders x join k on k.id = x.customer_id where x.workspace_id = ${ws} order by x.platform, x.order_no`),
    items: await rowsOf(db, sql`select o.platform, o.order_no, i.line_no, i.sku, i.product_id, i.name, i.category, i.quantity, i.unit_price_fen,
        i.amount_fen, i.refunded_quantity
      from order_items i join orders o on o.workspace_id = i.workspace_id and o.id = i.order_id
      where i.workspace_id = ${ws} order by o.platform, o.order_no, i.line_no`),
    events: await rowsOf(db, sql`with k as (${keys}) select x.client_id, x.type, x.occurred_at, k.key, ${idKey} as identity, x.source, x.properties
      from events x join k on k.id = x.customer_id where x.workspace_id = ${ws} order by x.client_id`),
    stats: await rowsOf(db, sql`with k as (${keys}) select k.key, s.first_order_at, s.last_order_at, s.paid_order_count, s.paid_amount_fen,
        s.refunded_amount_fen, s.orders_30d, s.amount_30d_fen, s.orders_90d, s.amount_90d_fen, s.orders_180d, s.amount_180d_fen,
        s.orders_365d, s.amount_365d_fen, case when s.first_order_at is null then null else s.windows_as_of end as windows_as_of, s.windows_valid_until, s.first_interaction_at, s.last_interaction_at, s.interaction_count
      from customer_stats s join customers c on c.workspace_id = s.workspace_id and c.id = s.customer_id and c.merged_into is null
      join k on k.id = s.customer_id where s.workspace_id = ${ws} order by k.key`),
  };
}
