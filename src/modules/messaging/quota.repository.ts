/**
 * Channel quotas shared by every process: a counter row per workspace, channel and window.
 * A reservation locks the batch's windows, grants what the tightest one has left, and adds
 * the grant to each — in the caller's transaction, so a rollback gives the quota back.
 */
import { sql } from 'kysely';
import type { Executor } from './messaging.deps.ts';
import type { QuotaWindowKind } from './time-windows.ts';

export interface QuotaWindowLimit {
  kind: QuotaWindowKind;
  start: Date;
  limit: number;
}

export interface Reservation {
  granted: number;
  /** Per window: what was left before this reservation. */
  remaining: Map<QuotaWindowKind, number>;
}

export async function reserveQuota(db: Executor, workspaceId: string, channel: string, windows: readonly QuotaWindowLimit[], wanted: number): Promise<Reservation> {
  const kinds = windows.map((w) => w.kind);
  const starts = windows.map((w) => w.start.toISOString());
  await sql`
    insert into messaging_quota_usage (workspace_id, channel, window_kind, window_start, used)
    select ${workspaceId}, ${channel}, w.kind, w.start, 0 from unnest(${kinds}::text[], ${starts}::timestamptz[]) as w(kind, start)
    on conflict do nothing`.execute(db);
  const { rows } = await sql<{ window_kind: QuotaWindowKind; used: number }>`
    select q.window_kind, q.used from messaging_quota_usage q
    join unnest(${kinds}::text[], ${starts}::timestamptz[]) as w(kind, start) on q.window_kind = w.kind and q.window_start = w.start
    where q.workspace_id = ${workspaceId} and q.channel = ${channel}
    order by q.window_kind
    for update of q`.execute(db);
  const remaining = new Map<QuotaWindowKind, number>();
  for (const w of windows) remaining.set(w.kind, Math.max(0, w.limit - (rows.find((r) => r.window_kind === w.kind)?.used ?? 0)));
  const granted = Math.max(0, Math.min(wanted, ...remaining.values()));
  if (granted > 0) await addUsage(db, workspaceId, channel, windows, granted);
  return { granted, remaining };
}

/** Adds (or with a negative n, gives back) usage to the given windows. */
export async function addUsage(db: Executor, workspaceId: string, channel: string, windows: readonly { kind: QuotaWindowKind; start: Date }[], n: number): Promise<void> {
  if (!n || !windows.length) return;
  await sql`
    update messaging_quota_usage q set used = greatest(0, q.used + ${n}::int)
    from unnest(${windows.map((w) => w.kind)}::text[], ${windows.map((w) => w.start.toISOString())}::timestamptz[]) as w(kind, start)
    where q.workspace_id = ${workspaceId} and q.channel = ${channel} and q.window_kind = w.kind and q.window_start = w.start`.execute(db);
}

/** Current usage of the windows containing `windows` (for the settings page). */
export async function usageOf(db: Executor, workspaceId: string, windows: readonly { kind: QuotaWindowKind; start: Date }[]): Promise<{ channel: string; kind: QuotaWindowKind; used: number }[]> {
  if (!windows.length) return [];
  const { rows } = await sql<{ channel: string; window_kind: QuotaWindowKind; used: number }>`
    select q.channel, q.window_kind, q.used from messaging_quota_usage q
    join unnest(${windows.map((w) => w.kind)}::text[], ${windows.map((w) => w.start.toISOString())}::timestamptz[]) as w(kind, start)
      on q.window_kind = w.kind and q.window_start = w.start
    where q.workspace_id = ${workspaceId}`.execute(db);
  return rows.map((r) => ({ channel: r.channel, kind: r.window_kind, used: r.used }));
}

/** Drops counters of windows that ended more than two days ago. */
export async function purgeOldUsage(db: Executor, before: Date): Promise<number> {
  const r = await db.deleteFrom('messaging_quota_usage').where('window_start', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
