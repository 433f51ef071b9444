/**
 * Operator tasks: the inbox of each advisor (and of pools), done/skip with an outcome, manual
 * tasks, reassignment; and the port through which journeys (later campaigns) hand customers
 * to people inside their own transaction, idempotently by source key.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import * as repo from './tasks.repository.ts';
import type { AssignTaskBody, CompleteTaskBody, CountsQuery, CreateTaskBody, ListTasksQuery, TaskCounts, TaskKind, TaskOutcome, TaskSourceKind, TaskStatus, TaskView } from './tasks.schemas.ts';

export interface TasksDeps {
  db: Db;
  clock: Clock;
  timeZoneOf(workspaceId: string): Promise<string>;
  isMember(workspaceId: string, userId: string): Promise<boolean>;
}

/** A task another module asks for. */
export interface NewTask {
  customerId: number | null;
  kind: TaskKind;
  title: string;
  script?: string | null | undefined;
  assigneeUserId?: string | null | undefined;
  pool?: string | null | undefined;
  dueAt: Date;
  source: { kind: TaskSourceKind; id?: string | undefined; version?: number | undefined; step?: string | undefined };
  /** Unique per workspace: the same key twice is one task (retries, crashes). */
  sourceKey?: string | undefined;
}

export function toView(row: repo.TaskRow, now: Date): TaskView {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    kind: row.kind as TaskKind,
    title: row.title,
    script: row.script,
    assigneeUserId: row.assignee_user_id,
    pool: row.pool,
    dueAt: row.due_at,
    isOverdue: row.status === 'open' && row.due_at < now,
    status: row.status as TaskStatus,
    outcome: row.outcome as TaskOutcome | null,
    note: row.note,
    source: { kind: row.source_kind as TaskSourceKind, id: row.source_id, version: row.source_version, step: row.source_step },
    createdAt: row.created_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
  };
}

