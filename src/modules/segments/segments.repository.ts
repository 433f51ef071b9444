/** Saved segments and the read side: preview counts and pages, members, history, catalog lookups. */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Segments } from '../../platform/db/database.types.ts';
import type { AttributeType } from './rule-compiler.ts';
import type { Executor } from './segments.deps.ts';

export type SegmentRow = Selectable<Segments>;

export function findSegment(db: Executor, workspaceId: string, id: string): Promise<SegmentRow | undefined> {
  return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function lockSegment(db: Executor, workspaceId: string, id: string): Promise<SegmentRow | undefined> {
  return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listSegments(db: Executor, workspaceId: string, f: { q?: string | undefined; status?: string | undefined }): Promise<SegmentRow[]> {
  let q = db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId);
  if (f.q) q = q.where('name', 'ilike', `%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
  if (f.status) q = q.where('status', '=', f.status);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
}

export function nameTaken(db: Executor, workspaceId: string, name: string, exceptId?: string): Promise<{ id: string } | undefined> {
  let q = db.selectFrom('segments').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function insertSegment(db: Executor, row: { workspaceId: string; id: string; name: string; description: string | null; rule: unknown; status: string; isTimeRelative: boolean; createdBy: string; now: Date }): Promise<void> {
  await db
    .insertInto('segments')
    .values({
      workspace_id: row.workspaceId, id: row.id, name: row.name, description: row.description, rule: JSON.stringify(row.rule), status: row.status,
      is_time_relative: row.isTimeRelative, created_by: row.createdBy, created_at: row.now, updated_at: row.now,
    })
    .execute();
}

export async function updateSegment(db: Executor, workspaceId: string, id: string, set: { name?: string; description?: string | null; rule?: unknown; status?: string; isTimeRelative?: boolean; ruleChanged: boolean; now: Date }): Promise<void> {
  await db
    .updateTable('segments')
    .set({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.description !== undefined ? { description: set.description } : {}),
      ...(set.rule !== undefined ? { rule: JSON.stringify(set.rule) } : {}),
      ...(set.status !== undefined ? { status: set.status } : {}),
      ...(set.isTimeRelative !== undefined ? { is_time_relative: set.isTimeRelative } : {}),
      // A new rule (or a resume) needs a full evaluation before the stored membership is current.
      ...(set.ruleChanged ? { evaluated_at: null, evaluated_for_date: null } : {}),
      updated_at: set.now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deleteSegment(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

// ---- catalog the rule checks need ------------------------------------------------------

export async function attributeDefinitions(db: Executor, workspaceId: string): Promise<Map<string, { type: AttributeType; options: string[] }>> {
  const { rows } = await sql<{ key: string; type: AttributeType; options: string[] }>`
    select key, type, options from segment_attribute_definitions where workspace_id = ${workspaceId}::uuid`.execute(db);
  return new Map(rows.map((r) => [r.key, { type: r.type, options: r.options }]));
}

export async function identityTypeKeys(db: Executor, workspaceId: string): Promise<Set<string>> {
  const { rows } = await sql<{ key: string }>`select key from segment_identity_types where workspace_id = ${workspaceId}::uuid`.execute(db);
  return new Set(rows.map((r) => r.key));
}

export async function existingTags(db: Executor, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows } = await sql<{ id: string }>`select id from segment_tag_names where workspace_id = ${workspaceId}::uuid and id = any(${ids}::uuid[])`.execute(db);
  return new Set(rows.map((r) => r.id));
}

export async function existingMembers(db: Executor, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { rows } = await sql<{ user_id: string }>`select user_id from segment_workspace_members where workspace_id = ${workspaceId}::uuid and user_id = any(${ids}::uuid[])`.execute(db);
  return new Set(rows.map((r) => r.user_id));
}

// ---- preview and members -------------------------------------------------------------

export async function countMatching(db: Executor, workspaceId: string, condition: RawBuilder<boolean>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from segment_facts f where f.workspace_id = ${workspaceId}::uuid and ${condition}`.execute(db);
  return rows[0]!.n;
}

export interface CustomerRow {
  id: number;
  name: string | null;
  nickname: string | null;
  mobile: string | null;
  gender: string;
  city: string | null;
  consent_status: string;
  source_channel: string | null;
  owner_user_id: string | null;
  joined_at: Date | null;
  created_at: Date;
  paid_order_count: number | null;
  paid_amount_fen: number | null;
  last_interaction_at: Date | null;
}

const ROW_COLUMNS = sql.raw('c.id, c.name, c.nickname, c.mobile, c.gender, c.city, c.consent_status, c.source_channel, c.owner_user_id, c.joined_at, c.created_at, c.paid_order_count, c.paid_amount_fen, c.last_interaction_at');

/** Matching customers, newest (highest id) first, keyset by id. */
export async function pageMatching(db: Executor, workspaceId: string, condition: RawBuilder<boolean>, before: number | undefined, limit: number): Promise<CustomerRow[]> {
  const { rows } = await sql<CustomerRow>`
    with page as (
      select f.customer_id from segment_facts f where f.workspace_id = ${workspaceId}::uuid and ${condition}
        ${before ? sql`and f.customer_id < ${before}::bigint` : sql``}
      order by f.customer_id desc limit ${limit}::int)
    select ${ROW_COLUMNS} from page p join segment_customer_rows c on c.workspace_id = ${workspaceId}::uuid and c.id = p.customer_id
    order by c.id desc`.execute(db);
  return rows;
}

export async function pageMembers(db: Executor, workspaceId: string, segmentId: string, before: number | undefined, limit: number): Promise<(CustomerRow & { entered_at: Date })[]> {
  const { rows } = await sql<CustomerRow & { entered_at: Date }>`
    with page as (
      select m.customer_id, m.entered_at from segment_members m where m.workspace_id = ${workspaceId}::uuid and m.segment_id = ${segmentId}::uuid
        ${before ? sql`and m.customer_id < ${before}::bigint` : sql``}
      order by m.customer_id desc limit ${limit}::int)
    select ${ROW_COLUMNS}, p.entered_at from page p join segment_customer_rows c on c.workspace_id = ${workspaceId}::uuid and c.id = p.customer_id
    order by c.id desc`.execute(db);
  return rows;
}

/** Member ids in id order, `limit` after `after` (exports and bulk actions page through them). */
export async function memberIds(db: Executor, workspaceId: string, segmentId: string, after: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('segment_members')
    .select('customer_id')
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', segmentId)
    .where('customer_id', '>', after)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.customer_id));
}

