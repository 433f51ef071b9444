/**
 * The segment rule language (zod only; the console, tags and scoring build rules with it).
 *
 * A rule is a tree: `and` / `or` groups with `children`, `not` with one `child`, and
 * conditions (leaves). Every condition is defined for every customer (true or false, never
 * unknown), so `not` is the exact complement: `neq` / `not_in` / `has_none` match customers
 * without a value too. Relative times count calendar days in the workspace time zone, with
 * day boundaries at local midnight; "in the last N days" is today and the N − 1 days before.
 *
 * Links to the customer list behind a number: `/segments/explore?rule=<base64url(JSON)>`.
 * See docs/segments.md for every condition with JSON examples.
 */
import { z } from 'zod';

export const MAX_RULE_DEPTH = 10;
export const MAX_RULE_NODES = 200;
const MAX_LIST = 500;

const localDate = z.iso.date().describe('A calendar day in the workspace time zone, YYYY-MM-DD');
const text = z.string().trim().min(1).max(200);
const textList = z.array(text).min(1).max(MAX_LIST);
const days = z.number().int().min(1).max(3650);

// ---- operators ---------------------------------------------------------------------

/** Fixed value sets (gender, consent, classes, stages): `value` is one key, or a list for in / not_in. */
export const ENUM_OPS = ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'] as const;
/** Free text (province, city, channel, lure, string attributes). */
export const TEXT_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'is_set', 'is_not_set'] as const;
/** Numbers: `between` takes `[min, max]`, both inclusive. */
export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
/**
 * Points in time, in calendar days of the workspace time zone:
 * - `in_last_days` N: today or the N − 1 days before (N = 1: today);
 * - `more_than_days_ago` N: the day lies before today − N (joined 91 days ago matches "more than 90",
 *   90 days ago does not);
 * - `between` [from, to]: both days inclusive; `before` day: earlier than that day; `after` day: later than it;
 * - `is_set` / `is_not_set`.
 */
export const TIME_OPS = ['in_last_days', 'more_than_days_ago', 'between', 'before', 'after', 'is_set', 'is_not_set'] as const;

export type EnumOp = (typeof ENUM_OPS)[number];
export type TextOp = (typeof TEXT_OPS)[number];
export type NumberOp = (typeof NUMBER_OPS)[number];
export type TimeOp = (typeof TIME_OPS)[number];

// ---- value sets other modules define -------------------------------------------------

export const GENDERS = ['male', 'female', 'unknown'] as const;
export const CONSENT_STATES = ['granted', 'denied', 'unknown'] as const;
export const RFM_CLASSES = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const;
export const LIFECYCLE_STAGES = {
  days: ['silent', 'growth', 'active', 'decline'],
  stage: ['reached', 'converted', 'active', 'silent', 'churned'],
  business: ['new', 'first_purchase', 'repeat', 'vip'],
} as const;
/** `primary` is the model the workspace chose; its stages are any of the three models'. */
export const LIFECYCLE_MODELS = ['primary', 'days', 'stage', 'business'] as const;
export const VALUE_LAYERS = ['vip', 'normal', 'potential'] as const;
export const CONSUMPTION_TIERS = ['high', 'medium', 'basic'] as const;

/** Customer timestamps a `time` condition can test. */
export const TIME_FIELDS = ['joined_at', 'created_at', 'first_order_at', 'last_order_at', 'first_interaction_at', 'last_interaction_at'] as const;
/**
 * Stored per-customer order aggregates (customer_stats). Amounts are fen, net of refunds;
 * the `_30d` … `_365d` windows are rolling (30 × 24 h before now) and refreshed as time passes.
 */
export const ORDER_METRICS = [
  'paid_order_count', 'paid_amount_fen', 'refunded_amount_fen',
  'orders_30d', 'amount_30d_fen', 'orders_90d', 'amount_90d_fen',
  'orders_180d', 'amount_180d_fen', 'orders_365d', 'amount_365d_fen',
] as const;

// ---- shared parts --------------------------------------------------------------------

