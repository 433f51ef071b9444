/**
 * The rule form's values and the rule definition the API takes, both ways; server field
 * paths mapped onto form fields; a rule's conditions in one readable line.
 */
import type { TFunction } from 'i18next';
import { ApiError } from '../../../app/api/client.ts';
import { formatFen } from '../../customers/format.ts';
import { eventLabel } from '../../customers/profile/TimelineEntry.tsx';
import type { Condition, FilterOp, PropertyFilter, RuleDefinition, TagRule } from '../types.ts';

/** How a typed value is sent: as text unless the stored rule compared a number or a boolean. */
export type ValueType = 'string' | 'number' | 'boolean';

export interface FilterValues {
  property?: string;
  op?: FilterOp;
  /** Text for eq / neq / contains, a number for gte / lte, a list for in, nothing for exists. */
  value?: string | number | string[] | null;
  valueType?: ValueType;
}

export interface ConditionValues {
  type: 'event' | 'order';
  eventType?: string;
  filters?: FilterValues[];
  productId?: string;
  category?: string;
  /** Yuan in the form; fen in the definition. */
  minAmountYuan?: number | null;
  minCount?: number | null;
  windowDays?: number | null;
}

export interface RuleFormValues {
  name?: string;
  description?: string;
  tagId?: string;
  enabled?: boolean;
  match?: 'all' | 'any';
  conditions?: ConditionValues[];
}

export const NEW_CONDITION: ConditionValues = { type: 'event', filters: [], minCount: 1, windowDays: 30 };

export function emptyRuleValues(): RuleFormValues {
  return { enabled: true, match: 'all', conditions: [{ ...NEW_CONDITION, filters: [] }] };
}

const trimmed = (s: string | undefined) => (s ?? '').trim();
const isNumeric = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

