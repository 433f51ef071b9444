/**
 * Compiles a validated rule to one SQL boolean over `f`, a row of the per-customer facts
 * (segment_facts, or segment_customer_source for a rebuild from the sources). Every value is a
 * bound parameter; identifiers come from fixed allowlists. Every condition yields true or false,
 * never null, so `not` is the exact complement.
 *
 * Conditions over many rows per customer (events, tags, identities, purchases, attributes) are
 * EXISTS / NOT EXISTS subqueries the planner turns into semi and anti joins; counts and sums go
 * through a grouped derived table, so a preview aggregates once instead of once per customer.
 * `customerIds` (the live path) or `customerRange` (a chunk of a full evaluation) narrows those
 * subqueries to the customers being evaluated, so each reads only their rows.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Condition, ConditionOf, NumberOp, PropertyFilter, Rule, RuleWindow } from './segments.schemas.ts';
import { dayStart, localDay, localMidnight, upcomingBirthdays } from './relative-time.ts';

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'enum';
type Sql = RawBuilder<unknown>;

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  timeZone: string;
  /** Custom attribute types by key; an unknown key compiles as text that no customer holds. */
  attributes: ReadonlyMap<string, AttributeType>;
  /** The live path: only these customers are evaluated. */
  customerIds?: readonly number[] | undefined;
  /** A chunk of a full evaluation: customers with after < id <= upTo (null: no upper bound). */
  customerRange?: { after: number; upTo: number | null } | undefined;
}

const isSafe = (v: Sql): Sql => sql`coalesce(${v}, false)`;

export function compileRule(rule: Rule, o: CompileOptions): RawBuilder<boolean> {
  switch (rule.type) {
    case 'and':
    case 'or':
      return sql<boolean>`(${sql.join(rule.children.map((c) => compileRule(c, o)), sql.raw(` ${rule.type} `))})`;
    case 'not':
      return sql<boolean>`(not ${compileRule(rule.child, o)})`;
    default:
      return compileCondition(rule, o) as RawBuilder<boolean>;
  }
}

const LIFECYCLE_COLUMNS = { primary: 'lifecycle_stage', days: 'lifecycle_days_stage', stage: 'lifecycle_stage_stage', business: 'lifecycle_business_stage' } as const;
const RFM_SCORE_COLUMNS = { r: 'rfm_r', f: 'rfm_f', m: 'rfm_m' } as const;

function compileCondition(c: Condition, o: CompileOptions): Sql {
  const col = (name: string) => sql.ref(`f.${name}`);
  switch (c.type) {
    case 'gender': case 'consent': case 'rfm_class': case 'value_layer': case 'consumption_tier':
      return valueOp(col(c.type === 'consent' ? 'consent_status' : c.type), c.op, c.value);
    case 'province': case 'city': case 'source_channel': case 'source_lure':
      return valueOp(col(c.type), c.op, c.value);
    case 'lifecycle_stage':
      return valueOp(col(LIFECYCLE_COLUMNS[c.model]), c.op, c.value);
    case 'owner':
      return valueOp(col('owner_user_id'), c.op, c.value, 'uuid');
    case 'birthday':
      return birthday(c, o);
    case 'time':
      return timeOp(col(c.field), c.op, c.value, o);
    case 'order_stat':
      return numberOp(col(c.metric), c.op, c.value);
    case 'rfm_score':
      return numberOp(col(RFM_SCORE_COLUMNS[c.dimension]), c.op, c.value);
    case 'identity':
      return identity(c, o);
    case 'tags':
      return tags(c, o);
    case 'event':
      return event(c, o);
    case 'purchased':
      return purchased(c, o);
    case 'attribute':
      return attribute(c, o);
  }
}

// ---- operators over one value ----------------------------------------------------------