const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
/** Most conditions carry `op` and, unless the op needs none, `value`; refineOp checks the pair. */
const anyValue = z.union([scalar, z.array(scalar).max(MAX_LIST)]).optional();

/** When events or purchases count: the last N days (today included), two days inclusive, or ever. */
export const WindowSchema = z.union([
  z.strictObject({ lastDays: days }),
  z.strictObject({ from: localDate, to: localDate }),
  z.strictObject({ allTime: z.literal(true) }),
]);
export type RuleWindow = z.output<typeof WindowSchema>;

export const PropertyFilterSchema = z.strictObject({
  property: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62}){0,3}$/, 'a property name, dotted for nested objects'),
  op: z.enum(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'not_exists']),
  value: anyValue,
});
export type PropertyFilter = z.output<typeof PropertyFilterSchema>;

// ---- conditions ----------------------------------------------------------------------

const enumCondition = <T extends string, V extends readonly [string, ...string[]]>(type: T, values: V) =>
  z.strictObject({ type: z.literal(type), op: z.enum(ENUM_OPS), value: z.union([z.enum(values), z.array(z.enum(values)).min(1).max(MAX_LIST)]).optional() });
const textCondition = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), op: z.enum(TEXT_OPS), value: z.union([text, textList]).optional() });

/** `{ "type": "gender", "op": "eq", "value": "female" }` */
export const GenderConditionSchema = enumCondition('gender', GENDERS);
/** `{ "type": "consent", "op": "eq", "value": "granted" }` — the marketing consent state. */
export const ConsentConditionSchema = enumCondition('consent', CONSENT_STATES);
/** `{ "type": "province" | "city" | "source_channel" | "source_lure", "op": "in", "value": ["上海"] }` */
export const ProvinceConditionSchema = textCondition('province');
export const CityConditionSchema = textCondition('city');
export const SourceChannelConditionSchema = textCondition('source_channel');
export const SourceLureConditionSchema = textCondition('source_lure');

/**
 * Birthday: `month_in` [1..12]; `month_day_eq` "MM-DD"; `in_next_days` N (today and the N − 1 days
 * after, 29 February counts on 28 February in other years); `is_set` / `is_not_set`.
 */
