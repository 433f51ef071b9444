/** SQL of tag groups and tags (the catalog). Customer tags: holders.repository.ts; rules: rules.repository.ts. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/database.types.ts';
import type { TagKind } from './tags.schemas.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Serialises tag writes of a workspace until the transaction ends: rule evaluation reads
 * and writes a consistent state, counts never race, and concurrent writers never deadlock.
 */
export async function lockWorkspaceTags(trx: Transaction<DB>, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`siyu.tags:${workspaceId}`}, 0))`.execute(trx);
}

export interface GroupRow {
  id: string;
  name: string;
  kind: TagKind;
  description: string | null;
  position: number;
  created_at: Date;
  updated_at: Date;
}

export interface TagRow {
  id: string;
  group_id: string;
  name: string;
  kind: TagKind;
  color: string;
  description: string | null;
  customer_count: number;
  rule_count: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const GROUP_COLUMNS = ['id', 'name', 'kind', 'description', 'position', 'created_at', 'updated_at'] as const;

export async function listGroups(db: Executor, workspaceId: string): Promise<GroupRow[]> {
  const rows = await db.selectFrom('tag_groups').select(GROUP_COLUMNS).where('workspace_id', '=', workspaceId).orderBy('position').orderBy('created_at').execute();
  return rows as GroupRow[];
}

export async function findGroup(db: Executor, workspaceId: string, id: string): Promise<GroupRow | undefined> {
  const row = await db.selectFrom('tag_groups').select(GROUP_COLUMNS).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row as GroupRow | undefined;
}

export async function findGroupByName(db: Executor, workspaceId: string, name: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('tag_groups').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

export async function insertGroup(db: Executor, row: { workspaceId: string; id: string; name: string; kind: TagKind; description: string | null; position: number; now: Date }) {
  await db
    .insertInto('tag_groups')
    .values({ workspace_id: row.workspaceId, id: row.id, name: row.name, kind: row.kind, description: row.description, position: row.position, created_at: row.now, updated_at: row.now })
    .execute();
}

export async function updateGroup(db: Executor, workspaceId: string, id: string, set: Partial<{ name: string; kind: TagKind; description: string | null; position: number }>, now: Date) {
  await db.updateTable('tag_groups').set({ ...set, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Tags of the group, those being deleted included (they still hold the group). */
export async function countTagsInGroup(db: Executor, workspaceId: string, groupId: string): Promise<number> {
  const row = await db.selectFrom('tags').select((eb) => eb.fn.countAll<string>().as('n')).where('workspace_id', '=', workspaceId).where('group_id', '=', groupId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteGroup(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('tag_groups').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Live tags (not being deleted) with their holder and rule counts. */
export async function listTags(db: Executor, workspaceId: string, filter: { groupId?: string | undefined; kind?: TagKind | undefined; q?: string | undefined; ids?: string[] } = {}): Promise<TagRow[]> {
  const rows = await db
    .selectFrom('tags as t')
    .select(['t.id', 't.group_id', 't.name', 't.kind', 't.color', 't.description', 't.customer_count', 't.created_by', 't.created_at', 't.updated_at'])
    .select((eb) =>
      eb
        .selectFrom('tag_rules as r')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('r.workspace_id', '=', 't.workspace_id')
        .whereRef('r.tag_id', '=', 't.id')
        .as('rule_count'),
    )
    .where('t.workspace_id', '=', workspaceId)
    .where('t.deleted_at', 'is', null)
    .$if(!!filter.groupId, (q) => q.where('t.group_id', '=', filter.groupId!))
    .$if(!!filter.kind, (q) => q.where('t.kind', '=', filter.kind!))
    .$if(!!filter.q, (q) => q.where(sql<boolean>`strpos(lower(t.name), lower(${filter.q!})) > 0`))
    .$if(!!filter.ids, (q) => q.where('t.id', 'in', filter.ids!.length ? filter.ids! : ['00000000-0000-0000-0000-000000000000']))
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => ({ ...r, rule_count: Number(r.rule_count ?? 0) })) as TagRow[];
}

/** A live tag (not being deleted). */
export async function findTag(db: Executor, workspaceId: string, id: string): Promise<TagRow | undefined> {
  return (await listTags(db, workspaceId, { ids: [id] }))[0];
}

export async function findTagByName(db: Executor, workspaceId: string, groupId: string, name: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('tags').select('id').where('workspace_id', '=', workspaceId).where('group_id', '=', groupId).where('name', '=', name).executeTakeFirst();
}

export async function insertTag(
  db: Executor,
  row: { workspaceId: string; id: string; groupId: string; name: string; kind: TagKind; color: string; description: string | null; createdBy: string; now: Date },
) {
  await db
    .insertInto('tags')
    .values({
      workspace_id: row.workspaceId,
      id: row.id,
      group_id: row.groupId,
      name: row.name,
      kind: row.kind,
      color: row.color,
      description: row.description,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function updateTag(
  db: Executor,
  workspaceId: string,
  id: string,
  set: Partial<{ group_id: string; name: string; kind: TagKind; color: string; description: string | null }>,
  now: Date,
) {
  await db.updateTable('tags').set({ ...set, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function markTagDeleted(db: Executor, workspaceId: string, id: string, now: Date): Promise<void> {
  await db.updateTable('tags').set({ deleted_at: now, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes a tag marked deleted once nobody holds it; its rules go with it. Returns the rules deleted. */
export async function deleteTagRow(db: Executor, workspaceId: string, id: string): Promise<number> {
  const rules = await db.deleteFrom('tag_rules').where('workspace_id', '=', workspaceId).where('tag_id', '=', id).executeTakeFirst();
  await db.deleteFrom('tags').where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is not', null).execute();
  return Number(rules.numDeletedRows);
}

/** Tags being deleted, of every workspace (the sweep finishes deletions a crash interrupted). */
export async function tagsBeingDeleted(db: Executor, limit: number): Promise<{ workspaceId: string; tagId: string }[]> {
  const rows = await db.selectFrom('tags').select(['workspace_id', 'id']).where('deleted_at', 'is not', null).orderBy('deleted_at').limit(limit).execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, tagId: r.id }));
}

/** Names of tags (deleted ones too), for timeline entries. */
export async function tagNames(db: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Applies holder-count deltas, in tag id order. */
export async function adjustCounts(db: Executor, workspaceId: string, deltas: Map<string, number>): Promise<void> {
  const entries = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (!entries.length) return;
  await sql`
    update tags t set customer_count = t.customer_count + d.delta
    from unnest(${entries.map(([id]) => id)}::uuid[], ${entries.map(([, d]) => d)}::int[]) as d(id, delta)
    where t.workspace_id = ${workspaceId} and t.id = d.id`.execute(db);
}
