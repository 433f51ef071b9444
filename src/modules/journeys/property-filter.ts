/**
 * Event property filters of triggers, exit rules and goals, matched against one event's
 * properties (same meaning as in segment rules): a dotted property reaches into nested objects;
 * an array value matches when one of its elements does; a missing property matches only
 * `neq`, `not_in` and `not_exists`. Pure.
 */
import type { PropertyFilter } from './journeys.schemas.ts';

type Scalar = string | number | boolean;

function lookup(properties: Record<string, unknown>, path: string): { has: boolean; value: unknown } {
  let cur: unknown = properties;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return { has: false, value: undefined };
    cur = (cur as Record<string, unknown>)[part];
  }
  return { has: cur !== null && cur !== undefined, value: cur };
}

const same = (a: unknown, b: unknown) => typeof a === typeof b && a === b;

export function matchesFilter(properties: Record<string, unknown>, f: PropertyFilter): boolean {
  const { has, value } = lookup(properties, f.property);
  if (f.op === 'exists') return has;
  if (f.op === 'not_exists') return !has;
  const values: unknown[] = !has ? [] : Array.isArray(value) ? value : [value];
  const v = f.value;
  const list = (Array.isArray(v) ? v : [v]) as Scalar[];
  const num = (x: unknown, cmp: (a: number, b: number) => boolean) => typeof x === 'number' && typeof v === 'number' && cmp(x, v);
  switch (f.op) {
    case 'eq':
      return values.some((x) => same(x, v));
    case 'neq':
      return !values.some((x) => same(x, v));
    case 'in':
      return values.some((x) => list.some((o) => same(x, o)));
    case 'not_in':
      return !values.some((x) => list.some((o) => same(x, o)));
    case 'contains':
      return values.some((x) => typeof x === 'string' && typeof v === 'string' && x.includes(v));
    case 'gt':
      return values.some((x) => num(x, (a, b) => a > b));
    case 'gte':
      return values.some((x) => num(x, (a, b) => a >= b));
    case 'lt':
      return values.some((x) => num(x, (a, b) => a < b));
    case 'lte':
      return values.some((x) => num(x, (a, b) => a <= b));
  }
}

export function matchesAll(properties: Record<string, unknown>, filters: readonly PropertyFilter[] | undefined): boolean {
  return !filters || filters.every((f) => matchesFilter(properties, f));
}