export const BirthdayConditionSchema = z.strictObject({
  type: z.literal('birthday'),
  op: z.enum(['month_in', 'month_day_eq', 'in_next_days', 'is_set', 'is_not_set']),
  value: z.union([z.array(z.number().int().min(1).max(12)).min(1).max(12), z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD'), z.number().int().min(1).max(366)]).optional(),
});

/** `{ "type": "owner", "op": "in", "value": ["<user id>"] }`, or `is_set` / `is_not_set`. */
export const OwnerConditionSchema = z.strictObject({
  type: z.literal('owner'),
  op: z.enum(['in', 'not_in', 'is_set', 'is_not_set']),
  value: z.array(z.uuid()).min(1).max(MAX_LIST).optional(),
});

/**
 * A custom attribute (attribute_definitions); ops and value follow its type: string → text ops,
 * number → number ops, boolean → `eq` true/false, date → time ops, enum → enum ops; all types also
 * take `is_set` / `is_not_set`.
 */
export const AttributeConditionSchema = z.strictObject({
  type: z.literal('attribute'),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/),
  op: z.enum([...new Set([...TEXT_OPS, ...NUMBER_OPS, ...TIME_OPS])] as [string, ...string[]]),
  value: anyValue,
});

/** `{ "type": "time", "field": "joined_at", "op": "more_than_days_ago", "value": 90 }` */
export const TimeConditionSchema = z.strictObject({
  type: z.literal('time'),
  field: z.enum(TIME_FIELDS),
  op: z.enum(TIME_OPS),
  value: z.union([days, localDate, z.tuple([localDate, localDate])]).optional(),
});

/** `{ "type": "identity", "op": "has", "identityType": "mobile" }` — holds an identity of that type (in `scope`, if given). */
export const IdentityConditionSchema = z.strictObject({
  type: z.literal('identity'),
  op: z.enum(['has', 'has_not']),
  identityType: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
  scope: z.string().max(100).optional(),
});

/** `{ "type": "tags", "op": "has_any", "value": ["<tag id>", …] }`; also `has_all`, `has_none`. */
export const TagsConditionSchema = z.strictObject({
  type: z.literal('tags'),
  op: z.enum(['has_any', 'has_all', 'has_none']),
  value: z.array(z.uuid()).min(1).max(MAX_LIST),
});

/**
 * Events of one type in a window, optionally filtered on properties, counted or summed:
 * `{ "type": "event", "eventType": "product.viewed", "where": [{ "property": "category", "op": "eq", "value": "精华" }],
 *    "measure": "count", "op": "gte", "value": 3, "window": { "lastDays": 7 } }`;
 * `"measure": "sum", "property": "durationSeconds"` sums a numeric property. Customers with no
 * matching event have count and sum 0.
 */
export const EventConditionSchema = z.strictObject({
  type: z.literal('event'),
  eventType: z.string().regex(/^[a-z][a-z0-9_.-]{0,79}$/),
  where: z.array(PropertyFilterSchema).max(10).optional(),
  measure: z.enum(['count', 'sum']).default('count'),
  property: PropertyFilterSchema.shape.property.optional(),
  op: z.enum(NUMBER_OPS),
  value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
  window: WindowSchema,
});

/** `{ "type": "order_stat", "metric": "paid_order_count", "op": "gte", "value": 2 }` (amounts in fen). */
export const OrderStatConditionSchema = z.strictObject({
  type: z.literal('order_stat'),
  metric: z.enum(ORDER_METRICS),
  op: z.enum(NUMBER_OPS),
  value: z.union([z.number().int(), z.tuple([z.number().int(), z.number().int()])]),
});

/**
 * Bought any of these products / categories / SKUs in a paid order (not cancelled, line not fully
 * refunded) paid within the window: `{ "type": "purchased", "by": "category", "op": "any_of",
 * "value": ["精华"], "window": { "lastDays": 90 } }`; `none_of` is the complement.
 */
export const PurchasedConditionSchema = z.strictObject({
  type: z.literal('purchased'),
  by: z.enum(['product', 'category', 'sku']),
  op: z.enum(['any_of', 'none_of']),
  value: textList,
  window: WindowSchema,
});

/** `{ "type": "rfm_class", "op": "eq", "value": "important_value" }` — customers without orders have no class. */
export const RfmClassConditionSchema = enumCondition('rfm_class', RFM_CLASSES);
/** `{ "type": "rfm_score", "dimension": "r", "op": "gte", "value": 4 }` — the 1–5 score of R, F or M. */
export const RfmScoreConditionSchema = z.strictObject({
  type: z.literal('rfm_score'),
  dimension: z.enum(['r', 'f', 'm']),
  op: z.enum(NUMBER_OPS),
  value: z.union([z.number().int().min(1).max(5), z.tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)])]),
});
/** `{ "type": "lifecycle_stage", "model": "days", "op": "eq", "value": "growth" }`; model `primary` = the workspace's chosen model. */
export const LifecycleStageConditionSchema = z.strictObject({
  type: z.literal('lifecycle_stage'),
  model: z.enum(LIFECYCLE_MODELS).default('primary'),
  op: z.enum(ENUM_OPS),
  value: z.union([text, textList]).optional(),
});
/** `{ "type": "value_layer", "op": "eq", "value": "vip" }` */
export const ValueLayerConditionSchema = enumCondition('value_layer', VALUE_LAYERS);
/** `{ "type": "consumption_tier", "op": "in", "value": ["high", "medium"] }` */
export const ConsumptionTierConditionSchema = enumCondition('consumption_tier', CONSUMPTION_TIERS);

// ---- the tree ------------------------------------------------------------------------

export type Rule =
  | { type: 'and'; children: Rule[] }
  | { type: 'or'; children: Rule[] }
  | { type: 'not'; child: Rule }
  | Condition;