export interface HistoryRow {
  id: number;
  segment_id: string;
  segment_name: string;
  customer_id: number;
  customer_name: string | null;
  change: 'entered' | 'exited';
  at: Date;
  cause: string;
}

export async function pageHistory(
  db: Executor,
  workspaceId: string,
  f: { segmentId?: string; customerId?: number; change?: string | undefined; before?: number | undefined; limit: number },
): Promise<HistoryRow[]> {
  const { rows } = await sql<HistoryRow>`
    select h.id, h.segment_id, s.name as segment_name, h.customer_id, coalesce(c.name, c.nickname) as customer_name, h.change, h.at, h.cause
    from segment_membership_history h
    join segments s on s.workspace_id = h.workspace_id and s.id = h.segment_id
    left join segment_customer_rows c on c.workspace_id = h.workspace_id and c.id = h.customer_id
    where h.workspace_id = ${workspaceId}::uuid
      ${f.segmentId ? sql`and h.segment_id = ${f.segmentId}::uuid` : sql``}
      ${f.customerId ? sql`and h.customer_id = ${f.customerId}::bigint` : sql``}
      ${f.change ? sql`and h.change = ${f.change}::text` : sql``}
      ${f.before ? sql`and h.id < ${f.before}::bigint` : sql``}
    order by h.id desc limit ${f.limit}::int`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id), customer_id: Number(r.customer_id) }));
}

export async function segmentsOfCustomer(db: Executor, workspaceId: string, customerId: number) {
  const { rows } = await sql<{ segment_id: string; name: string; entered_at: Date }>`
    select m.segment_id, s.name, m.entered_at from segment_members m join segments s on s.workspace_id = m.workspace_id and s.id = m.segment_id
    where m.workspace_id = ${workspaceId}::uuid and m.customer_id = ${customerId}::bigint order by m.entered_at desc`.execute(db);
  return rows;
}

export async function customerExists(db: Executor, workspaceId: string, customerId: number): Promise<boolean> {
  const { rows } = await sql`select 1 from segment_attribute_facts where workspace_id = ${workspaceId}::uuid and customer_id = ${customerId}::bigint`.execute(db);
  return rows.length > 0;
}
