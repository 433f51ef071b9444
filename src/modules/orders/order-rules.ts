/**
 * Order rules: amounts consistent, defaults by status, idempotency hash, whether an update
 * is older than the stored state, and which events a change produces. Pure.
 */
import { createHash } from 'node:crypto';
import type { ProfileTraits } from '../customers/index.ts';
import type { OrderStatus, OrderUpsertInput } from './orders.schemas.ts';

export interface NormalizedItem {
  lineNo: number;
  sku: string | null;
  productId: string | null;
  name: string;
  category: string | null;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
  refundedQuantity: number;
}

export interface NormalizedOrder {
  platform: string;
  orderNo: string;
  store: string | null;
  status: OrderStatus;
  statusAt: Date;
  orderedAt: Date;
  totalFen: number;
  discountFen: number;
  shippingFen: number;
  paidFen: number;
  refundedFen: number;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  refundedAt: Date | null;
  items: NormalizedItem[];
  profile: ProfileTraits | undefined;
  attributes: Record<string, unknown>;
  hash: string;
}

export interface RuleViolation {
  field: string;
  reason: string;
  message: string;
}

const PAID_STATUSES = new Set<OrderStatus>(['paid', 'shipped', 'completed', 'refunded', 'partially_refunded']);

/** Applies defaults and checks consistency; `parse` turns ISO text into an instant or null. */
export function normalizeOrder(input: OrderUpsertInput, parse: (s: string) => Date | null): NormalizedOrder | RuleViolation {
  const times: Record<string, Date | null> = {};
  for (const key of ['statusAt', 'orderedAt', 'paidAt', 'shippedAt', 'completedAt', 'refundedAt'] as const) {
    const text = input[key];
    if (text === undefined) times[key] = null;
    else if (!(times[key] = parse(text))) return { field: key, reason: 'invalid_date', message: 'Not a real date and time' };
  }
  const statusAt = times.statusAt!;
  const paidState = PAID_STATUSES.has(input.status);
  const paidAt = times.paidAt ?? (input.status === 'paid' ? statusAt : null);
  if (paidState && !paidAt) return { field: 'paidAt', reason: 'required', message: `paidAt is required for status ${input.status}` };
  const paidFen = input.paidFen ?? (paidState || paidAt ? input.totalFen - (input.discountFen ?? 0) + (input.shippingFen ?? 0) : 0);
  if (paidFen < 0) return { field: 'paidFen', reason: 'negative', message: 'The discount exceeds the total' };
  if (input.status === 'pending' && paidFen > 0) return { field: 'paidFen', reason: 'not_paid', message: 'A pending order has no paid amount' };
  const refundedFen = input.refundedFen ?? (input.status === 'refunded' ? paidFen : 0);
  if (refundedFen > paidFen) return { field: 'refundedFen', reason: 'exceeds_paid', message: 'The refunded amount exceeds the paid amount' };
  if (input.status === 'refunded' && refundedFen !== paidFen) {
    return { field: 'refundedFen', reason: 'inconsistent', message: 'A refunded order has refundedFen equal to paidFen (use partially_refunded)' };
  }
  if (input.status === 'partially_refunded' && !(refundedFen > 0 && refundedFen < paidFen)) {
    return { field: 'refundedFen', reason: 'inconsistent', message: 'A partially refunded order has 0 < refundedFen < paidFen' };
  }
  const items = (input.items ?? []).map((item, i) => ({
    lineNo: item.lineNo ?? i + 1,
    sku: item.sku ?? null,
    productId: item.productId ?? null,
    name: item.name,
    category: item.category ?? null,
    quantity: item.quantity,
    unitPriceFen: item.unitPriceFen,
    amountFen: item.amountFen,
    refundedQuantity: item.refundedQuantity ?? 0,
  }));
  const badItem = items.findIndex((item) => item.refundedQuantity > item.quantity);
  if (badItem >= 0) return { field: `items[${badItem}].refundedQuantity`, reason: 'exceeds_quantity', message: 'More units refunded than bought' };
  if (new Set(items.map((i) => i.lineNo)).size !== items.length) return { field: 'items', reason: 'duplicate_line', message: 'Two items share a lineNo' };
  const order: Omit<NormalizedOrder, 'hash'> = {
    platform: input.platform,
    orderNo: input.orderNo,
    store: input.store ?? null,
    status: input.status,
    statusAt,
    orderedAt: times.orderedAt!,
    totalFen: input.totalFen,
    discountFen: input.discountFen ?? 0,
    shippingFen: input.shippingFen ?? 0,
    paidFen,
    refundedFen,
    paidAt,
    shippedAt: times.shippedAt ?? (input.status === 'shipped' ? statusAt : null),
    completedAt: times.completedAt ?? (input.status === 'completed' ? statusAt : null),
    refundedAt: times.refundedAt ?? (refundedFen > 0 ? statusAt : null),
    items,
    profile: input.profile,
    attributes: input.attributes ?? {},
  };
  const identities = [...input.identities].map((i) => [i.type, i.scope ?? '', i.value, i.verified ?? false]).sort();
  return { ...order, hash: createHash('sha256').update(JSON.stringify([order, identities])).digest('base64url') };
}