const CONDITION_SCHEMAS = [
  GenderConditionSchema, BirthdayConditionSchema, ProvinceConditionSchema, CityConditionSchema, ConsentConditionSchema,
  SourceChannelConditionSchema, SourceLureConditionSchema, OwnerConditionSchema, AttributeConditionSchema, TimeConditionSchema,
  IdentityConditionSchema, TagsConditionSchema, EventConditionSchema, OrderStatConditionSchema, PurchasedConditionSchema,
  RfmClassConditionSchema, RfmScoreConditionSchema, LifecycleStageConditionSchema, ValueLayerConditionSchema, ConsumptionTierConditionSchema,
] as const;

export type Condition = z.output<(typeof CONDITION_SCHEMAS)[number]>;
export type ConditionType = Condition['type'];
export type ConditionOf<T extends ConditionType> = Extract<Condition, { type: T }>;
export const CONDITION_TYPES = CONDITION_SCHEMAS.map((s) => s.shape.type.value) as ConditionType[];

const RuleNodeSchema: z.ZodType<Rule> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('and'), get children() { return z.array(RuleNodeSchema).min(1).max(50); } }),
  z.strictObject({ type: z.literal('or'), get children() { return z.array(RuleNodeSchema).min(1).max(50); } }),
  z.strictObject({ type: z.literal('not'), get child() { return RuleNodeSchema; } }),
  ...CONDITION_SCHEMAS,
]) as never;

/**
 * A whole rule: the tree plus the checks that need the node in hand (an op's value shape, tree
 * size). Errors carry the path of the bad node, e.g. `rule.children[2].children[0].value`.
 */
export const RuleSchema: z.ZodType<Rule> = RuleNodeSchema.superRefine((rule, ctx) => {
  for (const issue of checkRuleShape(rule)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { reason: issue.reason } });
}).meta({ id: 'SegmentRule', description: 'A segment rule tree (docs/segments.md)' }) as never;

export interface ShapeIssue {
  path: (string | number)[];
  reason: string;
  message: string;
}

/** Shape checks zod's per-field schemas cannot express: which value an op needs, tree limits. */
export function checkRuleShape(rule: Rule): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  let nodes = 0;
  const walk = (node: Rule, path: (string | number)[], depth: number) => {
    nodes++;
    if (depth > MAX_RULE_DEPTH) {
      issues.push({ path, reason: 'too_deep', message: `Rules nest at most ${MAX_RULE_DEPTH} levels` });
      return;
    }
    if (node.type === 'and' || node.type === 'or') node.children.forEach((c, i) => walk(c, [...path, 'children', i], depth + 1));
    else if (node.type === 'not') walk(node.child, [...path, 'child'], depth + 1);
    else issues.push(...checkConditionShape(node).map((i) => ({ ...i, path: [...path, ...i.path] })));
  };
  walk(rule, [], 1);
  if (nodes > MAX_RULE_NODES) issues.push({ path: [], reason: 'too_large', message: `A rule has at most ${MAX_RULE_NODES} nodes` });
  return issues;
}

type Issue = Omit<ShapeIssue, 'path'> & { path: (string | number)[] };
const need = (what: string, op: string): Issue => ({ path: ['value'], reason: 'invalid_value', message: `op ${op} needs ${what}` });

/** Which value shape each op needs. Returns [] when the condition is well formed. */
export function checkConditionShape(c: Condition): Issue[] {
  const v = (c as { value?: unknown }).value;
  const op = (c as { op: string }).op;
  const isList = Array.isArray(v);
  const noValue = ['is_set', 'is_not_set', 'has', 'has_not'];
  if (noValue.includes(op)) return v === undefined ? [] : [{ path: ['value'], reason: 'unexpected_value', message: `op ${op} takes no value` }];
  if (c.type === 'identity') return [];
  if (c.type === 'event') return [...checkEventShape(c), ...checkValue(op, v)];
  if (c.type === 'purchased') return [...checkWindow(c.window), ...checkValue(op, v)];
  if (v === undefined) return [{ path: ['value'], reason: 'required', message: `op ${op} needs a value` }];
  if (c.type === 'lifecycle_stage') {
    const allowed: readonly string[] = c.model === 'primary' ? Object.values(LIFECYCLE_STAGES).flat() : LIFECYCLE_STAGES[c.model];
    const bad = (isList ? (v as unknown[]) : [v]).findIndex((x) => !allowed.includes(x as string));
    if (bad >= 0) return [{ path: isList ? ['value', bad] : ['value'], reason: 'invalid_value', message: `Stages of model ${c.model}: ${allowed.join(', ')}` }];
  }
  return checkValue(op, v);
}

