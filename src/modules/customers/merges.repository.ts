/** SQL of merges, undos and merge reviews. */
import { sql } from 'kysely';
import type { Executor } from './customers.deps.ts';
import { RESTORABLE_FIELDS, type ProfileJson } from './merge-rules.ts';

export interface CustomerProfileRow {
  id: number;
  merged_into: number | null;
  profile: ProfileJson;
  /** The identities the customer holds now. */
  identity_ids: number[];
}

/** Locks and returns customers with their profile as JSON (dates as ISO text) and identity ids. */
export async function lockCustomers(db: Executor, workspaceId: string, ids: number[]): Promise<CustomerProfileRow[]> {
  const { rows } = await sql<CustomerProfileRow>`
    select c.id, c.merged_into, to_jsonb(c) - 'workspace_id' - 'id' - 'created_at' - 'updated_at' - 'merged_into' as profile,
      array(select ci.id from customer_identities ci where ci.workspace_id = c.workspace_id and ci.customer_id = c.id order by ci.id) as identity_ids
    from customers c where c.workspace_id = ${workspaceId} and c.id = any(${ids}::bigint[])
    order by c.id for update of c`.execute(db);
  return rows.map((r) => ({ ...r, identity_ids: r.identity_ids.map(Number) }));
}

/**
 * Pins customers for writes made outside the workspace identity lock: takes FOR KEY SHARE on
 * each (in id order; a merge or undo, which locks FOR UPDATE, waits for the caller's commit,
 * and the caller waits for one already under way) and follows merges committed since the
 * caller resolved them. Returns each id's current survivor.
 */
export async function pinCustomers(db: Executor, workspaceId: string, ids: Iterable<number>): Promise<Map<number, number>> {
  const next = new Map<number, number>();
  let pending = [...new Set(ids)].sort((a, b) => a - b);
  while (pending.length) {
    const { rows } = await sql<{ id: string | number; merged_into: string | number | null }>`
      select id, merged_into from customers where workspace_id = ${workspaceId} and id = any(${pending}::bigint[])
      order by id for key share`.execute(db);
    for (const r of rows) next.set(Number(r.id), r.merged_into === null ? Number(r.id) : Number(r.merged_into));
    pending = [...new Set(rows.filter((r) => r.merged_into !== null).map((r) => Number(r.merged_into)))].filter((id) => !next.has(id)).sort((a, b) => a - b);
  }
  const survivor = (id: number): number => {
    let at = id;
    for (let hops = 0; next.get(at) !== undefined && next.get(at) !== at && hops < 1000; hops++) at = next.get(at)!;
    return at;
  };
  return new Map([...next.keys()].map((id) => [id, survivor(id)]));
}

/** Moves every identity of each `from` to its `to` (one statement for all merges of a batch). */
export async function moveAllIdentities(db: Executor, workspaceId: string, moves: { from: number; to: number }[]): Promise<void> {
  if (!moves.length) return;
  await sql`
    update customer_identities ci set customer_id = m.to_id
    from unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) as m(from_id, to_id)
    where ci.workspace_id = ${workspaceId} and ci.customer_id = m.from_id`.execute(db);
}

/** Moves back the identities among `ids` still held by `from`; returns the ids moved. */
export async function moveIdentitiesBack(db: Executor, workspaceId: string, ids: number[], from: number, to: number): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('customer_identities')
    .set({ customer_id: to })
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', from)
    .where('id', 'in', ids)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Writes profile fields (only restorable ones) from a JSON object, typed by the table's row type. */
export async function writeProfileFields(db: Executor, workspaceId: string, customerId: number, fields: ProfileJson, now: Date): Promise<void> {
  const keys = Object.keys(fields).filter((k) => RESTORABLE_FIELDS.has(k));
  if (!keys.length) return;
  const sets = sql.raw(keys.map((k) => `${k} = r.${k}`).join(', '));
  await sql`
    update customers c set ${sets}, updated_at = ${now}
    from jsonb_populate_record(null::customers, ${JSON.stringify(fields)}::jsonb) r
    where c.workspace_id = ${workspaceId} and c.id = ${customerId}`.execute(db);
}

/**
 * Writes the final state of customers a list of merges touched: every restorable field from
 * `profile` (the row as JSON, see lockCustomers) and merged_into, one statement for all.
 */
export async function writeMergedStates(db: Executor, workspaceId: string, rows: { id: number; mergedInto: number | null; profile: ProfileJson }[], now: Date): Promise<void> {
  if (!rows.length) return;
  const fields = [...RESTORABLE_FIELDS];
  const sets = sql.raw(fields.map((k) => `${k} = r.${k}`).join(', '));
  const json = JSON.stringify(rows.map((r) => ({ ...Object.fromEntries(fields.map((k) => [k, r.profile[k] ?? null])), id: r.id, merged_into: r.mergedInto })));
  await sql`
    update customers c set ${sets}, merged_into = r.merged_into, updated_at = ${now}
    from jsonb_populate_recordset(null::customers, ${json}::jsonb) r
    where c.workspace_id = ${workspaceId} and c.id = r.id`.execute(db);
}

export async function setMergedInto(db: Executor, workspaceId: string, id: number, into: number | null, now: Date): Promise<void> {
  await db.updateTable('customers').set({ merged_into: into, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export interface MergeRow {
  id: string;
  survivorId: number;
  mergedId: number;
  reason: string;
  evidence: unknown;
  snapshot: unknown;
}

export async function insertMerges(db: Executor, workspaceId: string, rows: MergeRow[], actor: { type: string; id: string | null }, at: Date): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('customer_merges')
    .values(
      rows.map((row) => ({
        workspace_id: workspaceId,
        id: row.id,
        survivor_id: row.survivorId,
        merged_id: row.mergedId,
        reason: row.reason,
        evidence: JSON.stringify(row.evidence),
        snapshot: JSON.stringify(row.snapshot),
        actor_type: actor.type,
        actor_id: actor.id,
        created_at: at,
      })),
    )
    .execute();
}

export function findMerge(db: Executor, workspaceId: string, id: string) {
  return db.selectFrom('customer_merges').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markMergeUndone(db: Executor, workspaceId: string, id: string, at: Date, by: string): Promise<void> {
  await db.updateTable('customer_merges').set({ undone_at: at, undone_by: by }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Open reviews between the two customers of each pair are settled by their merge. */
export async function settleReviews(db: Executor, workspaceId: string, pairs: { a: number; b: number }[], at: Date, by: string | null): Promise<void> {
  if (!pairs.length) return;
  // Both orders of each pair, so the lookup stays on the (workspace, customer_a, customer_b) key.
  const a = pairs.flatMap((p) => [p.a, p.b]);
  const b = pairs.flatMap((p) => [p.b, p.a]);
  await sql`
    update merge_reviews r set status = 'merged', decided_at = ${at}, decided_by = ${by}
    from unnest(${a}::bigint[], ${b}::bigint[]) as p(a, b)
    where r.workspace_id = ${workspaceId} and r.customer_a = p.a and r.customer_b = p.b and r.status = 'open'`.execute(db);
}

export function listMergesOf(db: Executor, workspaceId: string, customerId: number) {
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('survivor_id', '=', customerId), eb('merged_id', '=', customerId)]))
    .orderBy('created_at', 'desc')
    .execute();
}
