/**
 * The rows the services would leave behind for a range of demo persons, as PostgreSQL COPY text
 * (tab-separated, \N for null), for the bulk loader. Each person is one customer holding all the
 * identities their rows carry; events and orders are attributed the way the services attribute
 * them (the first identity of a row is the strong one it arrives through). Pure.
 */
import { CopyBuffer } from './copy-buffer.ts';
import type { DemoIdentity, DemoPerson } from './generator.ts';
import { iso, orderInput, type OrderInput } from './inputs.ts';
import { derivedOrderEvents, storedOrderColumns, type DerivedOrderEvent } from './order-rows.ts';

export const BULK_TABLES = {
  customers: ['workspace_id', 'id', 'name', 'nickname', 'gender', 'birthday', 'province', 'city', 'mobile', 'email', 'consent_status', 'consent_updated_at', 'source_channel', 'source_lure', 'owner_user_id', 'attributes', 'joined_at', 'created_at', 'updated_at'],
  customer_identities: ['workspace_id', 'type', 'scope', 'value', 'id', 'customer_id', 'is_verified', 'source', 'first_seen_at', 'last_seen_at'],
  customer_consents: ['workspace_id', 'customer_id', 'purpose', 'channel', 'status', 'source', 'recorded_at', 'created_at'],
  orders: ['workspace_id', 'id', 'platform', 'order_no', 'store', 'customer_id', 'identity_id', 'status', 'total_fen', 'discount_fen', 'shipping_fen', 'paid_fen', 'refunded_fen', 'item_count', 'ordered_at', 'paid_at', 'shipped_at', 'completed_at', 'refunded_at', 'status_at', 'source', 'attributes', 'body_hash', 'created_at', 'updated_at'],
  order_items: ['workspace_id', 'order_id', 'line_no', 'sku', 'product_id', 'name', 'category', 'quantity', 'unit_price_fen', 'amount_fen', 'refunded_quantity'],
  events: ['workspace_id', 'id', 'client_id', 'type', 'occurred_at', 'received_at', 'customer_id', 'identity_id', 'source', 'properties'],
} as const;

export type BulkTable = keyof typeof BULK_TABLES;

type Cell = string | number | boolean | null | undefined;

/** One COPY text line; text is escaped as COPY's text format requires. */
export function copyLine(cells: readonly Cell[]): string {
  let out = '';
  let nulls = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (i) out += '\t';
    if (c === null || c === undefined) {
      out += '\\N';
      nulls++;
    } else out += typeof c === 'boolean' ? (c ? 't' : 'f') : String(c);
  }
  // Checked once per line: escaping is needed only if a cell holds a tab, newline, CR or backslash.
  let tabs = 0;
  let backslashes = 0;
  for (let i = 0; i < out.length; i++) {
    const code = out.charCodeAt(i);
    if (code === 9) tabs++;
    else if (code === 92) backslashes++;
    else if (code === 10 || code === 13) return escapedLine(cells);
  }
  return tabs === cells.length - 1 && backslashes === nulls ? `${out}\n` : escapedLine(cells);
}

function escapedLine(cells: readonly Cell[]): string {
  const escape = (c: string) => c.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const text = cells.map((c) => (c === null || c === undefined ? '\\N' : typeof c === 'boolean' ? (c ? 't' : 'f') : typeof c === 'number' ? String(c) : escape(c)));
  return `${text.join('\t')}\n`;
}

/** A person's orders as API bodies and the events their storage derives, prepared once. */
export interface PreparedPerson {
  person: DemoPerson;
  orders: OrderInput[];
  /** Per order: the order.* events its storage derives. */
  derived: DerivedOrderEvent[][];
}

export function preparePerson(person: DemoPerson): PreparedPerson {
  const orders = person.orders.map(orderInput);
  return { person, orders, derived: orders.map(derivedOrderEvents) };
}

export interface IdBlock {
  /** The next id to use; the caller reserved enough of them. */
  next(): number;
}

export interface BulkContext {
  workspaceId: string;
  /** When the rows are written: created_at, updated_at, received_at. */
  now: string;
  /** Advisor key -> user id. */
  owners: ReadonlyMap<string, string>;
  /** Whether the workspace defines the skin_type attribute. */
  hasSkinType: boolean;
  ids: { customers: IdBlock; identities: IdBlock; orders: IdBlock; events: IdBlock };
}

export type BulkText = Record<BulkTable, CopyBuffer>;

