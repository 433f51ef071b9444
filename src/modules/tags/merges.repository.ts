/** SQL of customer tags following merges and undos, and of the snapshots that make undos exact. */
import { sql } from 'kysely';
import type { TagSource } from './tags.schemas.ts';
import type { Executor } from './tags.repository.ts';

/** One customer_tags row as kept in a merge snapshot (times as ISO strings). */
export interface SnapshotRow {
  tagId: string;
  source: TagSource;
  ruleId: string | null;
  addedBy: string | null;
  addedAt: string;
  expiresAt: string | null;
}

export async function rowsOf(db: Executor, workspaceId: string, customerId: number): Promise<SnapshotRow[]> {
  const rows = await db
    .selectFrom('customer_tags')
    .select(['tag_id', 'source', 'rule_id', 'added_by', 'added_at', 'expires_at'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .orderBy('tag_id')
    .execute();
  return rows.map((r) => ({
    tagId: r.tag_id,
    source: r.source as TagSource,
    ruleId: r.rule_id,
    addedBy: r.added_by,
    addedAt: r.added_at.toISOString(),
    expiresAt: r.expires_at?.toISOString() ?? null,
  }));
}

/** Whether any of `customerIds` holds a tag. */
export async function anyRows(db: Executor, workspaceId: string, customerIds: number[]): Promise<boolean> {
  if (!customerIds.length) return false;
  const { rows } = await sql<{ one: number }>`
    select 1 as one from customer_tags where workspace_id = ${workspaceId} and customer_id = any(${customerIds}::bigint[]) limit 1`.execute(db);
  return rows.length > 0;
}

export async function deleteRowsOf(db: Executor, workspaceId: string, customerId: number, tagIds?: string[]): Promise<void> {
  if (tagIds && !tagIds.length) return;
  await db
    .deleteFrom('customer_tags')
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', '=', customerId)
    .$if(!!tagIds, (q) => q.where('tag_id', 'in', tagIds!))
    .execute();
}

/** Writes rows for `customerId`, replacing any row it has for the same tag. */
export async function putRows(db: Executor, workspaceId: string, customerId: number, rows: readonly SnapshotRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    insert into customer_tags (workspace_id, customer_id, tag_id, source, rule_id, added_by, added_at, expires_at)
    select ${workspaceId}, ${customerId}, r.t, r.s, r.r, r.b, r.a, r.e
    from unnest(${rows.map((r) => r.tagId)}::uuid[], ${rows.map((r) => r.source)}::text[], ${rows.map((r) => r.ruleId)}::uuid[],
      ${rows.map((r) => r.addedBy)}::text[], ${rows.map((r) => r.addedAt)}::timestamptz[], ${rows.map((r) => r.expiresAt)}::timestamptz[])
      as r(t, s, r, b, a, e)
    on conflict (workspace_id, customer_id, tag_id) do update
      set source = excluded.source, rule_id = excluded.rule_id, added_by = excluded.added_by, added_at = excluded.added_at, expires_at = excluded.expires_at`.execute(db);
}

export async function saveSnapshot(db: Executor, workspaceId: string, mergedId: number, survivorId: number, mergedRows: SnapshotRow[], survivorRows: SnapshotRow[], now: Date): Promise<void> {
  await sql`
    insert into customer_tag_merges (workspace_id, merged_id, survivor_id, merged_rows, survivor_rows, created_at)
    values (${workspaceId}, ${mergedId}, ${survivorId}, ${JSON.stringify(mergedRows)}::jsonb, ${JSON.stringify(survivorRows)}::jsonb, ${now})
    on conflict (workspace_id, merged_id) do update
      set survivor_id = excluded.survivor_id, merged_rows = excluded.merged_rows, survivor_rows = excluded.survivor_rows, created_at = excluded.created_at`.execute(db);
}

export async function takeSnapshot(db: Executor, workspaceId: string, mergedId: number, survivorId: number): Promise<{ mergedRows: SnapshotRow[]; survivorRows: SnapshotRow[] } | undefined> {
  const row = await db
    .deleteFrom('customer_tag_merges')
    .where('workspace_id', '=', workspaceId)
    .where('merged_id', '=', mergedId)
    .where('survivor_id', '=', survivorId)
    .returning(['merged_rows', 'survivor_rows'])
    .executeTakeFirst();
  return row ? { mergedRows: row.merged_rows as unknown as SnapshotRow[], survivorRows: row.survivor_rows as unknown as SnapshotRow[] } : undefined;
}
