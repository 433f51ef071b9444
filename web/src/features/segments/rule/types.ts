/**
 * The segment rule language as the console edits it (the server's contract is
 * src/modules/segments/segments.schemas.ts; docs/segmentation.md lists every condition).
 */
export type Scalar = string | number | boolean;
export type RuleValue = Scalar | Scalar[];

export type RuleWindow = { lastDays: number } | { from: string; to: string } | { allTime: true };

export const PROPERTY_OPS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists', 'not_exists'] as const;
export type PropertyOp = (typeof PROPERTY_OPS)[number];

export interface PropertyFilter {
  property: string;
  op: PropertyOp;
  value?: RuleValue;
}

export const CONDITION_TYPES = [
  'gender', 'birthday', 'province', 'city', 'consent', 'source_channel', 'source_lure', 'owner', 'attribute', 'time',
  'identity', 'tags', 'event', 'order_stat', 'purchased', 'rfm_class', 'rfm_score', 'lifecycle_stage', 'value_layer', 'consumption_tier',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** One leaf; which of the optional fields it carries depends on its type. */
export interface Condition {
  type: ConditionType;
  op: string;
  value?: RuleValue;
  key?: string;
  field?: string;
  identityType?: string;
  scope?: string;
  eventType?: string;
  where?: PropertyFilter[];
  measure?: 'count' | 'sum';
  property?: string;
  window?: RuleWindow;
  metric?: string;
  by?: string;
  dimension?: string;
  model?: string;
}

export interface Group {
  type: 'and' | 'or';
  children: Rule[];
}

export interface Not {
  type: 'not';
  child: Rule;
}

export type Rule = Group | Not | Condition;

/** Where a node sits in the tree: ['children', 1, 'child'] and so on; [] is the root. */
export type NodePath = (string | number)[];

export const isGroup = (rule: Rule): rule is Group => rule.type === 'and' || rule.type === 'or';