function checkValue(op: string, v: unknown): Issue[] {
  const isList = Array.isArray(v);
  switch (op) {
    case 'in': case 'not_in': case 'has_any': case 'has_all': case 'has_none': case 'any_of': case 'none_of': case 'month_in':
      return isList ? [] : [need('a list', op)];
    case 'between':
      if (!isList || v.length !== 2) return [need('[from, to]', op)];
      return (v[0] as number | string) > (v[1] as number | string) ? [{ path: ['value'], reason: 'empty_range', message: 'between needs from ≤ to' }] : [];
    case 'in_last_days': case 'more_than_days_ago': case 'in_next_days':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 3650 ? [] : [need('a whole number of days (1–3650)', op)];
    case 'before': case 'after':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? [] : [need('a day YYYY-MM-DD', op)];
    case 'month_day_eq':
      return typeof v === 'string' ? [] : [need('a day of the year MM-DD', op)];
    case 'eq': case 'neq': case 'contains': case 'starts_with': case 'gt': case 'gte': case 'lt': case 'lte':
      return isList ? [need('a single value', op)] : [];
    default:
      return [];
  }
}

function checkWindow(w: RuleWindow): Issue[] {
  return 'from' in w && w.from > w.to ? [{ path: ['window', 'to'], reason: 'empty_range', message: 'The window ends before it starts' }] : [];
}

function checkEventShape(c: ConditionOf<'event'>): Issue[] {
  const issues = checkWindow(c.window);
  if (c.measure === 'sum' && !c.property) issues.push({ path: ['property'], reason: 'required', message: 'measure sum needs the numeric property to sum' });
  if (c.measure === 'count' && c.property) issues.push({ path: ['property'], reason: 'unexpected_value', message: 'property is only for measure sum' });
  (c.where ?? []).forEach((f, i) => {
    const bad = (message: string) => issues.push({ path: ['where', i, 'value'], reason: 'invalid_value', message });
    const v = f.value;
    if (f.op === 'exists' || f.op === 'not_exists') {
      if (v !== undefined) bad(`op ${f.op} takes no value`);
    } else if (v === undefined) bad(`op ${f.op} needs a value`);
    else if (f.op === 'in' || f.op === 'not_in') {
      if (!Array.isArray(v) || !v.length) bad(`op ${f.op} needs a non-empty list`);
    } else if (Array.isArray(v)) bad(`op ${f.op} needs a single value`);
    else if (['gt', 'gte', 'lt', 'lte'].includes(f.op) && typeof v !== 'number') bad(`op ${f.op} needs a number`);
    else if (f.op === 'contains' && typeof v !== 'string') bad('op contains needs text');
  });
  return issues;
}

/** Whether a rule's result can change as time passes with no new data (scheduled re-evaluation). */
export function isTimeRelative(rule: Rule): boolean {
  if (rule.type === 'and' || rule.type === 'or') return rule.children.some(isTimeRelative);
  if (rule.type === 'not') return isTimeRelative(rule.child);
  switch (rule.type) {
    case 'time':
    case 'attribute':
      return ['in_last_days', 'more_than_days_ago'].includes(rule.op);
    case 'birthday':
      return rule.op === 'in_next_days';
    case 'event':
    case 'purchased':
      return 'lastDays' in rule.window;
    case 'order_stat':
      return /_\d+d/.test(rule.metric);
    default:
      return false;
  }
}