export function emptyBulkText(): BulkText {
  return {
    customers: new CopyBuffer(),
    customer_identities: new CopyBuffer(),
    customer_consents: new CopyBuffer(),
    orders: new CopyBuffer(),
    order_items: new CopyBuffer(),
    events: new CopyBuffer(),
  };
}

const isoOrNull = (t: number | null) => (t === null ? null : iso(t));

/** Appends one person's rows to `out`. */
export function writePersonRows(ctx: BulkContext, prepared: PreparedPerson, out: BulkText): void {
  const { person: p, orders, derived } = prepared;
  const ws = ctx.workspaceId;
  const customerId = ctx.ids.customers.next();
  const pr = p.profile;
  const attributes = ctx.hasSkinType && pr.skinType ? JSON.stringify({ skin_type: pr.skinType }) : '{}';
  const owner = pr.owner ? (ctx.owners.get(pr.owner) ?? null) : null;
  out.customers.push(copyLine([
    ws, customerId, pr.name, pr.nickname, pr.gender, pr.birthday, pr.province, pr.city, pr.mobile, pr.email,
    pr.consent, isoOrNull(pr.consentAt), pr.sourceChannel, pr.sourceLure, owner, attributes, iso(p.joinedAt), ctx.now, ctx.now,
  ]));
  if (pr.consent !== 'unknown') {
    out.customer_consents.push(copyLine([ws, customerId, 'marketing', 'all', pr.consent, 'demo', isoOrNull(pr.consentAt), ctx.now]));
  }
  const identityIds = writeIdentities(ctx, p, customerId, out);
  const idOf = (i: DemoIdentity) => identityIds.get(i)!;
  for (const e of p.events) {
    out.events.push(copyLine([ws, ctx.ids.events.next(), e.clientId, e.type, iso(e.occurredAt), ctx.now, customerId, idOf(e.identities[0]!), 'demo', JSON.stringify(e.properties)]));
  }
  p.orders.forEach((o, n) => {
    const input = orders[n]!;
    const orderId = ctx.ids.orders.next();
    const identityId = idOf(o.identities[0]!);
    const stored = storedOrderColumns(input);
    out.orders.push(copyLine([
      ws, orderId, o.platform, o.orderNo, stored.store, customerId, identityId, o.status, o.totalFen, o.discountFen, o.shippingFen, o.paidFen,
      o.refundedFen, stored.itemCount, input.orderedAt, input.paidAt, input.shippedAt, input.completedAt, input.refundedAt, input.statusAt,
      'demo', '{}', stored.bodyHash, ctx.now, ctx.now,
    ]));
    for (const i of o.items) {
      out.order_items.push(copyLine([ws, orderId, i.lineNo, i.sku, i.productId, i.name, i.category, i.quantity, i.unitPriceFen, i.amountFen, i.refundedQuantity]));
    }
    for (const d of derived[n]!) {
      out.events.push(copyLine([ws, ctx.ids.events.next(), d.clientId, d.type, d.at, ctx.now, customerId, identityId, 'demo', JSON.stringify(d.properties)]));
    }
  });
}

/** Identity rows; first (and, as the services store it, last) seen at the first row carrying them. */
function writeIdentities(ctx: BulkContext, p: DemoPerson, customerId: number, out: BulkText): Map<DemoIdentity, number> {
  // Rows share the person's identity objects: track them by reference.
  const first = new Map<DemoIdentity, number>();
  const note = (i: DemoIdentity, at: number) => {
    const t = first.get(i);
    if (t === undefined || at < t) first.set(i, at);
  };
  for (const e of p.events) for (const i of e.identities) note(i, e.occurredAt);
  for (const o of p.orders) for (const i of o.identities) note(i, o.statusAt);
  const ids = new Map<DemoIdentity, number>();
  for (const i of p.identities) {
    const id = ctx.ids.identities.next();
    ids.set(i, id);
    const seen = iso(first.get(i)!);
    out.customer_identities.push(copyLine([ctx.workspaceId, i.type, i.scope, i.value, id, customerId, i.verified, 'demo', seen, seen]));
  }
  return ids;
}

/** How many ids of each kind a set of persons needs. */
export function countIds(prepared: readonly PreparedPerson[]): { customers: number; identities: number; orders: number; events: number } {
  let identities = 0;
  let orders = 0;
  let events = 0;
  for (const x of prepared) {
    identities += x.person.identities.length;
    orders += x.person.orders.length;
    events += x.person.events.length + x.derived.reduce((n, d) => n + d.length, 0);
  }
  return { customers: prepared.length, identities, orders, events };
}