/** eq / neq / in / not_in / contains / starts_with / is_set / is_not_set over a text (or uuid) expression. */
export function valueOp(expr: Sql, op: string, value: unknown, type: 'text' | 'uuid' = 'text'): Sql {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map(String);
  const arrayType = sql.raw(`${type}[]`);
  switch (op) {
    case 'eq': return isSafe(sql`${expr} = ${String(value)}::${sql.raw(type)}`);
    case 'neq': return sql`(${expr} is distinct from ${String(value)}::${sql.raw(type)})`;
    case 'in': return isSafe(sql`${expr} = any(${list(value)}::${arrayType})`);
    case 'not_in': return sql`(not ${isSafe(sql`${expr} = any(${list(value)}::${arrayType})`)})`;
    case 'contains': return isSafe(sql`strpos(${expr}, ${String(value)}::text) > 0`);
    case 'starts_with': return isSafe(sql`starts_with(${expr}, ${String(value)}::text)`);
    case 'is_set': return sql`(${expr} is not null)`;
    case 'is_not_set': return sql`(${expr} is null)`;
    default: throw new Error(`op ${op} does not apply to values`);
  }
}

/** Whether `x op value` holds, in JavaScript: decides how a count of zero behaves. */
export function testNumber(x: number, op: NumberOp, value: number | readonly [number, number]): boolean {
  const [a, b] = Array.isArray(value) ? value : [value, value];
  switch (op) {
    case 'eq': return x === a;
    case 'neq': return x !== a;
    case 'gt': return x > a;
    case 'gte': return x >= a;
    case 'lt': return x < a;
    case 'lte': return x <= a;
    case 'between': return x >= a && x <= b;
  }
}

export function numberOp(expr: Sql, op: NumberOp, value: number | readonly [number, number]): Sql {
  const [a, b] = Array.isArray(value) ? value : [value, value];
  const n = (x: number) => sql`${x}::numeric`;
  switch (op) {
    case 'eq': return isSafe(sql`${expr} = ${n(a)}`);
    case 'neq': return sql`(${expr} is distinct from ${n(a)})`;
    case 'gt': return isSafe(sql`${expr} > ${n(a)}`);
    case 'gte': return isSafe(sql`${expr} >= ${n(a)}`);
    case 'lt': return isSafe(sql`${expr} < ${n(a)}`);
    case 'lte': return isSafe(sql`${expr} <= ${n(a)}`);
    case 'between': return isSafe(sql`${expr} between ${n(a)} and ${n(b)}`);
  }
}

/** Time ops over a timestamptz expression, by calendar days of the workspace time zone. */
export function timeOp(expr: Sql, op: string, value: unknown, o: Pick<CompileOptions, 'now' | 'timeZone'>): Sql {
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  switch (op) {
    case 'in_last_days': return isSafe(sql`${expr} >= ${at(localMidnight(o.now, o.timeZone, 1 - (value as number)))}`);
    case 'more_than_days_ago': return isSafe(sql`${expr} < ${at(localMidnight(o.now, o.timeZone, -(value as number)))}`);
    case 'between': {
      const [from, to] = value as [string, string];
      return isSafe(sql`${expr} >= ${at(dayStart(from, o.timeZone))} and ${expr} < ${at(dayStart(to, o.timeZone, 1))}`);
    }
    case 'before': return isSafe(sql`${expr} < ${at(dayStart(value as string, o.timeZone))}`);
    case 'after': return isSafe(sql`${expr} >= ${at(dayStart(value as string, o.timeZone, 1))}`);
    case 'is_set': return sql`(${expr} is not null)`;
    case 'is_not_set': return sql`(${expr} is null)`;
    default: throw new Error(`op ${op} does not apply to times`);
  }
}

/** The same ops over a `YYYY-MM-DD` text (date attributes): local days compare as text. */
function dayOp(expr: Sql, op: string, value: unknown, o: CompileOptions): Sql {
  const day = (d: string) => sql`${d}::text`;
  switch (op) {
    case 'in_last_days': return isSafe(sql`${expr} >= ${day(localDay(o.now, o.timeZone, 1 - (value as number)))}`);
    case 'more_than_days_ago': return isSafe(sql`${expr} < ${day(localDay(o.now, o.timeZone, -(value as number)))}`);
    case 'between': return isSafe(sql`${expr} between ${day((value as string[])[0]!)} and ${day((value as string[])[1]!)}`);
    case 'before': return isSafe(sql`${expr} < ${day(value as string)}`);
    case 'after': return isSafe(sql`${expr} > ${day(value as string)}`);
    default: return valueOp(expr, op, value);
  }
}

