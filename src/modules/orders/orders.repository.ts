/** All SQL of orders and order_items: set-based reads and unnest()-based writes. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/database.types.ts';
import type { NormalizedOrder, StoredOrderState } from './order-rules.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface StoredOrder extends StoredOrderState {
  id: number;
  platform: string;
  orderNo: string;
  customerId: number;
  identityId: number | null;
}

export const orderKey = (platform: string, orderNo: string) => `${platform}\u0001${orderNo}`;

export async function findOrders(db: Executor, workspaceId: string, keys: { platform: string; orderNo: string }[]): Promise<Map<string, StoredOrder>> {
  if (!keys.length) return new Map();
  const { rows } = await sql<{
    id: number; platform: string; order_no: string; customer_id: number; identity_id: number | null; status_at: Date; body_hash: string | null;
    paid_at: Date | null; shipped_at: Date | null; completed_at: Date | null; refunded_fen: number;
  }>`
    select o.id, o.platform, o.order_no, o.customer_id, o.identity_id, o.status_at, o.body_hash, o.paid_at, o.shipped_at, o.completed_at, o.refunded_fen
    from unnest(${keys.map((k) => k.platform)}::text[], ${keys.map((k) => k.orderNo)}::text[]) as k(platform, order_no)
    join orders o on o.workspace_id = ${workspaceId} and o.platform = k.platform and o.order_no = k.order_no`.execute(db);
  return new Map(
    rows.map((r) => [
      orderKey(r.platform, r.order_no),
      { id: r.id, platform: r.platform, orderNo: r.order_no, customerId: r.customer_id, identityId: r.identity_id, statusAt: r.status_at, hash: r.body_hash, paidAt: r.paid_at, shippedAt: r.shipped_at, completedAt: r.completed_at, refundedFen: r.refunded_fen },
    ]),
  );
}

export interface OrderWrite {
  id: number;
  order: NormalizedOrder;
  customerId: number;
  identityId: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function allocateOrderIds(db: Executor, n: number): Promise<number[]> {
  if (!n) return [];
  const { rows } = await sql<{ ids: (string | number)[] }>`select array(select nextval('orders_id_seq') from generate_series(1, ${n}::int)) as ids`.execute(db);
  return rows[0]!.ids.map(Number);
}

/** Inserts new orders and overwrites updated ones in one statement each way. */
export async function upsertOrderRows(db: Executor, workspaceId: string, rows: OrderWrite[], source: string, now: Date): Promise<void> {
  if (!rows.length) return;
  const o = <T>(f: (x: NormalizedOrder) => T) => rows.map((r) => f(r.order));
  await sql`
    insert into orders (workspace_id, id, platform, order_no, store, customer_id, identity_id, status, total_fen, discount_fen, shipping_fen,
      paid_fen, refunded_fen, item_count, ordered_at, paid_at, shipped_at, completed_at, refunded_at, status_at, source, attributes, body_hash, created_at, updated_at)
    select ${workspaceId}, r.id, r.platform, r.order_no, r.store, r.customer_id, r.identity_id, r.status, r.total_fen, r.discount_fen, r.shipping_fen,
      r.paid_fen, r.refunded_fen, r.item_count, r.ordered_at, r.paid_at, r.shipped_at, r.completed_at, r.refunded_at, r.status_at, ${source}, r.attributes, r.body_hash, ${now}, ${now}
    from unnest(${rows.map((r) => r.id)}::bigint[], ${o((x) => x.platform)}::text[], ${o((x) => x.orderNo)}::text[], ${o((x) => x.store)}::text[],
      ${rows.map((r) => r.customerId)}::bigint[], ${rows.map((r) => r.identityId)}::bigint[], ${o((x) => x.status)}::text[], ${o((x) => x.totalFen)}::bigint[],
      ${o((x) => x.discountFen)}::bigint[], ${o((x) => x.shippingFen)}::bigint[], ${o((x) => x.paidFen)}::bigint[], ${o((x) => x.refundedFen)}::bigint[],
      ${o((x) => x.items.reduce((n, i) => n + i.quantity, 0))}::int[], ${o((x) => iso(x.orderedAt))}::timestamptz[], ${o((x) => iso(x.paidAt))}::timestamptz[],
      ${o((x) => iso(x.shippedAt))}::timestamptz[], ${o((x) => iso(x.completedAt))}::timestamptz[], ${o((x) => iso(x.refundedAt))}::timestamptz[],
      ${o((x) => iso(x.statusAt))}::timestamptz[], ${o((x) => JSON.stringify(x.attributes))}::jsonb[], ${o((x) => x.hash)}::text[])
      as r(id, platform, order_no, store, customer_id, identity_id, status, total_fen, discount_fen, shipping_fen, paid_fen, refunded_fen,
        item_count, ordered_at, paid_at, shipped_at, completed_at, refunded_at, status_at, attributes, body_hash)
    on conflict (workspace_id, id) do update set
      store = excluded.store, status = excluded.status, total_fen = excluded.total_fen, discount_fen = excluded.discount_fen,
      shipping_fen = excluded.shipping_fen, paid_fen = excluded.paid_fen, refunded_fen = excluded.refunded_fen, item_count = excluded.item_count,
      ordered_at = excluded.ordered_at, paid_at = excluded.paid_at, shipped_at = excluded.shipped_at, completed_at = excluded.completed_at,
      refunded_at = excluded.refunded_at, status_at = excluded.status_at, attributes = excluded.attributes, body_hash = excluded.body_hash,
      updated_at = excluded.updated_at`.execute(db);
}