export function isViolation(x: NormalizedOrder | RuleViolation): x is RuleViolation {
  return 'reason' in x;
}

/** The stored state that decides what an upsert does. */
export interface StoredOrderState {
  statusAt: Date;
  hash: string | null;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  refundedFen: number;
}

export type UpsertDecision = 'create' | 'update' | 'unchanged' | 'stale';

export function decideUpsert(stored: StoredOrderState | undefined, next: NormalizedOrder): UpsertDecision {
  if (!stored) return 'create';
  if (stored.hash === next.hash) return 'unchanged';
  if (next.statusAt < stored.statusAt) return 'stale';
  return 'update';
}

/** Milestones, once reached, stay: a later body that omits one keeps the stored time. */
export function mergeMilestones(stored: StoredOrderState | undefined, next: NormalizedOrder): NormalizedOrder {
  if (!stored) return next;
  return { ...next, paidAt: next.paidAt ?? stored.paidAt, shippedAt: next.shippedAt ?? stored.shippedAt, completedAt: next.completedAt ?? stored.completedAt };
}

export interface OrderEventPlan {
  clientId: string;
  type: 'order.paid' | 'order.shipped' | 'order.completed' | 'order.refunded';
  at: Date;
  properties: Record<string, unknown>;
}

/** Status changes and refunds are events; their client ids make replays dedupe. */
export function deriveOrderEvents(stored: StoredOrderState | undefined, next: NormalizedOrder): OrderEventPlan[] {
  const base = `order:${next.platform}:${next.orderNo}`;
  const props = { platform: next.platform, orderNo: next.orderNo, store: next.store, paidFen: next.paidFen, itemCount: next.items.length };
  const out: OrderEventPlan[] = [];
  if (next.paidAt && !stored?.paidAt) out.push({ clientId: `${base}:paid`, type: 'order.paid', at: next.paidAt, properties: props });
  if (next.shippedAt && !stored?.shippedAt) out.push({ clientId: `${base}:shipped`, type: 'order.shipped', at: next.shippedAt, properties: props });
  if (next.completedAt && !stored?.completedAt) out.push({ clientId: `${base}:completed`, type: 'order.completed', at: next.completedAt, properties: props });
  const refundedBefore = stored?.refundedFen ?? 0;
  if (next.refundedFen > refundedBefore) {
    out.push({
      clientId: `${base}:refunded:${next.refundedFen}`,
      type: 'order.refunded',
      at: next.refundedAt ?? next.statusAt,
      properties: { ...props, refundFen: next.refundedFen - refundedBefore, refundedFen: next.refundedFen },
    });
  }
  return out;
}
