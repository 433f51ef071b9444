/** SQL of message templates and their versions. */
import { sql } from 'kysely';
import type { Executor } from './messaging.deps.ts';

export interface TemplateVersionRow {
  template_id: string;
  version: number;
  title: string | null;
  body: string;
  variables: string[];
  archived: boolean;
  created_by: string | null;
  created_at: Date;
}

/** The versions asked for; a request without a version gets the template's current one. */
export async function loadVersions(db: Executor, workspaceId: string, refs: readonly { id: string; version?: number | undefined }[]): Promise<TemplateVersionRow[]> {
  if (!refs.length) return [];
  const { rows } = await sql<TemplateVersionRow>`
    select v.template_id, v.version, v.title, v.body, v.variables, t.archived_at is not null as archived, v.created_by, v.created_at
    from unnest(${refs.map((r) => r.id)}::uuid[], ${refs.map((r) => r.version ?? null)}::int[]) as q(id, version)
    join message_templates t on t.workspace_id = ${workspaceId} and t.id = q.id
    join message_template_versions v on v.workspace_id = ${workspaceId} and v.template_id = t.id and v.version = coalesce(q.version, t.current_version)`.execute(db);
  return rows;
}

export interface TemplateRow {
  id: string;
  name: string;
  channel: string;
  current_version: number;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
  title: string | null;
  body: string;
  variables: string[];
}

const withCurrent = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('message_templates as t')
    .innerJoin('message_template_versions as v', (j) => j.onRef('v.workspace_id', '=', 't.workspace_id').onRef('v.template_id', '=', 't.id').onRef('v.version', '=', 't.current_version'))
    .select(['t.id', 't.name', 't.channel', 't.current_version', 't.archived_at', 't.created_at', 't.updated_at', 'v.title', 'v.body', 'v.variables'])
    .where('t.workspace_id', '=', workspaceId);

export function listTemplates(db: Executor, workspaceId: string, filter: { channel?: string | undefined; includeArchived?: boolean | undefined }): Promise<TemplateRow[]> {
  let q = withCurrent(db, workspaceId);
  if (filter.channel) q = q.where('t.channel', '=', filter.channel);
  if (!filter.includeArchived) q = q.where('t.archived_at', 'is', null);
  return q.orderBy('t.updated_at', 'desc').limit(500).execute();
}

export function getTemplate(db: Executor, workspaceId: string, id: string): Promise<TemplateRow | undefined> {
  return withCurrent(db, workspaceId).where('t.id', '=', id).executeTakeFirst();
}

export function listVersions(db: Executor, workspaceId: string, id: string) {
  return db
    .selectFrom('message_template_versions')
    .select(['version', 'title', 'body', 'variables', 'created_by', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('template_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
}

export async function nameTaken(db: Executor, workspaceId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('message_templates').select('id').where('workspace_id', '=', workspaceId).where('archived_at', 'is', null).where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertTemplate(db: Executor, workspaceId: string, t: { id: string; name: string; channel: string; now: Date }): Promise<void> {
  await db.insertInto('message_templates').values({ workspace_id: workspaceId, id: t.id, name: t.name, channel: t.channel, current_version: 1, created_at: t.now, updated_at: t.now }).execute();
}

export async function insertVersion(db: Executor, workspaceId: string, v: { templateId: string; version: number; title: string | null; body: string; variables: string[]; createdBy: string | null; now: Date }): Promise<void> {
  await db
    .insertInto('message_template_versions')
    .values({ workspace_id: workspaceId, template_id: v.templateId, version: v.version, title: v.title, body: v.body, variables: v.variables, created_by: v.createdBy, created_at: v.now })
    .execute();
}

export async function updateTemplate(db: Executor, workspaceId: string, id: string, patch: { name?: string; channel?: string; current_version?: number; archived_at?: Date | null }, now: Date): Promise<void> {
  await db.updateTable('message_templates').set({ ...patch, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Locks the template row for a version bump. */
export function lockTemplate(db: Executor, workspaceId: string, id: string) {
  return db.selectFrom('message_templates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
}
