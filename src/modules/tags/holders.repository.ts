/** SQL of customer_tags (who holds which tag) and of the customers the tags module reads through views. */
import { sql } from 'kysely';
import type { TagSource } from './tags.schemas.ts';
import type { Executor } from './tags.repository.ts';
import type { HeldTag, RuleHit } from './rule-evaluation.ts';

export interface RemovedRow {
  customerId: number;
  tagId: string;
  source: TagSource;
  ruleId: string | null;
}

/** The customer, or where it was merged to; undefined when unknown in the workspace. */
export async function customerState(db: Executor, workspaceId: string, id: number): Promise<{ id: number; mergedInto: number | null } | undefined> {
  const row = await db.selectFrom('tag_customer_facts').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id!, mergedInto: row.merged_into } : undefined;
}

/** Which of `ids` are customers of the workspace that were not merged away. */
export async function activeCustomers(db: Executor, workspaceId: string, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const { rows } = await sql<{ id: string }>`
    select c.id from tag_customer_facts c
    where c.workspace_id = ${workspaceId} and c.id = any(${ids}::bigint[]) and c.merged_into is null`.execute(db);
  return new Set(rows.map((r) => Number(r.id)));
}

/** A page of customer ids (merged-away ones skipped) after `afterId`, for full rule applies. */
export async function customerPage(db: Executor, workspaceId: string, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tag_customer_facts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', afterId)
    .where('merged_into', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id!);
}

/**
 * Each customer's oldest identity: timeline entries of tag changes are attributed to it, so
 * they follow the customer back when a merge is undone.
 */
