/** SQL of identity resolution: set-based reads and unnest()-based multi-row writes. */
import { sql } from 'kysely';
import type { Executor } from './customers.deps.ts';
import type { StoredIdentity } from './identity-resolution.ts';
import type { Identity, IdentityTypeDef } from './identity-types.ts';
import type { ProfilePatch } from './profile.ts';

/**
 * Serialises identity resolution within one workspace for the rest of the transaction:
 * two batches asserting the same new identity must not both create a customer for it.
 */
export async function lockWorkspaceIdentities(trx: Executor, workspaceId: string): Promise<void> {
  // Taken once per transaction object: later callers in the same transaction skip the round trip.
  const held = lockedBy.get(trx) ?? new Set<string>();
  if (held.has(workspaceId)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`siyu.identity:${workspaceId}`}, 0))`.execute(trx);
  held.add(workspaceId);
  lockedBy.set(trx, held);
}
const lockedBy = new WeakMap<Executor, Set<string>>();

export async function loadIdentityTypes(db: Executor, workspaceId: string): Promise<Map<string, IdentityTypeDef>> {
  const rows = await db
    .selectFrom('identity_types')
    .select(['key', 'strength', 'is_scoped', 'normalizer'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(
    rows.map((r) => [r.key, { key: r.key, strength: r.strength as IdentityTypeDef['strength'], isScoped: r.is_scoped, normalizer: r.normalizer as IdentityTypeDef['normalizer'] }]),
  );
}

interface IdentityRow {
  id: number;
  customer_id: number;
  type: string;
  scope: string;
  value: string;
  is_verified: boolean;
}

const toStored = (r: IdentityRow): StoredIdentity => ({
  id: r.id,
  customerId: r.customer_id,
  type: r.type,
  scope: r.scope,
  value: r.value,
  verified: r.is_verified,
});

/**
 * Every identity held by the customers that own any of `identities` (one query): the stored
 * matches, and what their owners already hold (to see strong values that conflict).
 */
export async function findIdentitiesWithOwners(db: Executor, workspaceId: string, identities: Identity[]): Promise<StoredIdentity[]> {
  if (!identities.length) return [];
  const { rows } = await sql<IdentityRow>`
    select id, customer_id, type, scope, value, is_verified from customer_identities
    where workspace_id = ${workspaceId} and customer_id in (
      select held.customer_id
      from unnest(${identities.map((i) => i.type)}::text[], ${identities.map((i) => i.scope)}::text[], ${identities.map((i) => i.value)}::text[]) as k(type, scope, value)
      -- One index probe per identity, whatever the statistics say (see findExistingClientIds).
      cross join lateral (
        select ci.customer_id from customer_identities ci
        where ci.workspace_id = ${workspaceId} and ci.type = k.type and ci.scope = k.scope and ci.value = k.value limit 1) held)`.execute(db);
  return rows.map(toStored);
}

/** Reserves ids for new customers and identities in one round trip. */
export async function allocateIds(db: Executor, customers: number, identities: number): Promise<{ customers: number[]; identities: number[] }> {
  if (!customers && !identities) return { customers: [], identities: [] };
  const { rows } = await sql<{ c: string[] | number[]; i: string[] | number[] }>`
    select array(select nextval('customers_id_seq') from generate_series(1, ${customers}::int)) as c,
           array(select nextval('customer_identities_id_seq') from generate_series(1, ${identities}::int)) as i`.execute(db);
  return { customers: rows[0]!.c.map(Number), identities: rows[0]!.i.map(Number) };
}

export interface NewCustomerRow {
  id: number;
  patch: ProfilePatch;
  createdAt: Date;
}

const col = <T, V>(rows: T[], f: (r: T) => V) => rows.map(f);

export async function insertCustomers(db: Executor, workspaceId: string, rows: NewCustomerRow[]): Promise<void> {
  if (!rows.length) return;
  const p = (f: (x: ProfilePatch) => unknown) => col(rows, (r) => f(r.patch));
  await sql`
    insert into customers (workspace_id, id, name, nickname, gender, birthday, province, city, mobile, email,
      consent_status, consent_updated_at, source_channel, source_lure, joined_at, created_at, updated_at)
    select ${workspaceId}, r.id, r.name, r.nickname, coalesce(r.gender, 'unknown'), r.birthday, r.province, r.city, r.mobile, r.email,
      coalesce(r.consent, 'unknown'), r.consent_at, r.source_channel, r.source_lure, r.joined_at, r.created_at, r.created_at
    from unnest(${col(rows, (r) => r.id)}::bigint[], ${p((x) => x.name)}::text[], ${p((x) => x.nickname)}::text[], ${p((x) => x.gender)}::text[],
      ${p((x) => x.birthday)}::date[], ${p((x) => x.province)}::text[], ${p((x) => x.city)}::text[], ${p((x) => x.mobile)}::text[],
      ${p((x) => x.email)}::text[], ${p((x) => x.consent)}::text[], ${p((x) => x.consentAt?.toISOString() ?? null)}::timestamptz[],
      ${p((x) => x.sourceChannel)}::text[], ${p((x) => x.sourceLure)}::text[], ${p((x) => x.joinedAt?.toISOString() ?? null)}::timestamptz[],
      ${col(rows, (r) => r.createdAt.toISOString())}::timestamptz[])
      as r(id, name, nickname, gender, birthday, province, city, mobile, email, consent, consent_at, source_channel, source_lure, joined_at, created_at)`.execute(db);
}

/**
 * Applies batch patches to stored customers in one statement: traits overwrite, contact and
 * source fields fill gaps, consent by time, joined_at moves back. Rows the patch would not
 * change are not written at all.
 */
export async function updateProfiles(db: Executor, workspaceId: string, rows: { id: number; patch: ProfilePatch }[], now: Date): Promise<void> {
  if (!rows.length) return;
  const p = (f: (x: ProfilePatch) => unknown) => col(rows, (r) => f(r.patch));
  const consentWins = sql`r.consent is not null and (c.consent_updated_at is null or r.consent_at >= c.consent_updated_at)`;
  const overwrites = ['name', 'nickname', 'gender', 'birthday', 'province', 'city'].map((k) => sql.raw(`(r.${k} is not null and r.${k} is distinct from c.${k})`));
  const fills = ['mobile', 'email', 'source_channel', 'source_lure'].map((k) => sql.raw(`(c.${k} is null and r.${k} is not null)`));
  await sql`
    update customers c set
      name = coalesce(r.name, c.name), nickname = coalesce(r.nickname, c.nickname), gender = coalesce(r.gender, c.gender),
      birthday = coalesce(r.birthday, c.birthday), province = coalesce(r.province, c.province), city = coalesce(r.city, c.city),
      mobile = coalesce(c.mobile, r.mobile), email = coalesce(c.email, r.email),
      source_channel = coalesce(c.source_channel, r.source_channel), source_lure = coalesce(c.source_lure, r.source_lure),
      consent_status = case when ${consentWins} then r.consent else c.consent_status end,
      consent_updated_at = case when ${consentWins} then r.consent_at else c.consent_updated_at end,
      joined_at = least(c.joined_at, r.joined_at),
      updated_at = ${now}
    from unnest(${col(rows, (r) => r.id)}::bigint[], ${p((x) => x.name)}::text[], ${p((x) => x.nickname)}::text[], ${p((x) => x.gender)}::text[],
      ${p((x) => x.birthday)}::date[], ${p((x) => x.province)}::text[], ${p((x) => x.city)}::text[], ${p((x) => x.mobile)}::text[],
      ${p((x) => x.email)}::text[], ${p((x) => x.consent)}::text[], ${p((x) => x.consentAt?.toISOString() ?? null)}::timestamptz[],
      ${p((x) => x.sourceChannel)}::text[], ${p((x) => x.sourceLure)}::text[], ${p((x) => x.joinedAt?.toISOString() ?? null)}::timestamptz[])
      as r(id, name, nickname, gender, birthday, province, city, mobile, email, consent, consent_at, source_channel, source_lure, joined_at)
    where c.workspace_id = ${workspaceId} and c.id = r.id and (
      ${sql.join([...overwrites, ...fills], sql` or `)}
      or (${consentWins} and (r.consent is distinct from c.consent_status or r.consent_at is distinct from c.consent_updated_at))
      or (r.joined_at is not null and (c.joined_at is null or r.joined_at < c.joined_at)))`.execute(db);
}

export interface NewIdentityRow {
  id: number;
  customerId: number;
  identity: Identity;
  source: string | null;
  at: Date;
}

export async function insertIdentities(db: Executor, workspaceId: string, rows: NewIdentityRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    insert into customer_identities (workspace_id, type, scope, value, id, customer_id, is_verified, source, first_seen_at, last_seen_at)
    select ${workspaceId}, r.type, r.scope, r.value, r.id, r.customer_id, r.verified, r.source, r.at, r.at
    from unnest(${col(rows, (r) => r.identity.type)}::text[], ${col(rows, (r) => r.identity.scope)}::text[], ${col(rows, (r) => r.identity.value)}::text[],
      ${col(rows, (r) => r.id)}::bigint[], ${col(rows, (r) => r.customerId)}::bigint[], ${col(rows, (r) => r.identity.verified)}::boolean[],
      ${col(rows, (r) => r.source)}::text[], ${col(rows, (r) => r.at.toISOString())}::timestamptz[])
      as r(type, scope, value, id, customer_id, verified, source, at)`.execute(db);
}

