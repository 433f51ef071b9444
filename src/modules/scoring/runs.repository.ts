/** Settings and recompute runs of scoring (all SQL of scoring_settings and scoring_runs). */
import { sql } from 'kysely';
import type { Executor } from './scoring.deps.ts';

export interface RunRow {
  workspace_id: string;
  id: string;
  trigger: string;
  status: string;
  phase: string | null;
  requested_by: string | null;
  customers: number;
  changed: number;
  class_changed: number;
  today_day: number | null;
  settings: unknown;
  cut_points: unknown;
  mode: string | null;
  time_zone: string | null;
  full_requests_seen: string | number | null;
  seq: string | number;
  timings: unknown;
  live_recency_as_of_run: boolean;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function loadSettingsRow(db: Executor, workspaceId: string) {
  return db.selectFrom('scoring_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function saveSettings(db: Executor, workspaceId: string, settings: object, now: Date, by: string): Promise<void> {
  await db
    .insertInto('scoring_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(settings), updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now, updated_by: by }))
    .execute();
}

export async function getRun(db: Executor, workspaceId: string, id: string): Promise<RunRow | undefined> {
  return (await db.selectFrom('scoring_runs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()) as RunRow | undefined;
}

export async function listRuns(db: Executor, workspaceId: string, limit: number): Promise<RunRow[]> {
  return (await db.selectFrom('scoring_runs').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()) as RunRow[];
}

export async function findPendingRun(db: Executor, workspaceId: string): Promise<RunRow | undefined> {
  return (await db.selectFrom('scoring_runs').selectAll().where('workspace_id', '=', workspaceId).where('status', 'in', ['queued', 'running']).executeTakeFirst()) as RunRow | undefined;
}

export async function insertRun(db: Executor, run: { workspaceId: string; id: string; trigger: string; requestedBy: string | null; now: Date }): Promise<RunRow> {
  return (await db
    .insertInto('scoring_runs')
    .values({ workspace_id: run.workspaceId, id: run.id, trigger: run.trigger, requested_by: run.requestedBy, created_at: run.now })
    .returningAll()
    .executeTakeFirstOrThrow()) as RunRow;
}

/** A run that has been running since before `staleBefore` is presumed dead (its process crashed). */
export async function failStaleRun(db: Executor, workspaceId: string, staleBefore: Date, now: Date): Promise<void> {
  await db
    .updateTable('scoring_runs')
    .set({ status: 'failed', error: 'abandoned: the process running it stopped', finished_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'running')
    .where('started_at', '<', staleBefore)
    .execute();
}

/** Takes a queued run (or a stale running one, after a crash) for this process; undefined if someone else has it. */
export async function claimRun(db: Executor, workspaceId: string, id: string, now: Date, staleBefore: Date): Promise<RunRow | undefined> {
  return (await db
    .updateTable('scoring_runs')
    .set({ status: 'running', started_at: now, phase: 'reading', error: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('started_at', '<', staleBefore)])]))
    .returningAll()
    .executeTakeFirst()) as RunRow | undefined;
}

export async function updateRun(
  db: Executor,
  workspaceId: string,
  id: string,
  fields: Partial<Pick<RunRow, 'status' | 'phase' | 'customers' | 'changed' | 'class_changed' | 'today_day' | 'error' | 'finished_at' | 'mode' | 'time_zone' | 'live_recency_as_of_run'>> & { full_requests_seen?: number } & { settings?: object; cut_points?: object | null; timings?: Record<string, number> },
): Promise<void> {
  const { settings, cut_points, timings, ...rest } = fields;
  await db
    .updateTable('scoring_runs')
    .set({
      ...rest,
      ...(settings !== undefined ? { settings: JSON.stringify(settings) } : {}),
      ...(cut_points !== undefined ? { cut_points: cut_points === null ? null : JSON.stringify(cut_points) } : {}),
      ...(timings !== undefined ? { timings: JSON.stringify(timings) } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The last completed run (of one mode if given): its settings and cut points are what incremental re-scoring uses. */
export async function lastCompletedRun(db: Executor, workspaceId: string, mode?: 'full' | 'changes'): Promise<RunRow | undefined> {
  return (await db
    .selectFrom('scoring_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'completed')
    .$if(!!mode, (q) => q.where('mode', '=', mode!))
    .orderBy('finished_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()) as RunRow | undefined;
}

/** Notes that the next recompute must read every customer. */
export async function requestFull(db: Executor, workspaceId: string): Promise<void> {
  await sql`
    insert into scoring_state (workspace_id, full_requests) values (${workspaceId}, 1)
    on conflict (workspace_id) do update set full_requests = scoring_state.full_requests + 1`.execute(db);
}

/** How many full recomputes were asked for so far. */
export async function fullRequests(db: Executor, workspaceId: string): Promise<number> {
  const row = await db.selectFrom('scoring_state').select('full_requests').where('workspace_id', '=', workspaceId).executeTakeFirst();
  return Number(row?.full_requests ?? 0);
}

/** Every workspace with its time zone, stored settings, last scheduled run and whether it has customers. */
export async function scheduleCandidates(db: Executor) {
  const { rows } = await sql<{ id: string; time_zone: string; settings: unknown; last_scheduled: Date | null; any_run: boolean; has_customers: boolean }>`
    select w.id, w.time_zone, ss.settings,
      (select max(r.created_at) from scoring_runs r where r.workspace_id = w.id and r.trigger = 'schedule') as last_scheduled,
      exists (select 1 from scoring_runs r where r.workspace_id = w.id) as any_run,
      exists (select 1 from scoring_customer_inputs i where i.workspace_id = w.id) as has_customers
    from workspaces w
    left join scoring_settings ss on ss.workspace_id = w.id`.execute(db);
  return rows;
}

/** Workspaces with a completed recompute (the ones live re-scoring serves). */
export async function scoredWorkspaces(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select w.id from workspaces w where exists (select 1 from scoring_runs r where r.workspace_id = w.id and r.status = 'completed') order by w.id`.execute(db);
  return rows.map((r) => r.id);
}
