/**
 * The thin layer between planned imports and the write ports of orders, events and
 * customers: the same validation a dry run shows, then batches written in the caller's
 * transaction. Rejections map back to the file lines of the order or customer.
 */
import { createHash } from 'node:crypto';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import type { Identity, IdentityTypeDef, Trx } from '../customers/index.ts';
import type { ImportsDeps } from './imports.deps.ts';
import type { ImportCustomer, ImportOrder, RowError } from './import-types.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
const cut = (v: string | undefined | null, n: number) => (v ? v.slice(0, n) : undefined);

/** The orders API body of a planned order (the batch form of PUT /api/v1/orders/{platform}/{orderNo}). */
export function toOrderInput(o: ImportOrder): Record<string, unknown> {
  const times = [o.orderedAt, o.paidAt, o.shippedAt, o.completedAt, o.refundedAt].filter((t): t is Date => !!t);
  const statusAt = new Date(Math.max(...times.map((t) => t.getTime())));
  const profile = Object.fromEntries(
    Object.entries({ name: cut(o.profile.name, 100), nickname: cut(o.profile.nickname, 100), province: cut(o.profile.province, 50), city: cut(o.profile.city, 50) }).filter(([, v]) => v),
  );
  const clean = (x: Record<string, unknown>) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined && v !== null));
  return clean({
    platform: o.platform,
    orderNo: o.orderNo,
    store: cut(o.store, 100),
    status: o.status,
    statusAt: statusAt.toISOString(),
    orderedAt: o.orderedAt.toISOString(),
    // The orders API takes CNY only today; other currencies are kept as an attribute (docs/import.md).
    ...(o.currency === 'CNY' ? { currency: 'CNY' } : {}),
    totalFen: o.totalFen,
    discountFen: o.discountFen,
    shippingFen: o.shippingFen,
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
    paidAt: iso(o.paidAt),
    shippedAt: iso(o.shippedAt),
    completedAt: iso(o.completedAt),
    refundedAt: iso(o.refundedAt),
    items: o.items.map((i) => clean({ lineNo: i.lineNo, sku: cut(i.sku, 100), productId: cut(i.productId, 100), name: i.name.slice(0, 200), category: cut(i.category, 100), quantity: i.quantity, unitPriceFen: i.unitPriceFen, amountFen: i.amountFen })),
    identities: o.identities.map((i) => clean({ type: i.type, value: i.value, scope: i.scope || undefined, verified: i.verified || undefined })),
    profile: Object.keys(profile).length ? profile : undefined,
    attributes: { ...o.attributes, ...(o.currency !== 'CNY' ? { currency: o.currency } : {}) },
  });
}

function rejectionErrors(lines: readonly { file: string; line: number }[], what: string, r: { field?: string | undefined; reason?: string | undefined; message?: string | undefined }): RowError[] {
  return lines.map((at) => ({
    ...at,
    column: null,
    value: r.field ?? null,
    reason: r.reason ?? 'rejected',
    message: `${what} rejected: ${r.field ? `${r.field}: ` : ''}${r.message ?? 'invalid'}`,
  }));
}

/** Validates planned orders as the orders module will; rejected ones come back as row errors. */
export function validateOrders(deps: ImportsDeps, orders: readonly ImportOrder[], types: ReadonlyMap<string, IdentityTypeDef>) {
  const valid: { order: ImportOrder; valid: Extract<ReturnType<ImportsDeps['orders']['validate']>, { order: unknown }> }[] = [];
  const errors: RowError[] = [];
  let rejectedRows = 0;
  orders.forEach((order, index) => {
    const v = deps.orders.validate(toOrderInput(order), index, types);
    if ('status' in v) {
      errors.push(...rejectionErrors(order.lines, `Order ${order.orderNo}`, v));
      rejectedRows += order.lines.length;
    } else valid.push({ order, valid: v });
  });
  return { valid, errors, rejectedRows };
}

/** A stable event id for a customer-list row: re-importing the file finds it a duplicate. */
export function customerEventId(c: ImportCustomer): string {
  const first = c.identities[0]!;
  const key = JSON.stringify([c.event!.type, first.type, first.scope, first.value, c.event!.occurredAt.toISOString()]);
  return `import:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export function toEventInput(c: ImportCustomer): Record<string, unknown> {
  const p = c.profile;
  const profile = Object.fromEntries(
    Object.entries({ name: cut(p.name, 100), nickname: cut(p.nickname, 100), gender: p.gender, birthday: p.birthday, province: cut(p.province, 50), city: cut(p.city, 50), sourceChannel: cut(p.sourceChannel, 100) }).filter(([, v]) => v),
  );
  return {
    id: customerEventId(c),
    type: c.event!.type,
    occurredAt: c.event!.occurredAt.toISOString(),
    identities: c.identities.map((i) => ({ type: i.type, value: i.value, ...(i.scope ? { scope: i.scope } : {}), ...(i.verified ? { verified: true } : {}) })),
    properties: { ...c.event!.properties, ...(c.tags.length ? { tags: c.tags } : {}), ...(Object.keys(c.attributes).length ? { attributes: c.attributes } : {}) },
    ...(Object.keys(profile).length ? { profile } : {}),
  };
}

export interface CustomerWrite {
  customer: ImportCustomer;
  event: Extract<ReturnType<ImportsDeps['events']['validate']>, { clientId: string }> | null;
  identities: Identity[];
}

/** Validates customer rows: as events when the mapping records one, else their identities alone. */
export function validateCustomers(deps: ImportsDeps, customers: readonly ImportCustomer[], types: ReadonlyMap<string, IdentityTypeDef>, now: Date) {
  const valid: CustomerWrite[] = [];
  const errors: RowError[] = [];
  let rejectedRows = 0;
  customers.forEach((customer, index) => {
    if (customer.event) {
      const v = deps.events.validate(toEventInput(customer), index, types, now);
      if ('status' in v) {
        errors.push(...rejectionErrors(customer.lines, 'Customer', v));
        rejectedRows++;
      } else valid.push({ customer, event: v, identities: v.identities });
      return;
    }
    const identities: Identity[] = [];
    for (const input of customer.identities) {
      const n = deps.customers.normalizeIdentity(input, types);
      if (!n.ok) {
        errors.push(...rejectionErrors(customer.lines, 'Customer', { field: `identities.${input.type}.${n.field}`, reason: n.reason, message: n.message }));
        rejectedRows++;
        return;
      }
      identities.push(n.identity);
    }
    valid.push({ customer, event: null, identities });
  });
  return { valid, errors, rejectedRows };
}

/** Writes one batch of customer rows in the caller's transaction. */
export async function writeCustomers(deps: ImportsDeps, trx: Trx, ctx: WorkspaceContext, batch: readonly CustomerWrite[], source: string, now: Date) {
  const events = batch.filter((b) => b.event).map((b) => b.event!);
  let duplicates = 0;
  if (events.length) {
    const r = await deps.events.ingest(trx, ctx, events, source, now);
    duplicates = events.length - r.accepted.size;
  }
  const plain = batch.filter((b) => !b.event);
  if (plain.length) {
    const traits = ({ name, nickname, gender, birthday, province, city, sourceChannel }: ImportCustomer['profile']) => ({ name, nickname, gender, birthday, province, city, sourceChannel });
    await deps.customers.resolve(trx, ctx, plain.map((b) => ({ identities: b.identities, at: b.customer.profile.joinedAt ?? now, profile: traits(b.customer.profile) })), { source, now });
  }
  return { written: batch.length - duplicates, duplicates };
}
