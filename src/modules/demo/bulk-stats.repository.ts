/**
 * customer_stats for a bulk-loaded workspace, set-based: one grouped scan of the orders and one of
 * the events per range of 100,000 customers, instead of the customers module's rebuild, which
 * looks each customer up on its own (fine for a repair, slow for ten million orders). The columns
 * are computed with the very expressions of the customers module's aggregates (through the same
 * customer_order_facts / customer_event_facts views); the test that compares a bulk load with a
 * load through the services, whose aggregates are kept incrementally, guards that they agree.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

const WINDOWS = [30, 90, 180, 365] as const;

export async function rebuildStatsSetBased(db: Db, workspaceId: string, now: Date, rangeSize = 100_000): Promise<number> {
  const { rows } = await sql<{ lo: number | null; hi: number | null }>`
    select min(id)::bigint as lo, max(id)::bigint as hi from customers where workspace_id = ${workspaceId}`.execute(db);
  const lo = rows[0]?.lo;
  const hi = rows[0]?.hi;
  if (lo === null || lo === undefined || hi === null || hi === undefined) return 0;
  let written = 0;
  for (let from = Number(lo); from <= Number(hi); from += rangeSize) {
    written += await rebuildRange(db, workspaceId, now, from, from + rangeSize - 1);
  }
  return written;
}

async function rebuildRange(db: Db, ws: string, now: Date, from: number, to: number): Promise<number> {
  const inWindow = (d: number) => sql`o.paid_at > ${now}::timestamptz - ${`${d} days`}::interval and o.paid_at <= ${now}::timestamptz`;
  const windowCols = WINDOWS.map(
    (d) => sql`count(*) filter (where ${inWindow(d)} and o.refunded_fen < o.paid_fen)::int as orders_${sql.raw(String(d))}d,
      coalesce(sum(o.paid_fen - o.refunded_fen) filter (where ${inWindow(d)}), 0)::bigint as amount_${sql.raw(String(d))}d_fen`,
  );
  const leaves = WINDOWS.map((d) => sql`min(o.paid_at + ${`${d} days`}::interval) filter (where ${inWindow(d)})`);
  const zero = (col: string, type: string) => sql.raw(`coalesce(o.${col}, 0)::${type}`);
  const windowValues = WINDOWS.flatMap((d) => [zero(`orders_${d}d`, 'int'), zero(`amount_${d}d_fen`, 'bigint')]);
  const windowNames = sql.raw(WINDOWS.flatMap((d) => [`orders_${d}d`, `amount_${d}d_fen`]).join(', '));
  const result = await sql`
    insert into customer_stats as s (workspace_id, customer_id, first_order_at, last_order_at, paid_order_count, paid_amount_fen,
      refunded_amount_fen, ${windowNames}, windows_valid_until, windows_as_of, first_interaction_at, last_interaction_at, interaction_count, updated_at)
    select ${ws}, c.id, o.first_order_at, o.last_order_at, ${zero('paid_order_count', 'int')}, ${zero('paid_amount_fen', 'bigint')},
      ${zero('refunded_amount_fen', 'bigint')}, ${sql.join(windowValues)}, o.windows_valid_until, ${now},
      e.first, e.last, coalesce(e.n, 0)::int, ${now}
    from customers c
    left join (
      select o.customer_id, min(o.paid_at) as first_order_at, max(o.paid_at) as last_order_at,
        count(*) filter (where o.refunded_fen < o.paid_fen)::int as paid_order_count,
        coalesce(sum(o.paid_fen - o.refunded_fen), 0)::bigint as paid_amount_fen,
        coalesce(sum(o.refunded_fen), 0)::bigint as refunded_amount_fen,
        ${sql.join(windowCols)},
        least(${sql.join(leaves)}, min(o.paid_at) filter (where o.paid_at > ${now}::timestamptz)) as windows_valid_until
      from customer_order_facts o
      where o.workspace_id = ${ws} and o.customer_id between ${from} and ${to} and o.is_counted
      group by o.customer_id) o on o.customer_id = c.id
    left join (
      select e.customer_id, min(e.occurred_at) as first, max(e.occurred_at) as last, count(*) as n
      from customer_event_facts e
      where e.workspace_id = ${ws} and e.customer_id between ${from} and ${to}
      group by e.customer_id) e on e.customer_id = c.id
    where c.workspace_id = ${ws} and c.id between ${from} and ${to}
    on conflict (workspace_id, customer_id) do update set
      first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at, paid_order_count = excluded.paid_order_count,
      paid_amount_fen = excluded.paid_amount_fen, refunded_amount_fen = excluded.refunded_amount_fen,
      ${sql.raw(WINDOWS.flatMap((d) => [`orders_${d}d = excluded.orders_${d}d`, `amount_${d}d_fen = excluded.amount_${d}d_fen`]).join(', '))},
      windows_valid_until = excluded.windows_valid_until, windows_as_of = excluded.windows_as_of,
      first_interaction_at = excluded.first_interaction_at, last_interaction_at = excluded.last_interaction_at,
      interaction_count = excluded.interaction_count, updated_at = excluded.updated_at`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
