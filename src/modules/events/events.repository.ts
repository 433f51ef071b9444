/** All SQL of the events table. */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/database.types.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface EventRow {
  clientId: string;
  type: string;
  at: Date;
  customerId: number;
  identityId: number | null;
  properties: Record<string, unknown>;
}

/** Which of `clientIds` are already stored (one query). */
export async function findExistingClientIds(db: Executor, workspaceId: string, clientIds: string[]): Promise<Set<string>> {
  if (!clientIds.length) return new Set();
  // One index probe per id (LATERAL ... LIMIT 1), whatever the planner's statistics say of a
  // table that grew since it last looked (a scan of the whole workspace otherwise).
  const { rows } = await sql<{ client_id: string }>`
    select k.client_id from unnest(${clientIds}::text[]) as k(client_id)
    cross join lateral (select 1 from events e where e.workspace_id = ${workspaceId} and e.client_id = k.client_id limit 1) found`.execute(db);
  return new Set(rows.map((r) => r.client_id));
}

const eventColumns = (rows: EventRow[]) => sql`
  unnest(${rows.map((r) => r.clientId)}::text[], ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.at.toISOString())}::timestamptz[],
    ${rows.map((r) => r.customerId)}::bigint[], ${rows.map((r) => r.identityId)}::bigint[], ${rows.map((r) => JSON.stringify(r.properties))}::jsonb[])
    as r(client_id, type, at, customer_id, identity_id, properties)`;

/** What customers.changed says of an inserted event. */
export interface InsertedEvent {
  id: number;
  type: string;
  customerId: number;
  occurredAt: string;
}

/**
 * The inserted events, from the ids the insert returned and the rows it was given (so only the
 * ids and client ids travel back; a client id appears once among inserted rows).
 */
interface InsertedRow {
  id: string | number;
  client_id: string;
}

function insertedOf(rows: EventRow[], out: InsertedRow[]): (InsertedEvent & { clientId: string })[] {
  const byClientId = new Map<string, EventRow>();
  for (const r of rows) if (!byClientId.has(r.clientId)) byClientId.set(r.clientId, r);
  return out.map((o) => {
    const r = byClientId.get(o.client_id)!;
    return { id: Number(o.id), clientId: o.client_id, type: r.type, customerId: r.customerId, occurredAt: r.at.toISOString() };
  });
}

/**
 * A statement over the inserted events (`relation`: a CTE with their `customer_id` and
 * `occurred_at`) that the insert runs with it: the customers' interaction aggregates.
 */
export type AlongsideInsert = (workspaceId: string, relation: string, now: Date) => RawBuilder<unknown>;

function insertStatement(workspaceId: string, rows: EventRow[], source: string, now: Date, skipStored: boolean, alongside?: AlongsideInsert) {
  const insert = sql`
    insert into events (workspace_id, id, client_id, type, occurred_at, received_at, customer_id, identity_id, source, properties)
    select ${workspaceId}, nextval('events_id_seq'), r.client_id, r.type, r.at, ${now}, r.customer_id, r.identity_id, ${source}, r.properties
    from ${eventColumns(rows)}
    ${skipStored ? sql`on conflict (workspace_id, client_id) do nothing` : sql``}
    returning id, client_id, customer_id, occurred_at`;
  return alongside ? sql<InsertedRow>`with ins as (${insert}), alongside as (${alongside(workspaceId, 'ins', now)}) select id, client_id from ins` : sql<InsertedRow>`${insert}`;
}

/**
 * Inserts events whose client ids the caller found new under the workspace lock (so no
 * conflict can arise; a violation would fail the whole transaction, never store twice).
 * Cheaper per row than the ON CONFLICT form below.
 */
export async function insertNewEvents(db: Executor, workspaceId: string, rows: EventRow[], source: string, now: Date, alongside?: AlongsideInsert): Promise<InsertedEvent[]> {
  if (!rows.length) return [];
  const { rows: out } = await insertStatement(workspaceId, rows, source, now, false, alongside).execute(db);
  return insertedOf(rows, out);
}

/** Inserts events, skipping client ids already stored; returns the events inserted. */
export async function insertEvents(
  db: Executor,
  workspaceId: string,
  rows: EventRow[],
  source: string,
  now: Date,
  alongside?: AlongsideInsert,
): Promise<(InsertedEvent & { clientId: string })[]> {
  if (!rows.length) return [];
  const { rows: out } = await insertStatement(workspaceId, rows, source, now, true, alongside).execute(db);
  return insertedOf(rows, out);
}

export async function reassignAll(db: Executor, workspaceId: string, from: number, to: number): Promise<void> {
  await db.updateTable('events').set({ customer_id: to }).where('workspace_id', '=', workspaceId).where('customer_id', '=', from).execute();
}

/** The merges of a batch at once: each `from` customer's events go to its `to`. */
export async function reassignMany(db: Executor, workspaceId: string, moves: { from: number; to: number }[]): Promise<void> {
  if (!moves.length) return;
  await sql`
    update events e set customer_id = m.to_id
    from unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) as m(from_id, to_id)
    where e.workspace_id = ${workspaceId} and e.customer_id = m.from_id`.execute(db);
}

/** An undo: the events of `from` that arrived through `identityIds` (found through the customer index). */
export async function reassignByIdentity(db: Executor, workspaceId: string, identityIds: number[], from: number, to: number): Promise<void> {
  if (!identityIds.length) return;
  await db
    .updateTable('events')
    .set({ customer_id: to })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', from)
    .where('identity_id', 'in', identityIds)
    .execute();
}