export async function markVerified(db: Executor, workspaceId: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await sql`update customer_identities set is_verified = true where workspace_id = ${workspaceId} and id = any(${ids}::bigint[])`.execute(db);
}

export async function insertConsents(
  db: Executor,
  workspaceId: string,
  rows: { customerId: number; status: string; at: Date; source: string; purpose?: string; channel?: string }[],
): Promise<void> {
  if (!rows.length) return;
  await sql`
    insert into customer_consents (workspace_id, customer_id, purpose, channel, status, source, recorded_at)
    select ${workspaceId}, r.customer_id, r.purpose, r.channel, r.status, r.source, r.at
    from unnest(${col(rows, (r) => r.customerId)}::bigint[], ${col(rows, (r) => r.purpose ?? 'marketing')}::text[], ${col(rows, (r) => r.channel ?? 'all')}::text[],
      ${col(rows, (r) => r.status)}::text[], ${col(rows, (r) => r.source)}::text[], ${col(rows, (r) => r.at.toISOString())}::timestamptz[])
      as r(customer_id, purpose, channel, status, source, at)`.execute(db);
}

export async function insertReviews(
  db: Executor,
  workspaceId: string,
  rows: { id: string; a: number; b: number; kind: string; details: unknown }[],
  now: Date,
): Promise<number> {
  if (!rows.length) return 0;
  const result = await sql`
    insert into merge_reviews (workspace_id, id, customer_a, customer_b, kind, details, created_at)
    select ${workspaceId}, r.id, r.a, r.b, r.kind, r.details, ${now}
    from unnest(${col(rows, (r) => r.id)}::uuid[], ${col(rows, (r) => r.a)}::bigint[], ${col(rows, (r) => r.b)}::bigint[],
      ${col(rows, (r) => r.kind)}::text[], ${col(rows, (r) => JSON.stringify(r.details))}::jsonb[]) as r(id, a, b, kind, details)
    on conflict (workspace_id, customer_a, customer_b, kind) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Pushes joined_at back to the earliest joining event seen. */
export async function applyJoinedAt(db: Executor, workspaceId: string, rows: { customerId: number; at: Date }[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    update customers c set joined_at = least(c.joined_at, r.at)
    from unnest(${col(rows, (r) => r.customerId)}::bigint[], ${col(rows, (r) => r.at.toISOString())}::timestamptz[]) as r(id, at)
    where c.workspace_id = ${workspaceId} and c.id = r.id and (c.joined_at is null or r.at < c.joined_at)`.execute(db);
}
