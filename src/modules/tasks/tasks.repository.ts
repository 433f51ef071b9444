/** All SQL of operator tasks. */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, Tasks } from '../../platform/db/database.types.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type TaskRow = Selectable<Tasks> & { customer_name: string | null };

/** Inserts tasks; a row whose source_key exists already is skipped. Returns the ids inserted. */
export async function insertTasks(db: Executor, rows: Insertable<Tasks>[]): Promise<string[]> {
  if (!rows.length) return [];
  const out = await db
    .insertInto('tasks')
    .values(rows)
    .onConflict((oc) => oc.columns(['workspace_id', 'source_key']).where('source_key', 'is not', null).doNothing())
    .returning('id')
    .execute();
  return out.map((r) => r.id);
}

function withCustomer(db: Executor) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('task_customer_facts as c', (j) => j.onRef('c.workspace_id', '=', 't.workspace_id').onRef('c.id', '=', 't.customer_id'))
    .selectAll('t')
    .select(sql<string | null>`coalesce(c.nickname, c.name)`.as('customer_name'));
}

export async function findTask(db: Executor, workspaceId: string, id: string, forUpdate = false): Promise<TaskRow | undefined> {
  if (forUpdate) {
    const row = await db.selectFrom('tasks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row ? { ...row, customer_name: null } : undefined;
  }
  return withCustomer(db).where('t.workspace_id', '=', workspaceId).where('t.id', '=', id).executeTakeFirst() as Promise<TaskRow | undefined>;
}

export interface TaskFilter {
  assigneeUserId?: string | null | undefined;
  /** Pool tasks nobody took. */
  unassigned?: boolean | undefined;
  pool?: string | undefined;
  status?: 'open' | 'done' | 'skipped' | undefined;
  dueBefore?: Date | undefined;
  dueFrom?: Date | undefined;
  customerId?: number | undefined;
  sourceKind?: string | undefined;
  sourceId?: string | undefined;
  sourceStep?: string | undefined;
  after?: { dueAt: Date; id: string } | undefined;
}

/** Tasks by due time (soonest first), keyset-paginated on (due_at, id). */
export async function listTasks(db: Executor, workspaceId: string, f: TaskFilter, limit: number): Promise<TaskRow[]> {
  let q = withCustomer(db).where('t.workspace_id', '=', workspaceId);
  if (f.assigneeUserId) q = q.where('t.assignee_user_id', '=', f.assigneeUserId);
  if (f.unassigned) q = q.where('t.assignee_user_id', 'is', null);
  if (f.pool) q = q.where('t.pool', '=', f.pool);
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.dueBefore) q = q.where('t.due_at', '<', f.dueBefore);
  if (f.dueFrom) q = q.where('t.due_at', '>=', f.dueFrom);
  if (f.customerId) q = q.where('t.customer_id', '=', f.customerId);
  if (f.sourceKind) q = q.where('t.source_kind', '=', f.sourceKind);
  if (f.sourceId) q = q.where('t.source_id', '=', f.sourceId);
  if (f.sourceStep) q = q.where('t.source_step', '=', f.sourceStep);
  if (f.after) q = q.where(sql<boolean>`(t.due_at, t.id) > (${f.after.dueAt}, ${f.after.id}::uuid)`);
  return q.orderBy('t.due_at').orderBy('t.id').limit(limit).execute() as Promise<TaskRow[]>;
}

export async function countTasks(
  db: Executor,
  workspaceId: string,
  who: { assigneeUserId?: string | undefined; unassigned?: boolean | undefined; pool?: string | undefined },
  bounds: { now: Date; dayStart: Date; dayEnd: Date },
) {
  let q = db.selectFrom('tasks').where('workspace_id', '=', workspaceId);
  if (who.assigneeUserId) q = q.where('assignee_user_id', '=', who.assigneeUserId);
  if (who.unassigned) q = q.where('assignee_user_id', 'is', null);
  if (who.pool) q = q.where('pool', '=', who.pool);
  return q
    .select([
      sql<number>`count(*) filter (where status = 'open')::int`.as('open'),
      sql<number>`count(*) filter (where status = 'open' and due_at < ${bounds.now})::int`.as('overdue'),
      sql<number>`count(*) filter (where status = 'open' and due_at >= ${bounds.dayStart} and due_at < ${bounds.dayEnd})::int`.as('dueToday'),
      sql<number>`count(*) filter (where status <> 'open' and completed_at >= ${bounds.dayStart} and completed_at < ${bounds.dayEnd})::int`.as('completedToday'),
    ])
    .executeTakeFirstOrThrow();
}

export function openPoolCounts(db: Executor, workspaceId: string) {
  return db
    .selectFrom('tasks')
    .select(['pool', sql<number>`count(*)::int`.as('open')])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .where('assignee_user_id', 'is', null)
    .where('pool', 'is not', null)
    .groupBy('pool')
    .orderBy('pool')
    .execute() as Promise<{ pool: string; open: number }[]>;
}

export async function updateTask(db: Executor, workspaceId: string, id: string, set: Partial<Selectable<Tasks>>): Promise<void> {
  await db.updateTable('tasks').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Skips every open task of one source (a stopped journey); returns how many. */
export async function skipOpenBySource(db: Executor, workspaceId: string, sourceKind: string, sourceId: string, by: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('tasks')
    .set({ status: 'skipped', completed_at: now, completed_by: by, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

/** Tasks of one source grouped by step, version, status and outcome (journey stats). */
export function countBySource(db: Executor, workspaceId: string, sourceKind: string, sourceId: string) {
  return db
    .selectFrom('tasks')
    .select(['source_step as step', 'source_version as version', 'status', 'outcome', sql<number>`count(*)::int`.as('count')])
    .where('workspace_id', '=', workspaceId)
    .where('source_kind', '=', sourceKind)
    .where('source_id', '=', sourceId)
    .groupBy(['source_step', 'source_version', 'status', 'outcome'])
    .execute();
}

export async function customerExists(db: Executor, workspaceId: string, customerId: number): Promise<{ mergedInto: number | null } | null> {
  const row = await db.selectFrom('task_customer_facts').select('merged_into').where('workspace_id', '=', workspaceId).where('id', '=', customerId).executeTakeFirst();
  return row ? { mergedInto: row.merged_into } : null;
}

/** Merges: each `from` customer's tasks go to its `to`. */
export async function moveCustomerTasks(db: Executor, workspaceId: string, moves: { from: number; to: number }[]): Promise<void> {
  if (!moves.length) return;
  await sql`
    update tasks t set customer_id = m.to_id
    from unnest(${moves.map((m) => m.from)}::bigint[], ${moves.map((m) => m.to)}::bigint[]) as m(from_id, to_id)
    where t.workspace_id = ${workspaceId} and t.customer_id = m.from_id`.execute(db);
}
