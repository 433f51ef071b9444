/** Read-side SQL of customers: list and search, profile parts, timeline. */
import { sql } from 'kysely';
import type { Executor } from './customers.deps.ts';
import type { Identity } from './identity-types.ts';
import type { PhoneQuery } from './identity-types.ts';

export interface ListFilter {
  q?: string | undefined;
  phone?: PhoneQuery | undefined;
  identity?: Identity | undefined;
  attribute?: { key: string; value: unknown } | undefined;
  owner?: string | undefined;
  consent?: string | undefined;
  sourceChannel?: string | undefined;
  before?: number | undefined;
  limit: number;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** Active customers newest first, keyset by id; every filter is served by an index. */
export async function listCustomers(db: Executor, workspaceId: string, f: ListFilter) {
  let q = db
    .selectFrom('customers as c')
    .leftJoin('customer_stats as s', (j) => j.onRef('s.workspace_id', '=', 'c.workspace_id').onRef('s.customer_id', '=', 'c.id'))
    .select([
      'c.id', 'c.name', 'c.nickname', 'c.mobile', 'c.gender', 'c.city', 'c.consent_status', 'c.source_channel', 'c.owner_user_id', 'c.joined_at', 'c.created_at',
      's.paid_order_count', 's.paid_amount_fen', 's.last_interaction_at',
    ])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.merged_into', 'is', null);
  if (f.q) {
    const pattern = `%${likeEscape(f.q)}%`;
    q = q.where((eb) => eb.or([eb('c.name', 'ilike', pattern), eb('c.nickname', 'ilike', pattern)]));
  }
  // The matching identities are few and found by their own index; `= any(array(...))` makes
  // the planner fetch them first. As `in (...)` it may walk every customer by id instead,
  // hoping to meet 50 matches early (0.7 s instead of 2.5 ms at a million customers).
  const identityMatch = (cond: ReturnType<typeof sql>) =>
    sql<boolean>`c.id = any(array(select ci.customer_id from customer_identities ci where ci.workspace_id = ${workspaceId} and ${cond}))`;
  if (f.phone) {
    const p = f.phone;
    const cond =
      p.kind === 'exact'
        ? sql`ci.type = 'mobile' and ci.scope = '' and ci.value = ${p.e164}`
        : p.kind === 'masked'
          ? sql`ci.type = 'mobile' and right(ci.value, 4) = ${p.last4} and ci.value like ${`${likeEscape(p.prefix)}%`}`
          : sql`ci.type = 'mobile' and right(ci.value, 4) = ${p.last4}`;
    q = q.where(identityMatch(cond));
  }
  if (f.identity) {
    q = q.where(identityMatch(sql`ci.type = ${f.identity.type} and ci.scope = ${f.identity.scope} and ci.value = ${f.identity.value}`));
  }
  if (f.attribute) q = q.where(sql<boolean>`c.attributes @> ${JSON.stringify({ [f.attribute.key]: f.attribute.value })}::jsonb`);
  if (f.owner) q = q.where('c.owner_user_id', '=', f.owner);
  if (f.consent) q = q.where('c.consent_status', '=', f.consent);
  if (f.sourceChannel) q = q.where('c.source_channel', '=', f.sourceChannel);
  if (f.before) q = q.where('c.id', '<', f.before);
  return q.orderBy('c.id', 'desc').limit(f.limit).execute();
}

export function findCustomer(db: Executor, workspaceId: string, id: number) {
  return db
    .selectFrom('customers')
    .selectAll()
    .select(sql<string | null>`birthday::text`.as('birthday_text'))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The customer a merged-away id finally points to. */
export async function finalSurvivor(db: Executor, workspaceId: string, id: number): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    with recursive chain(id, next, depth) as (
      select id, merged_into, 0 from customers where workspace_id = ${workspaceId} and id = ${id}
      union all
      select c.id, c.merged_into, chain.depth + 1 from customers c join chain on c.id = chain.next
      where c.workspace_id = ${workspaceId} and chain.depth < 100)
    select id from chain where next is null limit 1`.execute(db);
  return rows[0]?.id ?? id;
}

export function identitiesOf(db: Executor, workspaceId: string, customerId: number) {
  return db.selectFrom('customer_identities').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).orderBy('id').execute();
}

/**
 * When each identity of a customer was last seen: its newest event (order events included).
 * Events follow their identity's owner through merges and undos, so they are read through
 * the customer's events (the customer index; there is no index by identity).
 */
export async function identityLastSeen(db: Executor, workspaceId: string, customerId: number, identityIds: number[]): Promise<Map<number, Date>> {
  if (!identityIds.length) return new Map();
  const { rows } = await sql<{ identity_id: number; at: Date }>`
    select identity_id, max(occurred_at) as at from customer_event_facts
    where workspace_id = ${workspaceId} and customer_id = ${customerId} and identity_id = any(${identityIds}::bigint[]) group by identity_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.identity_id), r.at]));
}

