/**
 * Tag rules, evaluated in memory: whether a customer's events and purchases satisfy a rule
 * now, and until when it keeps holding if nothing new happens. The SQL evaluator
 * (rules.repository.ts) computes the same thing for many customers at once; a property
 * test holds the two equal. Also the plan that turns "who should hold which rule tag" and
 * "who holds what" into inserts, updates and removals.
 */
import type { Condition, EventCondition, OrderCondition, PropertyFilter, RuleDefinition, TagSource } from './tags.schemas.ts';

export const DAY_MS = 86_400_000;

export interface EventFact {
  type: string;
  at: Date;
  properties: Record<string, unknown>;
}

/** A purchase (paid, not cancelled, not fully refunded) and its items not fully refunded. */
export interface OrderFact {
  paidAt: Date;
  netFen: number;
  items: { productId: string | null; category: string | null }[];
}

export interface CustomerFacts {
  events: EventFact[];
  orders: OrderFact[];
}

/** A rule or condition that holds; `until` is when it stops holding without news (null: never). */
export interface Match {
  until: Date | null;
}

type Scalar = string | number | boolean;

const sameScalar = (a: unknown, b: Scalar) => typeof a === typeof b && a === b;

/**
 * One property filter. Like PostgreSQL's lax JSON paths, an array value matches when one of
 * its elements does; a missing property matches only `neq`.
 */
export function matchesFilter(properties: Record<string, unknown>, f: PropertyFilter): boolean {
  const has = Object.hasOwn(properties, f.property);
  if (f.op === 'exists') return has;
  const raw = has ? properties[f.property] : undefined;
  const values: unknown[] = !has ? [] : Array.isArray(raw) ? raw : [raw];
  const v = f.value!;
  switch (f.op) {
    case 'eq':
      return values.some((x) => sameScalar(x, v as Scalar));
    case 'neq':
      return !values.some((x) => sameScalar(x, v as Scalar));
    case 'in':
      return values.some((x) => (v as Scalar[]).some((option) => sameScalar(x, option)));
    case 'contains':
      return values.some((x) => typeof x === 'string' && x.includes(v as string));
    case 'gte':
      return values.some((x) => typeof x === 'number' && x >= (v as number));
    case 'lte':
      return values.some((x) => typeof x === 'number' && x <= (v as number));
  }
}

const windowStart = (now: Date, days: number | null) => (days === null ? null : new Date(now.getTime() - days * DAY_MS));
const plusDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

/** The `n`-th most recent time (1-based). */
function nthLatest(times: Date[], n: number): Date {
  return [...times].sort((a, b) => b.getTime() - a.getTime())[n - 1]!;
}

export function evaluateEventCondition(c: EventCondition, events: readonly EventFact[], now: Date): Match | undefined {
  const from = windowStart(now, c.windowDays);
  const times = events
    .filter((e) => e.type === c.eventType && (from === null || e.at > from) && c.filters.every((f) => matchesFilter(e.properties, f)))
    .map((e) => e.at);
  if (times.length < c.minCount) return undefined;
  // The window loses the minCount-th newest event first; then the count drops below.
  return { until: c.windowDays === null ? null : plusDays(nthLatest(times, c.minCount), c.windowDays) };
}

export function evaluateOrderCondition(c: OrderCondition, orders: readonly OrderFact[], now: Date): Match | undefined {
  const from = windowStart(now, c.windowDays);
  const hits = orders.filter(
    (o) =>
      (from === null || o.paidAt > from) &&
      (c.productId === undefined && c.category === undefined
        ? true
        : o.items.some((i) => (c.productId === undefined || i.productId === c.productId) && (c.category === undefined || i.category === c.category))),
  );
  if (hits.length < c.minCount) return undefined;
  if (c.minAmountFen !== undefined && hits.reduce((sum, o) => sum + o.netFen, 0) < c.minAmountFen) return undefined;
  if (c.windowDays === null) return { until: null };
  const times = hits.map((o) => o.paidAt);
  let until = plusDays(nthLatest(times, c.minCount), c.windowDays);
  if (c.minAmountFen !== undefined) {
    // The sum may fall below the threshold when the oldest order leaves the window:
    // re-check then (early is safe, a re-check that still holds renews the tag).
    const oldest = plusDays(nthLatest(times, times.length), c.windowDays);
    if (oldest < until) until = oldest;
  }
  return { until };
}

