/** SQL journeys read from other modules' rows (through the journey_* views) and the tag-effect outbox. */
import { sql } from 'kysely';
import type { Executor } from './journeys.deps.ts';

export interface CustomerFacts {
  mergedInto: number | null;
  consentStatus: string;
  ownerUserId: string | null;
}

export async function customerFacts(db: Executor, workspaceId: string, ids: readonly number[]): Promise<Map<number, CustomerFacts>> {
  const out = new Map<number, CustomerFacts>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('journey_customer_facts')
    .select(['id', 'merged_into', 'consent_status', 'owner_user_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', sql<number>`any(${[...new Set(ids)]}::bigint[])`)
    .execute();
  for (const r of rows) out.set(Number(r.id), { mergedInto: r.merged_into === null ? null : Number(r.merged_into), consentStatus: r.consent_status ?? 'unknown', ownerUserId: r.owner_user_id });
  return out;
}

export async function eventProperties(db: Executor, workspaceId: string, ids: readonly number[]): Promise<Map<number, Record<string, unknown>>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('journey_event_facts')
    .select(['id', 'properties'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', sql<number>`any(${[...new Set(ids)]}::bigint[])`)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), (r.properties ?? {}) as Record<string, unknown>]));
}

/** Customers whose yearly date (birthday or a custom date attribute) falls on one of the MM-DD keys. */
export async function anniversaryPage(db: Executor, workspaceId: string, attribute: string, keys: readonly string[], afterId: number, limit: number): Promise<number[]> {
  const day = attribute === 'birthday' ? sql`to_char(f.birthday, 'MM-DD')` : sql`substr(f.attributes ->> ${attribute.slice('attributes.'.length)}, 6, 5)`;
  const { rows } = await sql<{ id: number }>`
    select f.id from journey_customer_facts f
    where f.workspace_id = ${workspaceId} and f.merged_into is null and ${day} = any(${keys}::text[]) and f.id > ${afterId}
    order by f.id limit ${limit}`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Customers who joined on a local day (YYYY-MM-DD in `timeZone`). */
export async function joinedPage(db: Executor, workspaceId: string, day: string, timeZone: string, afterId: number, limit: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select f.id from journey_customer_facts f
    where f.workspace_id = ${workspaceId} and f.merged_into is null and f.joined_at is not null
      and (f.joined_at at time zone ${timeZone})::date = ${day}::date and f.id > ${afterId}
    order by f.id limit ${limit}`.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Which of the named tags (not being deleted), segments and members exist in the workspace. */
export async function existingReferences(
  db: Executor,
  workspaceId: string,
  refs: { tagIds: readonly string[]; segmentIds: readonly string[]; userIds: readonly string[] },
): Promise<{ tags: Set<string>; segments: Set<string>; members: Set<string> }> {
  const uuid = (ids: readonly string[]) => ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  const [tags, segments, members] = await Promise.all([
    uuid(refs.tagIds).length ? db.selectFrom('journey_tag_facts').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', uuid(refs.tagIds)).execute() : [],
    uuid(refs.segmentIds).length ? db.selectFrom('journey_segment_facts').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', uuid(refs.segmentIds)).execute() : [],
    uuid(refs.userIds).length ? db.selectFrom('journey_member_facts').select('user_id as id').where('workspace_id', '=', workspaceId).where('user_id', 'in', uuid(refs.userIds)).execute() : [],
  ]);
  const ids = (rows: { id: string | null }[]) => new Set(rows.flatMap((r) => (r.id ? [r.id.toLowerCase()] : [])));
  return { tags: ids(tags), segments: ids(segments), members: ids(members) };
}

// ---- tag effects (outbox) ---------------------------------------------------------------

export async function insertTagEffects(db: Executor, workspaceId: string, journeyId: string, effects: readonly { tagId: string; action: 'add' | 'remove'; customerIds: number[] }[], now: Date): Promise<number[]> {
  if (!effects.length) return [];
  const rows = await db
    .insertInto('journey_tag_effects')
    .values(effects.map((e) => ({ workspace_id: workspaceId, journey_id: journeyId, tag_id: e.tagId, action: e.action, customer_ids: e.customerIds, created_at: now })))
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export interface TagEffect {
  workspaceId: string;
  id: number;
  journeyId: string;
  tagId: string;
  action: 'add' | 'remove';
  customerIds: number[];
}

/** Claims tag effects (given ids, or any whose claim lapsed and that are older than `olderThan`) for `leaseMs`. */
export async function claimTagEffects(db: Executor, now: Date, leaseMs: number, which: { ids: readonly number[] } | { olderThan: Date; limit: number }): Promise<TagEffect[]> {
  const filter = 'ids' in which ? sql`id = any(${which.ids}::bigint[])` : sql`created_at < ${which.olderThan}`;
  const limit = 'ids' in which ? which.ids.length : which.limit;
  const { rows } = await sql<{ workspace_id: string; id: number; journey_id: string; tag_id: string; action: string; customer_ids: number[] }>`
    update journey_tag_effects t set claimed_until = ${new Date(now.getTime() + leaseMs)}
    where (t.workspace_id, t.id) in (
      select workspace_id, id from journey_tag_effects
      where ${filter} and (claimed_until is null or claimed_until < ${now})
      order by id limit ${limit} for update skip locked)
    returning t.workspace_id, t.id, t.journey_id, t.tag_id, t.action, t.customer_ids`.execute(db);
  return rows
    .map((r) => ({ workspaceId: r.workspace_id, id: Number(r.id), journeyId: r.journey_id, tagId: r.tag_id, action: r.action as 'add' | 'remove', customerIds: r.customer_ids.map(Number) }))
    .sort((a, b) => a.id - b.id);
}

export async function deleteTagEffect(db: Executor, workspaceId: string, id: number): Promise<void> {
  await db.deleteFrom('journey_tag_effects').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