/** Replaces the items of the given orders. */
export async function replaceItems(db: Executor, workspaceId: string, rows: OrderWrite[], replacing: number[]): Promise<void> {
  if (replacing.length) {
    await sql`delete from order_items where workspace_id = ${workspaceId} and order_id = any(${replacing}::bigint[])`.execute(db);
  }
  const items = rows.flatMap((r) => r.order.items.map((i) => ({ orderId: r.id, ...i })));
  if (!items.length) return;
  const c = <T>(f: (x: (typeof items)[number]) => T) => items.map(f);
  await sql`
    insert into order_items (workspace_id, order_id, line_no, sku, product_id, name, category, quantity, unit_price_fen, amount_fen, refunded_quantity)
    select ${workspaceId}, r.* from unnest(${c((i) => i.orderId)}::bigint[], ${c((i) => i.lineNo)}::int[], ${c((i) => i.sku)}::text[],
      ${c((i) => i.productId)}::text[], ${c((i) => i.name)}::text[], ${c((i) => i.category)}::text[], ${c((i) => i.quantity)}::int[],
      ${c((i) => i.unitPriceFen)}::bigint[], ${c((i) => i.amountFen)}::bigint[], ${c((i) => i.refundedQuantity)}::int[])
      as r(order_id, line_no, sku, product_id, name, category, quantity, unit_price_fen, amount_fen, refunded_quantity)`.execute(db);
}

export async function reassignAll(db: Executor, workspaceId: string, from: number, to: number): Promise<void> {
  await db.updateTable('orders').set({ customer_id: to }).where('workspace_id', '=', workspaceId).where('customer_id', '=', from).execute();
}

/** The merges of a batch at once: each `from` customer's orders go to its `to`. */
export async function reassignMany(db: Executor, workspaceId: string, moves: { from: number; to: number }[]): Promise<void> {
  if (!moves.length) return;
  await sql`
    update orders o set customer_id = m.to_id
    from unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) as m(from_id, to_id)
    where o.workspace_id = ${workspaceId} and o.customer_id = m.from_id`.execute(db);
}

/** An undo: the orders of `from` that arrived through `identityIds` (found through the customer index). */
export async function reassignByIdentity(db: Executor, workspaceId: string, identityIds: number[], from: number, to: number): Promise<void> {
  if (!identityIds.length) return;
  await db.updateTable('orders').set({ customer_id: to }).where('workspace_id', '=', workspaceId).where('customer_id', '=', from).where('identity_id', 'in', identityIds).execute();
}

export function getOrder(db: Executor, workspaceId: string, platform: string, orderNo: string) {
  return db.selectFrom('orders').selectAll().where('workspace_id', '=', workspaceId).where('platform', '=', platform).where('order_no', '=', orderNo).executeTakeFirst();
}

export function getItems(db: Executor, workspaceId: string, orderId: number) {
  return db.selectFrom('order_items').selectAll().where('workspace_id', '=', workspaceId).where('order_id', '=', orderId).orderBy('line_no').execute();
}