export function evaluateCondition(c: Condition, facts: CustomerFacts, now: Date): Match | undefined {
  return c.type === 'event' ? evaluateEventCondition(c, facts.events, now) : evaluateOrderCondition(c, facts.orders, now);
}

/** All must hold: until the first one stops. */
export function combineAll(matches: readonly (Match | undefined)[]): Match | undefined {
  if (!matches.length || matches.some((m) => m === undefined)) return undefined;
  const ends = matches.map((m) => m!.until).filter((u): u is Date => u !== null);
  return { until: ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null };
}

/** One must hold: until the last one stops (never, if one never stops). */
export function combineAny(matches: readonly (Match | undefined)[]): Match | undefined {
  const held = matches.filter((m): m is Match => m !== undefined);
  if (!held.length) return undefined;
  if (held.some((m) => m.until === null)) return { until: null };
  return { until: new Date(Math.max(...held.map((m) => m.until!.getTime()))) };
}

export function evaluateRule(def: RuleDefinition, facts: CustomerFacts, now: Date): Match | undefined {
  const results = def.conditions.map((c) => evaluateCondition(c, facts, now));
  return def.match === 'all' ? combineAll(results) : combineAny(results);
}

// ---- reconciling rule tags ---------------------------------------------------

/** A customer should hold `tagId` because `ruleId` (one of the rules giving it) holds. */
export interface RuleHit {
  customerId: number;
  tagId: string;
  ruleId: string;
  until: Date | null;
}

export interface HeldTag {
  customerId: number;
  tagId: string;
  source: TagSource;
  ruleId: string | null;
  expiresAt: Date | null;
}

export interface ReconcilePlan {
  insert: RuleHit[];
  /** Rule rows whose rule or expiry changed (no timeline entry: the customer keeps the tag). */
  update: RuleHit[];
  remove: HeldTag[];
}

const key = (customerId: number, tagId: string) => `${customerId}:${tagId}`;

/**
 * Several rules may give the same tag: the customer holds it while any of them holds. The
 * rule already recorded is kept when it still holds (no churn), else the smallest id.
 */
export function mergeHits(hits: readonly RuleHit[], held: readonly HeldTag[]): RuleHit[] {
  const current = new Map(held.map((h) => [key(h.customerId, h.tagId), h]));
  const groups = new Map<string, RuleHit[]>();
  for (const h of hits) {
    const k = key(h.customerId, h.tagId);
    const list = groups.get(k);
    if (list) list.push(h);
    else groups.set(k, [h]);
  }
  const out: RuleHit[] = [];
  for (const [k, list] of groups) {
    const recorded = current.get(k)?.ruleId;
    const chosen = list.find((h) => h.ruleId === recorded) ?? [...list].sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1))[0]!;
    out.push({ ...chosen, until: combineAny(list)!.until });
  }
  return out;
}

/**
 * What to write so that the evaluated customers hold exactly the rule tags their rules
 * give. `held` are their current rows for the tags concerned. Manual (and imported,
 * synced) rows are never removed or changed by rules.
 */
export function planReconcile(hits: readonly RuleHit[], held: readonly HeldTag[]): ReconcilePlan {
  const desired = mergeHits(hits, held);
  const current = new Map(held.map((h) => [key(h.customerId, h.tagId), h]));
  const wanted = new Set(desired.map((d) => key(d.customerId, d.tagId)));
  const plan: ReconcilePlan = { insert: [], update: [], remove: [] };
  for (const d of desired) {
    const row = current.get(key(d.customerId, d.tagId));
    if (!row) plan.insert.push(d);
    else if (row.source === 'rule' && (row.ruleId !== d.ruleId || row.expiresAt?.getTime() !== d.until?.getTime())) plan.update.push(d);
  }
  for (const row of held) {
    if (row.source === 'rule' && !wanted.has(key(row.customerId, row.tagId))) plan.remove.push(row);
  }
  return plan;
}