/** A window as conditions on a timestamptz column (nothing for all time). */
export function windowBounds(column: Sql, w: RuleWindow, o: Pick<CompileOptions, 'now' | 'timeZone'>): Sql {
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  if ('lastDays' in w) return sql` and ${column} >= ${at(localMidnight(o.now, o.timeZone, 1 - w.lastDays))}`;
  if ('from' in w) return sql` and ${column} >= ${at(dayStart(w.from, o.timeZone))} and ${column} < ${at(dayStart(w.to, o.timeZone, 1))}`;
  return sql``;
}

function scope(column: Sql, o: CompileOptions): Sql {
  if (o.customerIds) return sql` and ${column} = any(${[...o.customerIds]}::bigint[])`;
  if (o.customerRange) {
    const { after, upTo } = o.customerRange;
    return upTo === null ? sql` and ${column} > ${after}::bigint` : sql` and ${column} > ${after}::bigint and ${column} <= ${upTo}::bigint`;
  }
  return sql``;
}

// ---- conditions over other rows ---------------------------------------------------------

function birthday(c: ConditionOf<'birthday'>, o: CompileOptions): Sql {
  const b = sql.ref('f.birthday');
  switch (c.op) {
    case 'month_in': return isSafe(sql`extract(month from ${b})::int = any(${c.value as number[]}::int[])`);
    case 'month_day_eq': return isSafe(sql`to_char(${b}, 'MM-DD') = ${c.value as string}::text`);
    case 'in_next_days': return isSafe(sql`to_char(${b}, 'MM-DD') = any(${upcomingBirthdays(o.now, o.timeZone, c.value as number)}::text[])`);
    case 'is_set': return sql`(${b} is not null)`;
    case 'is_not_set': return sql`(${b} is null)`;
  }
}

function identity(c: ConditionOf<'identity'>, o: CompileOptions): Sql {
  const scoped = c.scope !== undefined ? sql` and i.scope = ${c.scope}::text` : sql``;
  const has = sql`exists (select 1 from segment_identity_facts i where i.workspace_id = ${o.workspaceId}::uuid
    and i.customer_id = f.customer_id and i.type = ${c.identityType}::text${scoped}${scope(sql.ref('i.customer_id'), o)})`;
  return c.op === 'has' ? has : sql`(not ${has})`;
}

function tags(c: ConditionOf<'tags'>, o: CompileOptions): Sql {
  const ids = [...new Set(c.value)];
  const ws = sql`${o.workspaceId}::uuid`;
  if (c.op === 'has_all') {
    return sql`exists (select 1 from (select t.customer_id from segment_tag_facts t where t.workspace_id = ${ws}
      and t.tag_id = any(${ids}::uuid[])${scope(sql.ref('t.customer_id'), o)} group by t.customer_id having count(*) = ${ids.length}::int) g
      where g.customer_id = f.customer_id)`;
  }
  const any = sql`exists (select 1 from segment_tag_facts t where t.workspace_id = ${ws} and t.customer_id = f.customer_id and t.tag_id = any(${ids}::uuid[])${scope(sql.ref('t.customer_id'), o)})`;
  return c.op === 'has_any' ? any : sql`(not ${any})`;
}

/** A jsonb path (`a.b`) into the properties of an event. */
const jsonPath = (property: string) => sql`${property.split('.')}::text[]`;
const numeric = (j: Sql) => sql`(case when jsonb_typeof(${j}) = 'number' then (${j} #>> '{}')::numeric end)`;

