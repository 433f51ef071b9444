/**
 * Demo rows as the events and orders APIs take them (POST /api/v1/events items and the batch
 * form of PUT /api/v1/orders/{platform}/{orderNo}). Pure.
 */
import type { DemoEvent, DemoIdentity, DemoOrder } from './generator.ts';

const DAY_MS = 86_400_000;
const dayPrefixes = new Map<number, string>();
const pad2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** new Date(t).toISOString(), several times faster for the many timestamps the demo formats. */
export function iso(t: number): string {
  const day = Math.floor(t / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = t - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  return `${prefix}${pad2[Math.floor(rest / 60)]}:${pad2[rest % 60]}:${pad2[sec]}.${String(ms).padStart(3, '0')}Z`;
}

export interface IdentityInput {
  type: string;
  value: string;
  scope?: string;
  verified?: boolean;
}

export function identityInput(i: DemoIdentity): IdentityInput {
  return { type: i.type, value: i.value, ...(i.scope ? { scope: i.scope } : {}), ...(i.verified ? { verified: true } : {}) };
}

export function eventInput(e: DemoEvent) {
  return {
    id: e.clientId,
    type: e.type,
    occurredAt: iso(e.occurredAt),
    identities: e.identities.map(identityInput),
    properties: e.properties,
    ...(e.profile ? { profile: e.profile } : {}),
  };
}

export type OrderInput = ReturnType<typeof orderInput>;

export function orderInput(o: DemoOrder) {
  return {
    platform: o.platform,
    orderNo: o.orderNo,
    ...(o.store ? { store: o.store } : {}),
    status: o.status,
    statusAt: iso(o.statusAt),
    orderedAt: iso(o.orderedAt),
    totalFen: o.totalFen,
    discountFen: o.discountFen,
    shippingFen: o.shippingFen,
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
    ...(o.paidAt !== null ? { paidAt: iso(o.paidAt) } : {}),
    ...(o.shippedAt !== null ? { shippedAt: iso(o.shippedAt) } : {}),
    ...(o.completedAt !== null ? { completedAt: iso(o.completedAt) } : {}),
    ...(o.refundedAt !== null ? { refundedAt: iso(o.refundedAt) } : {}),
    items: o.items.map((i) => ({
      lineNo: i.lineNo,
      sku: i.sku,
      productId: i.productId,
      name: i.name,
      category: i.category,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceFen,
      amountFen: i.amountFen,
      refundedQuantity: i.refundedQuantity,
    })),
    identities: o.identities.map(identityInput),
  };
}