function typed(text: string, type: ValueType | undefined): string | number | boolean {
  if (type === 'number' && isNumeric(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function toFilter(f: FilterValues): PropertyFilter {
  const property = trimmed(f.property);
  const op = f.op ?? 'eq';
  switch (op) {
    case 'exists':
      return { property, op };
    case 'in': {
      const list = Array.isArray(f.value) ? f.value.map((v) => String(v).trim()).filter(Boolean) : [];
      return { property, op, value: f.valueType === 'number' && list.every(isNumeric) ? list.map(Number) : list };
    }
    case 'gte':
    case 'lte':
      return { property, op, value: typeof f.value === 'number' ? f.value : Number(f.value) };
    default:
      return { property, op, value: typed(String(f.value ?? ''), f.valueType) };
  }
}

function toCondition(c: ConditionValues): Condition {
  const minCount = c.minCount ?? 1;
  const windowDays = c.windowDays ?? null;
  if (c.type === 'order') {
    const productId = trimmed(c.productId);
    const category = trimmed(c.category);
    return {
      type: 'order',
      ...(productId ? { productId } : {}),
      ...(category ? { category } : {}),
      minCount,
      ...(c.minAmountYuan ? { minAmountFen: Math.round(c.minAmountYuan * 100) } : {}),
      windowDays,
    };
  }
  return { type: 'event', eventType: trimmed(c.eventType), filters: (c.filters ?? []).map(toFilter), minCount, windowDays };
}

/** The definition the form says. */
export function toDefinition(values: RuleFormValues): RuleDefinition {
  return { match: values.match ?? 'all', conditions: (values.conditions ?? []).map(toCondition) };
}

function valueTypeOf(v: unknown): ValueType {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'number' ? 'number' : typeof first === 'boolean' ? 'boolean' : 'string';
}

function fromFilter(f: PropertyFilter): FilterValues {
  const base = { property: f.property, op: f.op, valueType: valueTypeOf(f.value) };
  if (f.op === 'exists') return base;
  if (f.op === 'in') return { ...base, value: Array.isArray(f.value) ? f.value.map(String) : [] };
  if (f.op === 'gte' || f.op === 'lte') return { ...base, value: typeof f.value === 'number' ? f.value : null };
  return { ...base, value: f.value === undefined ? '' : String(f.value) };
}

/** The form values of a stored rule. */
export function fromRule(rule: TagRule): RuleFormValues {
  return {
    name: rule.name,
    description: rule.description ?? '',
    tagId: rule.tagId,
    enabled: rule.enabled,
    match: rule.definition.match,
    conditions: rule.definition.conditions.map((c): ConditionValues =>
      c.type === 'order'
        ? { type: 'order', productId: c.productId ?? '', category: c.category ?? '', minAmountYuan: c.minAmountFen === undefined ? null : c.minAmountFen / 100, minCount: c.minCount, windowDays: c.windowDays }
        : { type: 'event', eventType: c.eventType, filters: c.filters.map(fromFilter), minCount: c.minCount, windowDays: c.windowDays },
    ),
  };
}

const FORM_LEAVES = new Set(['name', 'description', 'tagId', 'enabled', 'match', 'type', 'eventType', 'property', 'op', 'value', 'productId', 'category', 'minAmountYuan', 'minCount', 'windowDays']);

/**
 * The form field a server field path names (`definition.conditions[0].filters[1].value` →
 * ['conditions', 0, 'filters', 1, 'value']), or null when no form field shows it.
 */
export function formPathOf(field: string): (string | number)[] | null {
  const parts: (string | number)[] = [];
  for (const m of field.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) parts.push(m[1] !== undefined ? Number(m[1]) : m[2]!);
  if (parts[0] === 'definition') parts.shift();
  if (parts.at(-1) === 'minAmountFen') parts[parts.length - 1] = 'minAmountYuan';
  const leaf = parts.at(-1);
  if (typeof leaf !== 'string' || !FORM_LEAVES.has(leaf)) return null;
  if (parts.length > 1 && parts[0] !== 'conditions') return null;
  return parts;
}

/** The field problems of a server error as form fields (those the form can show). */
export function fieldErrorsOf(err: unknown, reason: (reason: string, message?: string) => string): { name: (string | number)[]; errors: string[] }[] {
  if (!(err instanceof ApiError)) return [];
  const out: { name: (string | number)[]; errors: string[] }[] = [];
  for (const d of err.fieldDetails) {
    const name = d.field ? formPathOf(d.field) : null;
    if (name) out.push({ name, errors: [reason(d.reason, d.message)] });
  }
  return out;
}

// ---- one line per rule ----------------------------------------------------------------

function filterText(t: TFunction, f: PropertyFilter): string {
  const op = t(`tagging.summary.opSymbols.${f.op}`);
  if (f.op === 'exists') return `${f.property} ${op}`;
  const value = Array.isArray(f.value) ? f.value.join(' / ') : String(f.value);
  return t('tagging.summary.filter', { property: f.property, op, value });
}

function conditionText(t: TFunction, c: Condition): string {
  const window = c.windowDays === null ? t('tagging.summary.ever') : t('tagging.summary.window', { days: c.windowDays });
  if (c.type === 'order') {
    const scope = [c.productId ? t('tagging.summary.product', { id: c.productId }) : '', c.category ? t('tagging.summary.category', { name: c.category }) : ''].join('');
    const amount = c.minAmountFen === undefined ? '' : t('tagging.summary.amount', { amount: formatFen(c.minAmountFen) });
    return t('tagging.summary.order', { scope, count: c.minCount }) + amount + window;
  }
  const filters = c.filters.length ? ` [${c.filters.map((f) => filterText(t, f)).join(', ')}]` : '';
  return t('tagging.summary.event', { event: eventLabel(t, c.eventType), filters, count: c.minCount }) + window;
}

/** `Viewed a product [category = x] ≥ 3 times, last 7 days`, conditions joined by "and" / "or". */
export function summarize(t: TFunction, def: RuleDefinition): string {
  return def.conditions.map((c) => conditionText(t, c)).join(def.match === 'all' ? t('tagging.summary.and') : t('tagging.summary.or'));
}
