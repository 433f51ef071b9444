/**
 * What the builder offers for each condition type: its category, operators and a fresh
 * condition. Mirrors the server's rule language (segments.schemas.ts); the server checks.
 */
import type { AttributeType } from '../types.ts';
import type { Condition, ConditionType, RuleValue, RuleWindow, Scalar } from './types.ts';

export const ENUM_OPS = ['eq', 'neq', 'in', 'not_in', 'is_set', 'is_not_set'] as const;
export const TEXT_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'is_set', 'is_not_set'] as const;
export const NUMBER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export const TIME_OPS = ['in_last_days', 'more_than_days_ago', 'between', 'before', 'after', 'is_set', 'is_not_set'] as const;
export const BIRTHDAY_OPS = ['month_in', 'month_day_eq', 'in_next_days', 'is_set', 'is_not_set'] as const;
export const OWNER_OPS = ['in', 'not_in', 'is_set', 'is_not_set'] as const;
export const ATTRIBUTE_OPS: Record<AttributeType, readonly string[]> = {
  string: TEXT_OPS,
  enum: ENUM_OPS,
  number: [...NUMBER_OPS, 'is_set', 'is_not_set'],
  boolean: ['eq', 'neq', 'is_set', 'is_not_set'],
  date: TIME_OPS,
};

export const GENDERS = ['male', 'female', 'unknown'] as const;
export const CONSENT_STATES = ['granted', 'denied', 'unknown'] as const;
export const RFM_CLASSES = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const;
export const LIFECYCLE_MODELS = ['primary', 'days', 'stage', 'business'] as const;
const DAYS_STAGES = ['silent', 'growth', 'active', 'decline'];
const STAGE_STAGES = ['reached', 'converted', 'active', 'silent', 'churned'];
const BUSINESS_STAGES = ['new', 'first_purchase', 'repeat', 'vip'];
/** Stages per lifecycle model; `primary` (the workspace's chosen model) takes any of them. */
export const MODEL_STAGES: Record<string, readonly string[]> = {
  primary: [...new Set([...DAYS_STAGES, ...STAGE_STAGES, ...BUSINESS_STAGES])],
  days: DAYS_STAGES,
  stage: STAGE_STAGES,
  business: BUSINESS_STAGES,
};
export const VALUE_LAYERS = ['vip', 'normal', 'potential'] as const;
export const CONSUMPTION_TIERS = ['high', 'medium', 'basic'] as const;
export const TIME_FIELDS = ['joined_at', 'created_at', 'first_order_at', 'last_order_at', 'first_interaction_at', 'last_interaction_at'] as const;
export const ORDER_METRICS = [
  'paid_order_count', 'paid_amount_fen', 'refunded_amount_fen',
  'orders_30d', 'amount_30d_fen', 'orders_90d', 'amount_90d_fen',
  'orders_180d', 'amount_180d_fen', 'orders_365d', 'amount_365d_fen',
] as const;
export const PURCHASE_BY = ['product', 'category', 'sku'] as const;
/** The event types Siyu defines (src/modules/events/event-types.ts), offered as suggestions; any other type may be typed. */
export const KNOWN_EVENT_TYPES = [
  'product.viewed', 'cart.added', 'page.viewed', 'link.clicked', 'coupon.claimed', 'coupon.redeemed', 'live.watched',
  'questionnaire.answered', 'poster.scanned', 'group.joined', 'group.left', 'group.message', 'message.private',
  'wecom.friend_added', 'wecom.friend_deleted', 'official_account.followed', 'official_account.unfollowed',
] as const;

export const CATEGORIES: { key: string; types: ConditionType[] }[] = [
  { key: 'profile', types: ['gender', 'birthday', 'province', 'city', 'consent', 'source_channel', 'source_lure', 'owner', 'attribute'] },
  { key: 'time', types: ['time'] },
  { key: 'identityTags', types: ['identity', 'tags'] },
  { key: 'behaviour', types: ['event', 'order_stat', 'purchased'] },
  { key: 'scores', types: ['rfm_class', 'rfm_score', 'lifecycle_stage', 'value_layer', 'consumption_tier'] },
];

/** Ops that take no value. */
export const NO_VALUE_OPS = new Set(['is_set', 'is_not_set', 'has', 'has_not', 'exists', 'not_exists']);
/** Ops that take a list. */
export const LIST_OPS = new Set(['in', 'not_in', 'has_any', 'has_all', 'has_none', 'any_of', 'none_of', 'month_in']);
/** Ops that take a number of days. */
export const DAY_COUNT_OPS = new Set(['in_last_days', 'more_than_days_ago', 'in_next_days']);

