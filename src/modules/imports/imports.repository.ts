/** All SQL of the imports module. */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { DB, Imports } from '../../platform/db/database.types.ts';
import type { RowError } from './import-types.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type ImportRow = Selectable<Imports>;

export function insertImport(db: Executor, row: Insertable<Imports>) {
  return db.insertInto('imports').values(row).execute();
}

export function getImport(db: Executor, workspaceId: string, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Locks the import row for a state change (start, run). */
export function lockImport(trx: Transaction<DB>, workspaceId: string, id: string): Promise<ImportRow | undefined> {
  return trx.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listImports(db: Executor, workspaceId: string, filter: { before?: string | undefined; limit: number }): Promise<ImportRow[]> {
  let q = db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId);
  // ids are UUIDv7: newest first by id, and the id is the keyset cursor.
  if (filter.before) q = q.where('id', '<', filter.before);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function findCompletedImport(db: Executor, workspaceId: string, kind: string, fileHash: string, mappingHash: string): Promise<ImportRow | undefined> {
  return db
    .selectFrom('imports')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'completed')
    .where('file_hash', '=', fileHash)
    .where('kind', '=', kind)
    .where('mapping_hash', '=', mappingHash)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export function updateImport(db: Executor, workspaceId: string, id: string, patch: Updateable<Imports>) {
  return db
    .updateTable('imports')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function insertFile(db: Executor, workspaceId: string, importId: string, seq: number, name: string, content: Buffer): Promise<void> {
  await db.insertInto('import_files').values({ workspace_id: workspaceId, import_id: importId, seq, name, bytes: content.length, content }).execute();
}

export function listFileHeads(db: Executor, workspaceId: string, importId: string) {
  return db
    .selectFrom('import_files')
    .select(['seq', 'name', 'bytes'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .orderBy('seq')
    .execute();
}

export async function loadFiles(db: Executor, workspaceId: string, importId: string): Promise<{ name: string; bytes: Buffer }[]> {
  const rows = await db
    .selectFrom('import_files')
    .select(['name', 'content'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ name: r.name, bytes: r.content ?? Buffer.alloc(0) }));
}

export function dropFileContent(db: Executor, workspaceId: string, importId: string) {
  return db.updateTable('import_files').set({ content: null }).where('workspace_id', '=', workspaceId).where('import_id', '=', importId).execute();
}

/** Replaces the stored error report of an import, multi-row inserts of 5,000. */
export async function replaceErrors(db: Executor, workspaceId: string, importId: string, errors: readonly RowError[]): Promise<void> {
  await db.deleteFrom('import_errors').where('workspace_id', '=', workspaceId).where('import_id', '=', importId).execute();
  for (let start = 0; start < errors.length; start += 5000) {
    const chunk = errors.slice(start, start + 5000);
    await sql`
      insert into import_errors (workspace_id, import_id, seq, file, line, column_name, value, reason, message)
      select ${workspaceId}::uuid, ${importId}::uuid, s, f, l, c, v, r, m
      from unnest(${chunk.map((_, i) => start + i + 1)}::int[], ${chunk.map((e) => e.file)}::text[], ${chunk.map((e) => e.line)}::int[],
                  ${chunk.map((e) => e.column)}::text[], ${chunk.map((e) => (e.value === null ? null : e.value.slice(0, 500)))}::text[],
                  ${chunk.map((e) => e.reason)}::text[], ${chunk.map((e) => e.message.slice(0, 1000))}::text[]) as t(s, f, l, c, v, r, m)`.execute(db);
  }
}

export function listErrors(db: Executor, workspaceId: string, importId: string, limit?: number): Promise<RowError[]> {
  let q = db
    .selectFrom('import_errors')
    .select(['file', 'line', 'column_name as column', 'value', 'reason', 'message'])
    .where('workspace_id', '=', workspaceId)
    .where('import_id', '=', importId)
    .orderBy('seq');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

/**
 * Customers created and merges made by a batch, for the import summary: a mark taken before
 * the batch's writes and compared after, in the same transaction. The orders write port
 * reports per-order outcomes but not its identity-resolution summary, so the import reads
 * these two figures itself (customer ids are allocated increasingly; merges are rare rows).
 */
export interface ResolutionMark {
  maxCustomerId: number;
  merges: number;
}

export async function resolutionMark(db: Executor, workspaceId: string): Promise<ResolutionMark> {
  const r = await sql<{ max: string | null; merges: number }>`
    select (select max(id)::text from customers where workspace_id = ${workspaceId}) as max,
           (select count(*)::int from customer_merges where workspace_id = ${workspaceId} and undone_at is null) as merges`.execute(db);
  return { maxCustomerId: Number(r.rows[0]?.max ?? 0), merges: r.rows[0]?.merges ?? 0 };
}

export async function resolutionSince(db: Executor, workspaceId: string, mark: ResolutionMark): Promise<{ created: number; merged: number }> {
  const after = await resolutionMark(db, workspaceId);
  const r = await sql<{ created: number }>`
    select count(*)::int as created from customers where workspace_id = ${workspaceId} and id > ${mark.maxCustomerId}`.execute(db);
  return { created: r.rows[0]?.created ?? 0, merged: Math.max(0, after.merges - mark.merges) };
}
