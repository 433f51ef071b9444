/** SQL of the group post ledger (`group_posts`): claims, decisions, release, listings, counts. */
import { sql } from 'kysely';
import type { Executor } from './messaging.deps.ts';

export type GroupPostStatus = 'sent' | 'held' | 'suppressed' | 'cancelled';

export interface GroupPostRow {
  id: string;
  idempotency_key: string;
  group_id: string;
  channel: string;
  driver: string;
  template_id: string | null;
  template_version: number | null;
  content: unknown;
  variables: unknown;
  title: string | null;
  body: string | null;
  status: GroupPostStatus;
  reason: string | null;
  reason_detail: unknown;
  adlaw_warnings: unknown;
  release_at: Date | null;
  source_kind: string;
  source_id: string | null;
  source_version: number | null;
  source_step: string | null;
  requested_at: Date;
  sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function findByKeys(db: Executor, workspaceId: string, keys: readonly string[]): Promise<GroupPostRow[]> {
  if (!keys.length) return Promise.resolve([]);
  return db.selectFrom('group_posts').selectAll().where('workspace_id', '=', workspaceId).where('idempotency_key', 'in', keys).execute() as Promise<GroupPostRow[]>;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Inserts new posts; a key already claimed (by a concurrent transaction) is left alone. Returns the keys this call claimed. */
export async function insertPosts(db: Executor, workspaceId: string, rows: readonly GroupPostRow[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const c = <T>(f: (r: GroupPostRow) => T) => rows.map(f);
  const { rows: claimed } = await sql<{ idempotency_key: string }>`
    insert into group_posts (workspace_id, id, idempotency_key, group_id, channel, driver, template_id, template_version, content,
      variables, title, body, status, reason, reason_detail, adlaw_warnings, release_at, source_kind, source_id, source_version,
      source_step, requested_at, sent_at, created_at, updated_at)
    select ${workspaceId}, r.id, r.key, r.group_id, r.channel, r.driver, r.template_id, r.template_version, r.content::jsonb,
      coalesce(r.variables::jsonb, '{}'::jsonb), r.title, r.body, r.status, r.reason, r.reason_detail::jsonb, r.adlaw_warnings::jsonb,
      r.release_at, r.source_kind, r.source_id, r.source_version, r.source_step, r.requested_at, r.sent_at, r.created_at, r.created_at
    from unnest(${c((r) => r.id)}::uuid[], ${c((r) => r.idempotency_key)}::text[], ${c((r) => r.group_id)}::text[], ${c((r) => r.channel)}::text[],
      ${c((r) => r.driver)}::text[], ${c((r) => r.template_id)}::uuid[], ${c((r) => r.template_version)}::int[], ${c((r) => json(r.content))}::text[],
      ${c((r) => json(r.variables))}::text[], ${c((r) => r.title)}::text[], ${c((r) => r.body)}::text[], ${c((r) => r.status)}::text[],
      ${c((r) => r.reason)}::text[], ${c((r) => json(r.reason_detail))}::text[], ${c((r) => json(r.adlaw_warnings))}::text[],
      ${c((r) => iso(r.release_at))}::timestamptz[], ${c((r) => r.source_kind)}::text[], ${c((r) => r.source_id)}::text[],
      ${c((r) => r.source_version)}::int[], ${c((r) => r.source_step)}::text[], ${c((r) => r.requested_at.toISOString())}::timestamptz[],
      ${c((r) => iso(r.sent_at))}::timestamptz[], ${c((r) => r.created_at.toISOString())}::timestamptz[])
      as r(id, key, group_id, channel, driver, template_id, template_version, content, variables, title, body, status, reason,
        reason_detail, adlaw_warnings, release_at, source_kind, source_id, source_version, source_step, requested_at, sent_at, created_at)
    on conflict (workspace_id, idempotency_key) do nothing
    returning idempotency_key`.execute(db);
  return new Set(claimed.map((r) => r.idempotency_key));
}

/** The post's source has no hold (a paused journey's posts wait). */
const notHeldBySource = sql<boolean>`not exists (
  select 1 from message_source_holds h
  where h.workspace_id = group_posts.workspace_id and h.source_kind = group_posts.source_kind and h.source_id = group_posts.source_id)`;

/** Held posts whose release time has come, locked for this transaction (other workers skip them). */
export function lockDueHeld(db: Executor, now: Date, limit: number, workspaceId?: string | null): Promise<(GroupPostRow & { workspace_id: string })[]> {
  let q = db.selectFrom('group_posts').selectAll().where('status', '=', 'held').where('release_at', '<=', now).where(notHeldBySource);
  if (workspaceId) q = q.where('workspace_id', '=', workspaceId);
  return q.orderBy('release_at').limit(limit).forUpdate().skipLocked().execute() as unknown as Promise<(GroupPostRow & { workspace_id: string })[]>;
}

/** The new state of a held post after it was checked again. */
export interface GroupRedecision {
  id: string;
  status: GroupPostStatus;
  reason: string | null;
  reason_detail: unknown;
  adlaw_warnings: unknown;
  title: string | null;
  body: string | null;
  release_at: Date | null;
  sent_at: Date | null;
  template_version: number | null;
}

export async function applyRedecisions(db: Executor, workspaceId: string, rows: readonly GroupRedecision[], now: Date): Promise<void> {
  if (!rows.length) return;
  const c = <T>(f: (r: GroupRedecision) => T) => rows.map(f);
  await sql`
    update group_posts p set status = r.status, reason = r.reason, reason_detail = r.reason_detail::jsonb,
      adlaw_warnings = r.adlaw_warnings::jsonb, title = r.title, body = r.body, release_at = r.release_at, sent_at = r.sent_at,
      template_version = coalesce(r.template_version, p.template_version), updated_at = ${now}
    from unnest(${c((r) => r.id)}::uuid[], ${c((r) => r.status)}::text[], ${c((r) => r.reason)}::text[], ${c((r) => json(r.reason_detail))}::text[],
      ${c((r) => json(r.adlaw_warnings))}::text[], ${c((r) => r.title)}::text[], ${c((r) => r.body)}::text[],
      ${c((r) => iso(r.release_at))}::timestamptz[], ${c((r) => iso(r.sent_at))}::timestamptz[], ${c((r) => r.template_version)}::int[])
      as r(id, status, reason, reason_detail, adlaw_warnings, title, body, release_at, sent_at, template_version)
    where p.workspace_id = ${workspaceId} and p.id = r.id and p.status = 'held'`.execute(db);
}

/** Held posts of a source withdrawn (a journey stopped). */
export async function cancelPending(db: Executor, workspaceId: string, filter: { sourceKind: string; sourceId: string }, now: Date): Promise<number> {
  const r = await db
    .updateTable('group_posts')
    .set({ status: 'cancelled', reason: 'cancelled', release_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('source_kind', '=', filter.sourceKind)
    .where('source_id', '=', filter.sourceId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface GroupPostFilter {
  status?: string | undefined;
  reason?: string | undefined;
  groupId?: string | undefined;
  sourceKind?: string | undefined;
  sourceId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** Keyset cursor: rows with a smaller id (ids are time-ordered UUIDv7). */
  before?: string | undefined;
  limit: number;
}

export function listPosts(db: Executor, workspaceId: string, f: GroupPostFilter): Promise<GroupPostRow[]> {
  let q = db.selectFrom('group_posts').selectAll().where('workspace_id', '=', workspaceId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.reason) q = q.where('reason', '=', f.reason);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.sourceKind) q = q.where('source_kind', '=', f.sourceKind);
  if (f.sourceId) q = q.where('source_id', '=', f.sourceId);
  if (f.since) q = q.where('created_at', '>=', new Date(f.since));
  if (f.until) q = q.where('created_at', '<', new Date(f.until));
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit).execute() as Promise<GroupPostRow[]>;
}
