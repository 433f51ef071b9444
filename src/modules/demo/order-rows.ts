/**
 * What the orders service stores for a new demo order, computed without a database for the bulk
 * path: the stored columns (defaults applied the same way), the idempotency hash of the body, and
 * the derived order.* events. It mirrors the orders module's rules for the bodies the demo sends
 * (always complete: every milestone and amount given); the test "both loading paths give the same
 * rows" fails if the two drift apart.
 */
import { createHash } from 'node:crypto';
import type { OrderInput } from './inputs.ts';

export interface StoredOrderColumns {
  store: string | null;
  itemCount: number;
  bodyHash: string;
}

export interface DerivedOrderEvent {
  clientId: string;
  type: 'order.paid' | 'order.shipped' | 'order.completed' | 'order.refunded';
  at: string;
  properties: Record<string, unknown>;
}

/** The body hash the orders service stores: sha256 over the normalised order and its identities. */
export function orderBodyHash(input: OrderInput): string {
  const normalized = {
    platform: input.platform,
    orderNo: input.orderNo,
    store: input.store ?? null,
    status: input.status,
    statusAt: input.statusAt,
    orderedAt: input.orderedAt,
    totalFen: input.totalFen,
    discountFen: input.discountFen,
    shippingFen: input.shippingFen,
    paidFen: input.paidFen,
    refundedFen: input.refundedFen,
    paidAt: input.paidAt ?? null,
    shippedAt: input.shippedAt ?? null,
    completedAt: input.completedAt ?? null,
    refundedAt: input.refundedAt ?? null,
    items: input.items,
    attributes: {},
  };
  const identities = input.identities.map((i) => [i.type, i.scope ?? '', i.value, i.verified ?? false]).sort();
  return createHash('sha256').update(JSON.stringify([normalized, identities])).digest('base64url');
}

export function storedOrderColumns(input: OrderInput): StoredOrderColumns {
  return {
    store: input.store ?? null,
    itemCount: input.items.reduce((n, i) => n + i.quantity, 0),
    bodyHash: orderBodyHash(input),
  };
}

/** The order.* events the orders service appends when it first stores this order. */
export function derivedOrderEvents(input: OrderInput): DerivedOrderEvent[] {
  const base = `order:${input.platform}:${input.orderNo}`;
  const props = { platform: input.platform, orderNo: input.orderNo, store: input.store ?? null, paidFen: input.paidFen, itemCount: input.items.length };
  const out: DerivedOrderEvent[] = [];
  if (input.paidAt) out.push({ clientId: `${base}:paid`, type: 'order.paid', at: input.paidAt, properties: props });
  if (input.shippedAt) out.push({ clientId: `${base}:shipped`, type: 'order.shipped', at: input.shippedAt, properties: props });
  if (input.completedAt) out.push({ clientId: `${base}:completed`, type: 'order.completed', at: input.completedAt, properties: props });
  if (input.refundedFen > 0) {
    out.push({
      clientId: `${base}:refunded:${input.refundedFen}`,
      type: 'order.refunded',
      at: input.refundedAt ?? input.statusAt,
      properties: { ...props, refundFen: input.refundedFen, refundedFen: input.refundedFen },
    });
  }
  return out;
}
