/**
 * SQL of tag rules: the rules themselves, and their evaluation over many customers at once
 * (the same semantics as rule-evaluation.ts, held equal by a property test).
 */
import { sql, type RawBuilder } from 'kysely';
import { DAY_MS } from './rule-evaluation.ts';
import type { EventCondition, OrderCondition, PropertyFilter, RuleDefinition } from './tags.schemas.ts';
import type { Executor } from './tags.repository.ts';

export interface RuleRow {
  id: string;
  tag_id: string;
  tag_name: string;
  name: string;
  description: string | null;
  definition: RuleDefinition;
  is_enabled: boolean;
  version: number;
  applied_version: number | null;
  applied_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Rules with their tag's name (rules of tags being deleted left out). */
export async function listRules(db: Executor, workspaceId: string, filter: { id?: string; tagId?: string; enabledOnly?: boolean } = {}): Promise<RuleRow[]> {
  const rows = await db
    .selectFrom('tag_rules as r')
    .innerJoin('tags as t', (j) => j.onRef('t.workspace_id', '=', 'r.workspace_id').onRef('t.id', '=', 'r.tag_id'))
    .select(['r.id', 'r.tag_id', 't.name as tag_name', 'r.name', 'r.description', 'r.definition', 'r.is_enabled', 'r.version', 'r.applied_version', 'r.applied_at', 'r.created_by', 'r.created_at', 'r.updated_at'])
    .where('r.workspace_id', '=', workspaceId)
    .where('t.deleted_at', 'is', null)
    .$if(!!filter.id, (q) => q.where('r.id', '=', filter.id!))
    .$if(!!filter.tagId, (q) => q.where('r.tag_id', '=', filter.tagId!))
    .$if(!!filter.enabledOnly, (q) => q.where('r.is_enabled', '=', true))
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows as unknown as RuleRow[];
}

export async function insertRule(
  db: Executor,
  row: { workspaceId: string; id: string; tagId: string; name: string; description: string | null; definition: RuleDefinition; enabled: boolean; createdBy: string; now: Date },
) {
  await db
    .insertInto('tag_rules')
    .values({
      workspace_id: row.workspaceId,
      id: row.id,
      tag_id: row.tagId,
      name: row.name,
      description: row.description,
      definition: JSON.stringify(row.definition),
      is_enabled: row.enabled,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function updateRule(
  db: Executor,
  workspaceId: string,
  id: string,
  set: { name?: string; description?: string | null; tagId?: string; definition?: RuleDefinition; enabled?: boolean },
  bumpVersion: boolean,
  now: Date,
) {
  await db
    .updateTable('tag_rules')
    .set((eb) => ({
      ...(set.name !== undefined ? { name: set.name } : {}),
      ...(set.description !== undefined ? { description: set.description } : {}),
      ...(set.tagId !== undefined ? { tag_id: set.tagId } : {}),
      ...(set.definition !== undefined ? { definition: JSON.stringify(set.definition) } : {}),
      ...(set.enabled !== undefined ? { is_enabled: set.enabled } : {}),
      ...(bumpVersion ? { version: eb('version', '+', 1) } : {}),
      updated_at: now,
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deleteRule(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('tag_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Marks the versions a full apply started from as applied (a rule changed since stays pending). */
export async function markApplied(db: Executor, workspaceId: string, versions: Map<string, number>, now: Date): Promise<void> {
  for (const [id, version] of versions) {
    await db
      .updateTable('tag_rules')
      .set({ applied_version: version, applied_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('version', '=', version)
      .execute();
  }
}

/** Customers holding a tag through each rule. */
export async function holdersPerRule(db: Executor, workspaceId: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ rule_id: string; n: string }>`
    select rule_id, count(*) as n from customer_tags
    where workspace_id = ${workspaceId} and source = 'rule' group by rule_id`.execute(db);
  return new Map(rows.map((r) => [r.rule_id, Number(r.n)]));
}

// ---- evaluation ----------------------------------------------------------------

const jsonPath = (property: string, tail = '') => `$."${property}"${tail}`;

/** A property filter over `e.properties`, with lax JSON-path semantics (arrays match by element). */
function filterSql(f: PropertyFilter): RawBuilder<boolean> {
  const vars = sql`jsonb_build_object('v', ${JSON.stringify(f.value ?? null)}::jsonb)`;
  const test = (expr: string) => sql<boolean>`jsonb_path_exists(e.properties, ${jsonPath(f.property, `[*] ? (${expr})`)}::jsonpath, ${vars})`;
  switch (f.op) {
    case 'exists':
      return sql<boolean>`jsonb_path_exists(e.properties, ${jsonPath(f.property)}::jsonpath)`;
    case 'eq':
      return test('@ == $v');
    case 'neq':
      return sql<boolean>`not ${test('@ == $v')}`;
    case 'in':
      return test('@ == $v[*]');
    case 'gte':
      return test('@ >= $v');
    case 'lte':
      return test('@ <= $v');
    case 'contains':
      return sql<boolean>`exists (select 1 from jsonb_path_query(e.properties, ${jsonPath(f.property, '[*]')}::jsonpath) as x(v)
        where jsonb_typeof(x.v) = 'string' and strpos(x.v #>> '{}', ${f.value as string}) > 0)`;
  }
}

const windowStart = (now: Date, days: number | null) => (days === null ? null : new Date(now.getTime() - days * DAY_MS));
const hours = (days: number) => sql`make_interval(hours => ${days * 24}::int)`;
const inCustomers = (column: string, ids: number[] | null) => (ids ? sql`and ${sql.ref(column)} = any(${ids}::bigint[])` : sql``);

function eventConditionSql(workspaceId: string, c: EventCondition, now: Date, ids: number[] | null): RawBuilder<unknown> {
  const from = windowStart(now, c.windowDays);
  const until = c.windowDays === null ? sql`null::timestamptz` : sql`(array_agg(e.occurred_at order by e.occurred_at desc))[${c.minCount}::int] + ${hours(c.windowDays)}`;
  const filters = c.filters.map((f) => sql`and ${filterSql(f)}`);
  return sql`
    select e.customer_id, ${until} as until
    from tag_event_facts e
    where e.workspace_id = ${workspaceId} and e.type = ${c.eventType}
      ${from ? sql`and e.occurred_at > ${from}` : sql``} ${inCustomers('e.customer_id', ids)}
      ${sql.join(filters, sql` `)}
    group by e.customer_id
    having count(*) >= ${c.minCount}::int`;
}

function orderConditionSql(workspaceId: string, c: OrderCondition, now: Date, ids: number[] | null): RawBuilder<unknown> {
  const from = windowStart(now, c.windowDays);
  const byItem = c.productId !== undefined || c.category !== undefined;
  const items = byItem
    ? sql`and exists (select 1 from tag_order_item_facts i where i.workspace_id = o.workspace_id and i.order_id = o.id
        ${c.productId !== undefined ? sql`and i.product_id = ${c.productId}` : sql``}
        ${c.category !== undefined ? sql`and i.category = ${c.category}` : sql``})`
    : sql``;
  let until: RawBuilder<unknown> = sql`null::timestamptz`;
  if (c.windowDays !== null) {
    const nth = sql`(array_agg(o.paid_at order by o.paid_at desc))[${c.minCount}::int] + ${hours(c.windowDays)}`;
    until = c.minAmountFen === undefined ? nth : sql`least(${nth}, min(o.paid_at) + ${hours(c.windowDays)})`;
  }
  return sql`
    select o.customer_id, ${until} as until
    from tag_order_facts o
    where o.workspace_id = ${workspaceId} ${from ? sql`and o.paid_at > ${from}` : sql``} ${inCustomers('o.customer_id', ids)} ${items}
    group by o.customer_id
    having count(*) >= ${c.minCount}::int ${c.minAmountFen !== undefined ? sql`and sum(o.net_fen) >= ${c.minAmountFen}::bigint` : sql``}`;
}

/** One row per customer the definition holds for: `customer_id`, `until` (null: no expiry). */
export function definitionSql(workspaceId: string, def: RuleDefinition, now: Date, ids: number[] | null): RawBuilder<unknown> {
  const ctes = def.conditions.map((c, i) => {
    const body = c.type === 'event' ? eventConditionSql(workspaceId, c, now, ids) : orderConditionSql(workspaceId, c, now, ids);
    return sql`${sql.raw(`c${i}`)} as (${body})`;
  });
  const names = def.conditions.map((_, i) => `c${i}`);
  const combined =
    def.match === 'all'
      ? sql`select c0.customer_id, least(${sql.raw(names.map((n) => `${n}.until`).join(', '))}) as until
          from ${sql.raw(names.map((n, i) => (i === 0 ? n : `join ${n} using (customer_id)`)).join(' '))}`
      : sql`select customer_id, case when bool_or(until is null) then null else max(until) end as until
          from (${sql.raw(names.map((n) => `select customer_id, until from ${n}`).join(' union all '))}) u group by customer_id`;
  return sql`with ${sql.join(ctes, sql`, `)} ${combined}`;
}

/** The customers (of `ids`, or of the whole workspace) a definition holds for now. */
export async function evaluateDefinition(db: Executor, workspaceId: string, def: RuleDefinition, now: Date, ids: number[] | null): Promise<{ customerId: number; until: Date | null }[]> {
  if (ids && !ids.length) return [];
  const { rows } = await sql<{ customer_id: string; until: Date | null }>`${definitionSql(workspaceId, def, now, ids)}`.execute(db);
  return rows.map((r) => ({ customerId: Number(r.customer_id), until: r.until }));
}

/** How many customers a definition holds for now, and the first few. */
export async function countDefinition(db: Executor, workspaceId: string, def: RuleDefinition, now: Date, sampleSize: number): Promise<{ count: number; sample: number[] }> {
  const { rows } = await sql<{ n: string; sample: string[] }>`
    with m as (${definitionSql(workspaceId, def, now, null)})
    select (select count(*) from m) as n, array(select customer_id from m order by customer_id limit ${sampleSize}::int) as sample`.execute(db);
  return { count: Number(rows[0]!.n), sample: rows[0]!.sample.map(Number) };
}