export async function firstIdentities(db: Executor, workspaceId: string, customerIds: number[]): Promise<Map<number, number>> {
  if (!customerIds.length) return new Map();
  const { rows } = await sql<{ customer_id: string; id: string }>`
    select customer_id, min(id) as id from tag_identity_facts
    where workspace_id = ${workspaceId} and customer_id = any(${customerIds}::bigint[])
    group by customer_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.customer_id), Number(r.id)]));
}

export async function listCustomerTags(db: Executor, workspaceId: string, customerId: number) {
  return db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', (j) => j.onRef('t.workspace_id', '=', 'ct.workspace_id').onRef('t.id', '=', 'ct.tag_id'))
    .innerJoin('tag_groups as g', (j) => j.onRef('g.workspace_id', '=', 't.workspace_id').onRef('g.id', '=', 't.group_id'))
    .leftJoin('tag_rules as r', (j) => j.onRef('r.workspace_id', '=', 'ct.workspace_id').onRef('r.id', '=', 'ct.rule_id'))
    .select(['ct.tag_id', 't.name', 't.group_id', 'g.name as group_name', 't.kind', 't.color', 'ct.source', 'ct.rule_id', 'r.name as rule_name', 'ct.added_by', 'ct.added_at', 'ct.expires_at'])
    .where('ct.workspace_id', '=', workspaceId)
    .where('ct.customer_id', '=', customerId)
    .where('t.deleted_at', 'is', null)
    .orderBy('g.position')
    .orderBy('ct.added_at')
    .execute();
}

/**
 * Gives `tagId` to the customers (by hand, import or sync). A customer holding it through a
 * rule keeps it, now as given by hand: rules never take away what a person gave.
 * Returns the customers that gained it.
 */
export async function insertGiven(db: Executor, workspaceId: string, tagId: string, customerIds: number[], source: Exclude<TagSource, 'rule'>, addedBy: string, now: Date): Promise<number[]> {
  if (!customerIds.length) return [];
  const { rows } = await sql<{ customer_id: string; inserted: boolean }>`
    insert into customer_tags as ct (workspace_id, customer_id, tag_id, source, rule_id, added_by, added_at, expires_at)
    select ${workspaceId}, u.id, ${tagId}, ${source}, null, ${addedBy}, ${now}, null
    from unnest(${customerIds}::bigint[]) as u(id)
    on conflict (workspace_id, customer_id, tag_id) do update
      set source = excluded.source, rule_id = null, expires_at = null, added_by = excluded.added_by
      where ct.source = 'rule'
    returning ct.customer_id, (xmax = 0) as inserted`.execute(db);
  return rows.filter((r) => r.inserted).map((r) => Number(r.customer_id));
}

/** Takes `tagId` away from the customers, whatever gave it; returns the rows removed. */
export async function deleteHolders(db: Executor, workspaceId: string, tagId: string, customerIds: number[]): Promise<RemovedRow[]> {
  if (!customerIds.length) return [];
  const { rows } = await sql<{ customer_id: string; source: TagSource; rule_id: string | null }>`
    delete from customer_tags
    where workspace_id = ${workspaceId} and tag_id = ${tagId} and customer_id = any(${customerIds}::bigint[])
    returning customer_id, source, rule_id`.execute(db);
  return rows.map((r) => ({ customerId: Number(r.customer_id), tagId, source: r.source, ruleId: r.rule_id }));
}

/** Up to `limit` holders of a tag (to remove them in chunks). */
export async function holderPage(db: Executor, workspaceId: string, tagId: string, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('customer_tags').select('customer_id').where('workspace_id', '=', workspaceId).where('tag_id', '=', tagId).orderBy('customer_id').limit(limit).execute();
  return rows.map((r) => r.customer_id);
}

/** The customers' rows that rules may touch: rule-given ones, and any row of the rules' tags. */
export async function heldForRules(db: Executor, workspaceId: string, customerIds: number[], ruleTagIds: string[]): Promise<HeldTag[]> {
  if (!customerIds.length) return [];
  const { rows } = await sql<{ customer_id: string; tag_id: string; source: TagSource; rule_id: string | null; expires_at: Date | null }>`
    select customer_id, tag_id, source, rule_id, expires_at from customer_tags
    where workspace_id = ${workspaceId} and customer_id = any(${customerIds}::bigint[])
      and (source = 'rule' or tag_id = any(${ruleTagIds}::uuid[]))`.execute(db);
  return rows.map((r) => ({ customerId: Number(r.customer_id), tagId: r.tag_id, source: r.source, ruleId: r.rule_id, expiresAt: r.expires_at }));
}

const hitArrays = (hits: readonly RuleHit[]) => [
  hits.map((h) => h.customerId),
  hits.map((h) => h.tagId),
  hits.map((h) => h.ruleId),
  hits.map((h) => h.until?.toISOString() ?? null),
];

export async function insertRuleRows(db: Executor, workspaceId: string, hits: readonly RuleHit[], now: Date): Promise<RuleHit[]> {
  if (!hits.length) return [];
  const [c, t, r, u] = hitArrays(hits);
  const { rows } = await sql<{ customer_id: string; tag_id: string }>`
    insert into customer_tags (workspace_id, customer_id, tag_id, source, rule_id, added_by, added_at, expires_at)
    select ${workspaceId}, h.c, h.t, 'rule', h.r, 'rule', ${now}, h.u
    from unnest(${c}::bigint[], ${t}::uuid[], ${r}::uuid[], ${u}::timestamptz[]) as h(c, t, r, u)
    on conflict do nothing
    returning customer_id, tag_id`.execute(db);
  const inserted = new Set(rows.map((x) => `${x.customer_id}:${x.tag_id}`));
  return hits.filter((h) => inserted.has(`${h.customerId}:${h.tagId}`));
}

export async function updateRuleRows(db: Executor, workspaceId: string, hits: readonly RuleHit[]): Promise<void> {
  if (!hits.length) return;
  const [c, t, r, u] = hitArrays(hits);
  await sql`
    update customer_tags ct set rule_id = h.r, expires_at = h.u
    from unnest(${c}::bigint[], ${t}::uuid[], ${r}::uuid[], ${u}::timestamptz[]) as h(c, t, r, u)
    where ct.workspace_id = ${workspaceId} and ct.customer_id = h.c and ct.tag_id = h.t and ct.source = 'rule'`.execute(db);
}

/** Removes rule-given rows (only while still rule-given); returns those removed. */
export async function deleteRuleRows(db: Executor, workspaceId: string, rows: readonly HeldTag[]): Promise<RemovedRow[]> {
  if (!rows.length) return [];
  const { rows: removed } = await sql<{ customer_id: string; tag_id: string; rule_id: string | null }>`
    delete from customer_tags ct
    using unnest(${rows.map((x) => x.customerId)}::bigint[], ${rows.map((x) => x.tagId)}::uuid[]) as d(c, t)
    where ct.workspace_id = ${workspaceId} and ct.customer_id = d.c and ct.tag_id = d.t and ct.source = 'rule'
    returning ct.customer_id, ct.tag_id, ct.rule_id`.execute(db);
  return removed.map((x) => ({ customerId: Number(x.customer_id), tagId: x.tag_id, source: 'rule' as const, ruleId: x.rule_id }));
}

/** Rule-given rows whose window may have passed, of every workspace, oldest first. */
export async function expiredHolders(db: Executor, now: Date, limit: number): Promise<{ workspaceId: string; customerId: number }[]> {
  const rows = await db
    .selectFrom('customer_tags')
    .select(['workspace_id', 'customer_id'])
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, customerId: r.customer_id }));
}