export function propertyFilter(f: PropertyFilter, props: Sql): Sql {
  const j = sql`(${props} #> ${jsonPath(f.property)})`;
  const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;
  const list = () => sql`${(f.value as unknown[]).map((v) => JSON.stringify(v))}::jsonb[]`;
  switch (f.op) {
    case 'eq': return isSafe(sql`${j} = ${json(f.value)}`);
    case 'neq': return sql`(${j} is distinct from ${json(f.value)})`;
    case 'in': return isSafe(sql`${j} = any(${list()})`);
    case 'not_in': return sql`(not ${isSafe(sql`${j} = any(${list()})`)})`;
    case 'gt': case 'gte': case 'lt': case 'lte':
      return numberOp(numeric(j), f.op, f.value as number);
    case 'contains': return isSafe(sql`strpos(case when jsonb_typeof(${j}) = 'string' then ${j} #>> '{}' end, ${String(f.value)}::text) > 0`);
    case 'exists': return sql`(${j} is not null)`;
    case 'not_exists': return sql`(${j} is null)`;
  }
}

/**
 * Count or sum of matching events per customer. Customers without a matching event have 0,
 * so when the test holds for 0 the condition is "not among those for whom it fails".
 */
function event(c: ConditionOf<'event'>, o: CompileOptions): Sql {
  const filters = (c.where ?? []).map((w) => sql` and ${propertyFilter(w, sql.ref('e.properties'))}`);
  const measure = c.measure === 'sum' ? sql`coalesce(sum(${numeric(sql`(e.properties #> ${jsonPath(c.property!)})`)}), 0)` : sql`count(*)`;
  const holdsForZero = testNumber(0, c.op, c.value);
  const test = numberOp(measure, c.op, c.value);
  const grouped = sql`select e.customer_id from segment_event_facts e where e.workspace_id = ${o.workspaceId}::uuid
    and e.type = ${c.eventType}::text${windowBounds(sql.ref('e.occurred_at'), c.window, o)}${scope(sql.ref('e.customer_id'), o)}${sql.join(filters, sql``)}
    group by e.customer_id having ${holdsForZero ? sql`not ${test}` : test}`;
  const match = sql`exists (select 1 from (${grouped}) g where g.customer_id = f.customer_id)`;
  return holdsForZero ? sql`(not ${match})` : match;
}

const PURCHASE_COLUMNS = { product: 'product_id', category: 'category', sku: 'sku' } as const;

function purchased(c: ConditionOf<'purchased'>, o: CompileOptions): Sql {
  const any = sql`exists (select 1 from segment_purchase_facts p where p.workspace_id = ${o.workspaceId}::uuid and p.customer_id = f.customer_id
    and ${sql.ref(`p.${PURCHASE_COLUMNS[c.by]}`)} = any(${c.value}::text[])${windowBounds(sql.ref('p.paid_at'), c.window, o)}${scope(sql.ref('p.customer_id'), o)})`;
  return c.op === 'any_of' ? any : sql`(not ${any})`;
}

const DAY_RE = '^\\d{4}-\\d{2}-\\d{2}$';
const NEGATED: Record<string, string> = { neq: 'eq', not_in: 'in', is_not_set: 'is_set' };

/** A custom attribute, typed by its definition; negative ops are the complement of the positive. */
function attribute(c: ConditionOf<'attribute'>, o: CompileOptions): Sql {
  const type = o.attributes.get(c.key) ?? 'string';
  const positive = NEGATED[c.op];
  const op = positive ?? c.op;
  const j = sql`(a.attributes -> ${c.key}::text)`;
  let test: Sql;
  if (op === 'is_set') test = sql`(jsonb_typeof(${j}) is not null and jsonb_typeof(${j}) <> 'null')`;
  else if (type === 'number') test = numberOp(numeric(j), op as NumberOp, c.value as number);
  else if (type === 'boolean') test = isSafe(sql`${j} = ${JSON.stringify(c.value)}::jsonb`);
  else if (type === 'date') test = dayOp(sql`(case when a.attributes ->> ${c.key}::text ~ ${DAY_RE}::text then a.attributes ->> ${c.key}::text end)`, op, c.value, o);
  else test = valueOp(sql`(case when jsonb_typeof(${j}) = 'string' then ${j} #>> '{}' end)`, op, c.value);
  const match = sql`exists (select 1 from segment_attribute_facts a where a.workspace_id = ${o.workspaceId}::uuid and a.customer_id = f.customer_id and ${test}${scope(sql.ref('a.customer_id'), o)})`;
  return positive ? sql`(not ${match})` : match;
}
