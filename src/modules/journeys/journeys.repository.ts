/** SQL of journeys and their versions. */
import { sql, type Selectable } from 'kysely';
import type { Journeys, JourneyVersions } from '../../platform/db/database.types.ts';
import type { Executor } from './journeys.deps.ts';
import type { JourneyDefinition } from './journeys.schemas.ts';

export type JourneyRow = Selectable<Journeys>;
export type VersionRow = Omit<Selectable<JourneyVersions>, 'definition'> & { definition: JourneyDefinition };

export async function insertJourney(db: Executor, row: { workspaceId: string; id: string; name: string; description: string | null; playbook: string | null; definition: JourneyDefinition; createdBy: string; now: Date }): Promise<void> {
  await db
    .insertInto('journeys')
    .values({ workspace_id: row.workspaceId, id: row.id, name: row.name, description: row.description, playbook: row.playbook, status: 'draft', latest_version: 1, created_by: row.createdBy, created_at: row.now, updated_at: row.now })
    .execute();
  await insertVersion(db, { workspaceId: row.workspaceId, journeyId: row.id, version: 1, definition: row.definition, createdBy: row.createdBy, now: row.now, activatedAt: null });
}

export async function insertVersion(db: Executor, v: { workspaceId: string; journeyId: string; version: number; definition: JourneyDefinition; createdBy: string; now: Date; activatedAt: Date | null }): Promise<void> {
  await db
    .insertInto('journey_versions')
    .values({ workspace_id: v.workspaceId, journey_id: v.journeyId, version: v.version, definition: JSON.stringify(v.definition), created_by: v.createdBy, created_at: v.now, activated_at: v.activatedAt })
    .execute();
}

export async function replaceDraftVersion(db: Executor, workspaceId: string, journeyId: string, version: number, definition: JourneyDefinition): Promise<void> {
  await db
    .updateTable('journey_versions')
    .set({ definition: JSON.stringify(definition) })
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .where('activated_at', 'is', null)
    .execute();
}

export async function markActivated(db: Executor, workspaceId: string, journeyId: string, version: number, at: Date): Promise<void> {
  await db
    .updateTable('journey_versions')
    .set({ activated_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .where('activated_at', 'is', null)
    .execute();
}

export function findJourney(db: Executor, workspaceId: string, id: string, lock: 'update' | 'share' | null = null): Promise<JourneyRow | undefined> {
  let q = db.selectFrom('journeys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (lock === 'update') q = q.forUpdate();
  if (lock === 'share') q = q.forShare();
  return q.executeTakeFirst();
}

export async function updateJourney(db: Executor, workspaceId: string, id: string, set: Partial<JourneyRow>): Promise<void> {
  await db.updateTable('journeys').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export function findVersion(db: Executor, workspaceId: string, journeyId: string, version: number): Promise<VersionRow | undefined> {
  return db
    .selectFrom('journey_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .executeTakeFirst() as Promise<VersionRow | undefined>;
}

export function listVersions(db: Executor, workspaceId: string, journeyId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('journey_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .orderBy('version', 'desc')
    .execute() as Promise<VersionRow[]>;
}

export interface JourneyListFilter {
  status?: string | undefined;
  q?: string | undefined;
  before?: { updatedAt: Date; id: string } | undefined;
  limit: number;
}

/** Journeys, most recently changed first, with how many customers are in each now. */
export function listJourneys(db: Executor, workspaceId: string, f: JourneyListFilter) {
  let q = db
    .selectFrom('journeys as j')
    .selectAll('j')
    .select((eb) =>
      eb
        .selectFrom('journey_enrollments as e')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('e.workspace_id', '=', 'j.workspace_id')
        .whereRef('e.journey_id', '=', 'j.id')
        .where('e.state', '=', 'active')
        .as('in_flight'),
    )
    .where('j.workspace_id', '=', workspaceId);
  if (f.status) q = q.where('j.status', '=', f.status);
  if (f.q) q = q.where('j.name', 'ilike', `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.before) q = q.where(sql<boolean>`(j.updated_at, j.id) < (${f.before.updatedAt}, ${f.before.id}::uuid)`);
  return q.orderBy('j.updated_at', 'desc').orderBy('j.id', 'desc').limit(f.limit).execute();
}

/** Definitions of the given (journey, version) pairs. */
export async function definitionsOf(db: Executor, workspaceId: string, pairs: readonly { id: string; version: number }[]): Promise<Map<string, JourneyDefinition>> {
  if (!pairs.length) return new Map();
  const { rows } = await sql<{ journey_id: string; definition: JourneyDefinition }>`
    select v.journey_id, v.definition from journey_versions v
    join unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.version)}::int[]) as u(id, version) on v.journey_id = u.id and v.version = u.version
    where v.workspace_id = ${workspaceId}`.execute(db);
  return new Map(rows.map((r) => [r.journey_id, r.definition]));
}

/** Live journeys of a workspace with their live definition (trigger handlers). */
export async function liveJourneys(db: Executor, workspaceId: string): Promise<{ id: string; name: string; status: string; version: number; definition: JourneyDefinition }[]> {
  const rows = await db
    .selectFrom('journeys as j')
    .innerJoin('journey_versions as v', (join) => join.onRef('v.workspace_id', '=', 'j.workspace_id').onRef('v.journey_id', '=', 'j.id').onRef('v.version', '=', 'j.live_version'))
    .select(['j.id', 'j.name', 'j.status', 'v.version', 'v.definition'])
    .where('j.workspace_id', '=', workspaceId)
    .where('j.status', 'in', ['active', 'paused'])
    .execute();
  return rows as { id: string; name: string; status: string; version: number; definition: JourneyDefinition }[];
}

/** Active journeys whose timed trigger is due. */
export function dueTimedJourneys(db: Executor, now: Date, limit = 100) {
  return db
    .selectFrom('journeys')
    .select(['workspace_id', 'id'])
    .where('status', '=', 'active')
    .where('next_fire_at', '<=', now)
    .orderBy('next_fire_at')
    .limit(limit)
    .execute();
}