export function statsOf(db: Executor, workspaceId: string, customerId: number) {
  return db.selectFrom('customer_stats').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).executeTakeFirst();
}

export function consentsOf(db: Executor, workspaceId: string, customerId: number, limit = 20) {
  return db.selectFrom('customer_consents').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customerId).orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export interface TimelineRow {
  kind: 'event' | 'note' | 'consent' | 'merge' | 'unmerge';
  at: Date;
  sort_key: string;
  type: string | null;
  data: unknown;
}

/**
 * A customer's timeline, newest first: their events (orders appear as their order.* events),
 * notes and consent changes (their own and of customers merged into them), merges and undos.
 * Cursor = (at, sort_key) of the last row; ties are broken by the sort key.
 */
export async function timeline(db: Executor, workspaceId: string, customerId: number, cursor: { at: Date; key: string } | null, limit: number): Promise<TimelineRow[]> {
  const after = (at: ReturnType<typeof sql>, key: ReturnType<typeof sql>) => (cursor ? sql`and (${at}, ${key}) < (${cursor.at}::timestamptz, ${cursor.key}::text)` : sql``);
  const eKey = sql`'e' || lpad(e.id::text, 20, '0')`;
  const nKey = sql`'n' || n.id::text`;
  const kKey = sql`'k' || lpad(k.id::text, 20, '0')`;
  const mKey = sql`'m' || m.id::text`;
  const uKey = sql`'u' || m.id::text`;
  const { rows } = await sql<TimelineRow>`
    with recursive absorbed(id) as (
      select ${customerId}::bigint
      union select c.id from customers c join absorbed a on c.merged_into = a.id where c.workspace_id = ${workspaceId})
    select * from (
      (select 'event' as kind, e.occurred_at as at, ${eKey} as sort_key, e.type, jsonb_build_object('clientId', e.client_id, 'properties', e.properties, 'source', e.source) as data
        from customer_event_facts e where e.workspace_id = ${workspaceId} and e.customer_id = ${customerId} ${after(sql`e.occurred_at`, eKey)}
        order by e.occurred_at desc, e.id desc limit ${limit})
      union all
      (select 'note', n.created_at, ${nKey}, null, jsonb_build_object('body', n.body, 'authorUserId', n.author_user_id, 'customerId', n.customer_id)
        from customer_notes n where n.workspace_id = ${workspaceId} and n.customer_id in (select id from absorbed) ${after(sql`n.created_at`, nKey)})
      union all
      (select 'consent', k.recorded_at, ${kKey}, k.status, jsonb_build_object('purpose', k.purpose, 'channel', k.channel, 'source', k.source, 'customerId', k.customer_id)
        from customer_consents k where k.workspace_id = ${workspaceId} and k.customer_id in (select id from absorbed) ${after(sql`k.recorded_at`, kKey)})
      union all
      (select 'merge', m.created_at, ${mKey}, m.reason, jsonb_build_object('mergeId', m.id, 'survivorId', m.survivor_id, 'mergedId', m.merged_id, 'actorType', m.actor_type, 'actorId', m.actor_id, 'undoneAt', m.undone_at)
        from customer_merges m where m.workspace_id = ${workspaceId} and (m.survivor_id = ${customerId} or m.merged_id = ${customerId}) ${after(sql`m.created_at`, mKey)})
      union all
      (select 'unmerge', m.undone_at, ${uKey}, m.reason, jsonb_build_object('mergeId', m.id, 'survivorId', m.survivor_id, 'mergedId', m.merged_id, 'undoneBy', m.undone_by)
        from customer_merges m where m.workspace_id = ${workspaceId} and m.undone_at is not null and (m.survivor_id = ${customerId} or m.merged_id = ${customerId}) ${after(sql`m.undone_at`, uKey)})
    ) t order by t.at desc, t.sort_key desc limit ${limit}`.execute(db);
  return rows;
}

export async function insertNote(db: Executor, row: { workspaceId: string; id: string; customerId: number; authorUserId: string | null; body: string; at: Date }) {
  await db
    .insertInto('customer_notes')
    .values({ workspace_id: row.workspaceId, id: row.id, customer_id: row.customerId, author_user_id: row.authorUserId, body: row.body, created_at: row.at })
    .execute();
}

export async function updateCustomer(db: Executor, workspaceId: string, id: number, set: Record<string, unknown>, attributes: { set: Record<string, unknown>; remove: string[] } | null, now: Date) {
  await db
    .updateTable('customers')
    .set({
      ...set,
      ...(attributes ? { attributes: sql`(attributes - ${attributes.remove}::text[]) || ${JSON.stringify(attributes.set)}::jsonb` } : {}),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