/** Whether a metric counts money (fen), shown and typed in yuan. */
export const isAmountMetric = (metric: string | undefined) => !!metric && metric.endsWith('_fen');

export function opsOf(c: Condition, attributeType?: AttributeType): readonly string[] {
  switch (c.type) {
    case 'gender': case 'consent': case 'rfm_class': case 'value_layer': case 'consumption_tier': case 'lifecycle_stage':
      return ENUM_OPS;
    case 'province': case 'city': case 'source_channel': case 'source_lure':
      return TEXT_OPS;
    case 'birthday': return BIRTHDAY_OPS;
    case 'owner': return OWNER_OPS;
    case 'attribute': return ATTRIBUTE_OPS[attributeType ?? 'string'];
    case 'time': return TIME_OPS;
    case 'identity': return ['has', 'has_not'];
    case 'tags': return ['has_any', 'has_all', 'has_none'];
    case 'event': case 'order_stat': case 'rfm_score': return NUMBER_OPS;
    case 'purchased': return ['any_of', 'none_of'];
  }
}

/** A new condition of a type, filled so it reads sensibly and mostly validates as it is. */
export function newCondition(type: ConditionType): Condition {
  switch (type) {
    case 'gender': return { type, op: 'eq', value: 'female' };
    case 'consent': return { type, op: 'eq', value: 'granted' };
    case 'province': case 'city': case 'source_channel': case 'source_lure': return { type, op: 'eq', value: '' };
    case 'birthday': return { type, op: 'in_next_days', value: 7 };
    case 'owner': return { type, op: 'is_set' };
    case 'attribute': return { type, key: '', op: 'is_set' };
    case 'time': return { type, field: 'joined_at', op: 'in_last_days', value: 30 };
    case 'identity': return { type, op: 'has', identityType: 'mobile' };
    case 'tags': return { type, op: 'has_any', value: [] };
    case 'event': return { type, eventType: 'product.viewed', measure: 'count', op: 'gte', value: 1, window: { lastDays: 30 } };
    case 'order_stat': return { type, metric: 'paid_order_count', op: 'gte', value: 1 };
    case 'purchased': return { type, by: 'category', op: 'any_of', value: [], window: { lastDays: 90 } };
    case 'rfm_class': return { type, op: 'eq', value: 'important_value' };
    case 'rfm_score': return { type, dimension: 'r', op: 'gte', value: 4 };
    case 'lifecycle_stage': return { type, model: 'primary', op: 'eq', value: 'active' };
    case 'value_layer': return { type, op: 'eq', value: 'vip' };
    case 'consumption_tier': return { type, op: 'eq', value: 'high' };
  }
}

export type ValueShape = 'none' | 'list' | 'pair' | 'days' | 'day' | 'single';

/** What shape of value an op takes, for the value's kind (time ops differ from number ops). */
export function shapeOf(op: string, isTime: boolean): ValueShape {
  if (NO_VALUE_OPS.has(op)) return 'none';
  if (LIST_OPS.has(op)) return 'list';
  if (op === 'between') return 'pair';
  if (DAY_COUNT_OPS.has(op)) return 'days';
  if (isTime && (op === 'before' || op === 'after')) return 'day';
  return 'single';
}

/** Keeps what can be kept of a value when the op changes (a single value becomes a one-item list …). */
export function adaptValue(prev: RuleValue | undefined, op: string, isTime: boolean, today: string): RuleValue | undefined {
  const first: Scalar | undefined = Array.isArray(prev) ? prev[0] : prev;
  switch (shapeOf(op, isTime)) {
    case 'none': return undefined;
    case 'list': return Array.isArray(prev) ? prev : first === undefined || first === '' ? [] : [first];
    case 'pair':
      if (Array.isArray(prev) && prev.length === 2) return prev;
      if (isTime) return [today, today];
      return typeof first === 'number' ? [first, first] : [0, 0];
    case 'days': return typeof first === 'number' && Number.isInteger(first) && first >= 1 ? first : 30;
    case 'day': return typeof first === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(first) ? first : today;
    case 'single': return first;
  }
}

/** A fresh window keeps the kind chosen. */
export function newWindow(kind: 'lastDays' | 'range' | 'allTime', today: string): RuleWindow {
  if (kind === 'lastDays') return { lastDays: 30 };
  if (kind === 'range') return { from: today, to: today };
  return { allTime: true };
}

export function windowKind(w: RuleWindow | undefined): 'lastDays' | 'range' | 'allTime' {
  if (!w || 'lastDays' in w) return 'lastDays';
  return 'from' in w ? 'range' : 'allTime';
}