const encodeCursor = (row: { due_at: Date; id: string }) => Buffer.from(`${row.due_at.toISOString()}|${row.id}`).toString('base64url');
function decodeCursor(cursor: string): { dueAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const dueAt = new Date(at ?? '');
  if (!id || Number.isNaN(dueAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw invalid('validation_failed', 'The cursor is not valid', [{ field: 'query.cursor', reason: 'invalid_cursor' }]);
  return { dueAt, id };
}

function me(ctx: WorkspaceContext, field: string): string {
  if (ctx.actor.type !== 'user') throw invalid('task.me_needs_user', '"me" means the signed-in member; API keys name a member id', [{ field, reason: 'not_a_user' }]);
  return ctx.actor.id;
}

export function createTasksService(deps: TasksDeps) {
  const { db, clock } = deps;

  async function dayBounds(workspaceId: string, now: Date) {
    const local = DateTime.fromJSDate(now, { zone: await deps.timeZoneOf(workspaceId) }).startOf('day');
    return { dayStart: local.toJSDate(), dayEnd: local.plus({ days: 1 }).toJSDate(), weekEnd: local.plus({ days: 7 }).toJSDate() };
  }

  function who(ctx: WorkspaceContext, q: { assignee?: string | undefined; pool?: string | undefined }) {
    return {
      assigneeUserId: q.assignee === 'me' ? me(ctx, 'query.assignee') : q.assignee && q.assignee !== 'unassigned' ? q.assignee : undefined,
      unassigned: q.assignee === 'unassigned',
      pool: q.pool,
    };
  }

  async function list(ctx: WorkspaceContext, q: ListTasksQuery) {
    const now = clock.now();
    const b = q.due ? await dayBounds(ctx.workspaceId, now) : null;
    const due = q.due === 'overdue' ? { dueBefore: now } : q.due === 'today' ? { dueFrom: b!.dayStart, dueBefore: b!.dayEnd } : q.due === 'next_7_days' ? { dueFrom: b!.dayStart, dueBefore: b!.weekEnd } : {};
    const rows = await repo.listTasks(
      db,
      ctx.workspaceId,
      {
        ...who(ctx, q),
        ...due,
        status: q.status === 'all' ? undefined : q.status,
        customerId: q.customerId,
        sourceKind: q.sourceKind,
        sourceId: q.sourceId,
        sourceStep: q.sourceStep,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      },
      q.limit + 1,
    );
    const items = rows.slice(0, q.limit);
    return { items: items.map((r) => toView(r, now)), nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)!) : null };
  }

  async function counts(ctx: WorkspaceContext, q: CountsQuery): Promise<TaskCounts> {
    const now = clock.now();
    const b = await dayBounds(ctx.workspaceId, now);
    const [c, pools] = await Promise.all([repo.countTasks(db, ctx.workspaceId, who(ctx, q), { now, ...b }), repo.openPoolCounts(db, ctx.workspaceId)]);
    return { ...c, pools };
  }

  async function get(ctx: WorkspaceContext, id: string): Promise<TaskView> {
    const row = await repo.findTask(db, ctx.workspaceId, id);
    if (!row) throw notFound('task.not_found', 'Task not found');
    return toView(row, clock.now());
  }

  async function checkAssignee(ctx: WorkspaceContext, userId: string | undefined, field: string) {
    if (userId && !(await deps.isMember(ctx.workspaceId, userId))) {
      throw invalid('task.unknown_assignee', 'The assignee is not a member of this workspace', [{ field, reason: 'not_a_member' }]);
    }
  }

  /** Creates tasks inside the caller's transaction (journeys, campaigns); returns the ids created. */
  async function createTasks(trx: repo.Executor, workspaceId: string, tasks: readonly NewTask[], now: Date): Promise<string[]> {
    return repo.insertTasks(
      trx,
      tasks.map((t) => ({
        workspace_id: workspaceId,
        id: newId(),
        customer_id: t.customerId,
        kind: t.kind,
        title: t.title,
        script: t.script ?? null,
        assignee_user_id: t.assigneeUserId ?? null,
        pool: t.assigneeUserId ? null : (t.pool ?? 'default'),
        due_at: t.dueAt,
        source_kind: t.source.kind,
        source_id: t.source.id ?? null,
        source_version: t.source.version ?? null,
        source_step: t.source.step ?? null,
        source_key: t.sourceKey ?? null,
        created_by: `${t.source.kind}${t.source.id ? `:${t.source.id}` : ''}`,
        created_at: now,
        updated_at: now,
      })),
    );
  }

  async function create(ctx: WorkspaceContext, body: CreateTaskBody): Promise<TaskView> {
    await checkAssignee(ctx, body.assigneeUserId, 'assigneeUserId');
    if (body.customerId) {
      const c = await repo.customerExists(db, ctx.workspaceId, body.customerId);
      if (!c) throw invalid('task.unknown_customer', 'No such customer', [{ field: 'customerId', reason: 'not_found' }]);
      if (c.mergedInto) throw invalid('task.merged_customer', `This customer was merged into ${c.mergedInto}`, [{ field: 'customerId', reason: 'merged' }]);
    }
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const [created] = await createTasks(trx, ctx.workspaceId, [{ ...body, customerId: body.customerId ?? null, dueAt: new Date(body.dueAt), source: { kind: 'manual' } }], now);
      await repo.updateTask(trx, ctx.workspaceId, created!, { created_by: ctx.actor.label });
      await recordAudit(trx, ctx, { action: 'task.create', targetType: 'task', targetId: created!, details: { kind: body.kind, customerId: body.customerId ?? null } });
      return created!;
    });
    return get(ctx, id);
  }

  async function complete(ctx: WorkspaceContext, id: string, body: CompleteTaskBody): Promise<TaskView> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const row = await repo.findTask(trx, ctx.workspaceId, id, true);
      if (!row) throw notFound('task.not_found', 'Task not found');
      if (row.status !== 'open') throw conflict('task.closed', `The task is already ${row.status}`, { status: row.status });
      // Whoever closes a pool task took it.
      const taker = !row.assignee_user_id && ctx.actor.type === 'user' ? { assignee_user_id: ctx.actor.id } : {};
      await repo.updateTask(trx, ctx.workspaceId, id, { ...taker, status: body.status, outcome: body.outcome ?? null, note: body.note ?? null, completed_at: now, completed_by: ctx.actor.label, updated_at: now });
      await recordAudit(trx, ctx, { action: `task.${body.status === 'done' ? 'done' : 'skip'}`, targetType: 'task', targetId: id, details: { outcome: body.outcome ?? null } });
    });
    return get(ctx, id);
  }

  async function assign(ctx: WorkspaceContext, id: string, body: AssignTaskBody): Promise<TaskView> {
    const userId = body.assigneeUserId === 'me' ? me(ctx, 'assigneeUserId') : body.assigneeUserId;
    await checkAssignee(ctx, userId, 'assigneeUserId');
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const row = await repo.findTask(trx, ctx.workspaceId, id, true);
      if (!row) throw notFound('task.not_found', 'Task not found');
      if (row.status !== 'open') throw conflict('task.closed', `The task is already ${row.status}`, { status: row.status });
      await repo.updateTask(trx, ctx.workspaceId, id, { assignee_user_id: userId ?? null, pool: userId ? row.pool : body.pool!, updated_at: now });
      await recordAudit(trx, ctx, { action: 'task.assign', targetType: 'task', targetId: id, details: { assigneeUserId: userId ?? null, pool: body.pool ?? null } });
    });
    return get(ctx, id);
  }

  return {
    list,
    counts,
    get,
    create,
    complete,
    assign,
    createTasks,
    countBySource: (workspaceId: string, sourceKind: TaskSourceKind, sourceId: string) => repo.countBySource(db, workspaceId, sourceKind, sourceId),
    /** A source that stopped (a journey): its open tasks are skipped by whoever stopped it, in the caller's transaction. */
    skipOpenBySource: (trx: repo.Executor, workspaceId: string, sourceKind: TaskSourceKind, sourceId: string, by: string, now: Date) =>
      repo.skipOpenBySource(trx, workspaceId, sourceKind, sourceId, by, now),
    mergeParticipant: {
      name: 'tasks',
      onMerge: (trx: repo.Executor, workspaceId: string, from: number, to: number) => repo.moveCustomerTasks(trx, workspaceId, [{ from, to }]),
      onMergeMany: (trx: repo.Executor, workspaceId: string, moves: { from: number; to: number }[]) => repo.moveCustomerTasks(trx, workspaceId, moves),
      // Tasks are about a person, not an identity: they stay with the survivor after an undo.
      onUnmerge: async () => {},
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
