/**
 * Groups mapped rows into orders (one row per line item → one order per order number) and
 * settles each order's status and amounts. An order with a bad row is rejected whole: half
 * an order would be wrong data.
 */
import type { ImportOrder, RowError, SourceLine } from './import-types.ts';
import type { OrderStatus, OrdersMapping } from './mapping.ts';
import type { OrderRow, OrderRowItem } from './order-rows.ts';

interface Builder {
  key: string;
  first: OrderRow;
  firstLine: SourceLine;
  identityKey: string;
  lines: SourceLine[];
  items: OrderRowItem[];
  statuses: Set<OrderStatus>;
  marked: SourceLine[];
  orderedAt: Date;
  lineAmounts: OrderRow['amounts'];
  /** What the lines refunded on their own are worth (sub-orders with a refunded after-sales state). */
  refundedLinesFen: number;
}

const PAID_STATES = new Set<OrderStatus>(['paid', 'shipped', 'completed', 'refunded', 'partially_refunded']);
const PROGRESS: OrderStatus[] = ['pending', 'paid', 'shipped', 'completed'];

export const orderKey = (platform: string, orderNo: string) => `${platform}\u0000${orderNo}`;

const identityKeyOf = (row: OrderRow) =>
  row.identities
    .map((i) => `${i.type}/${i.scope}/${i.value}`)
    .sort()
    .join('|');

export class OrderGrouper {
  readonly #mapping: OrdersMapping;
  readonly #orders = new Map<string, Builder>();
  readonly #badKeys = new Map<string, SourceLine[]>();
  readonly errors: RowError[] = [];

  constructor(mapping: OrdersMapping) {
    this.#mapping = mapping;
  }

  /** Adds a good row; returns false when the row itself is bad (its error is recorded). */
  add(row: OrderRow, at: SourceLine): boolean {
    const key = orderKey(row.platform, row.orderNo);
    const existing = this.#orders.get(key);
    if (!existing) {
      this.#orders.set(key, this.#start(key, row, at));
      return true;
    }
    if (!this.#mapping.lineItems) {
      this.#error(at, this.#mapping.orderNo, row.orderNo, 'duplicate_order', `Order ${row.orderNo} is already on line ${existing.firstLine.line} of ${existing.firstLine.file}`);
      return false;
    }
    if (identityKeyOf(row) !== existing.identityKey) {
      this.#error(at, null, row.orderNo, 'conflicting_order', `This line names another customer for order ${row.orderNo} than line ${existing.firstLine.line}`);
      this.markBad(key, at);
      return false;
    }
    existing.lines.push(at);
    if (row.item) existing.items.push(row.item);
    existing.statuses.add(row.status);
    if (row.isCancellation) existing.marked.push(at);
    existing.refundedLinesFen += this.#refundedValue(row);
    if (row.orderedAt < existing.orderedAt) existing.orderedAt = row.orderedAt;
    for (const [k, v] of Object.entries(row.amounts) as [keyof OrderRow['amounts'], number][]) {
      existing.lineAmounts[k] = (existing.lineAmounts[k] ?? 0) + v;
    }
    return true;
  }

  /** A bad row of this order: the whole order is left out. */
  markBad(key: string, at: SourceLine): void {
    const list = this.#badKeys.get(key) ?? [];
    list.push(at);
    this.#badKeys.set(key, list);
  }

  #start(key: string, row: OrderRow, at: SourceLine): Builder {
    return {
      key,
      first: row,
      firstLine: at,
      identityKey: identityKeyOf(row),
      lines: [at],
      items: row.item ? [row.item] : [],
      statuses: new Set([row.status]),
      marked: row.isCancellation ? [at] : [],
      orderedAt: row.orderedAt,
      lineAmounts: { ...row.amounts },
      refundedLinesFen: this.#refundedValue(row),
    };
  }

  #refundedValue(row: OrderRow): number {
    if (row.status !== 'refunded') return 0;
    return (this.#mapping.amountsPer === 'line' ? row.amounts.paid ?? row.amounts.total : undefined) ?? row.item?.amountFen ?? 0;
  }

  #error(at: SourceLine, column: unknown, value: string | null, reason: string, message: string): void {
    const col = typeof column === 'string' ? column : column && typeof column === 'object' && 'column' in column ? String(column.column) : null;
    this.errors.push({ ...at, column: col, value, reason, message });
  }

  /**
   * The finished orders, in the order of their first line. Rejected orders are reported;
   * `droppedRows` counts their good rows (left out with them).
   */
  finish(): { orders: ImportOrder[]; rejectedOrders: number; droppedRows: number } {
    const orders: ImportOrder[] = [];
    let rejectedOrders = this.#badKeys.size;
    let droppedRows = 0;
    for (const b of this.#orders.values()) {
      const badLines = this.#badKeys.get(b.key);
      if (badLines) {
        droppedRows += b.lines.length;
        for (const at of b.lines) {
          this.#error(at, null, b.first.orderNo, 'order_has_bad_row', `Order ${b.first.orderNo} is not imported: line ${badLines[0]!.line} of it is bad`);
        }
        continue;
      }
      const order = this.#settle(b);
      if (order) orders.push(order);
      else {
        rejectedOrders++;
        droppedRows += b.lines.length;
      }
    }
    return { orders, rejectedOrders, droppedRows };
  }

  #settle(b: Builder): ImportOrder | null {
    const m = this.#mapping;
    if (b.marked.length && b.marked.length !== b.lines.length) {
      for (const at of b.marked) {
        this.#error(at, m.item?.quantity ?? null, b.first.orderNo, 'mixed_cancellation', `Order ${b.first.orderNo} mixes cancelled and sold lines`);
      }
      return null;
    }
    const amounts = m.lineItems && m.amountsPer === 'line' ? b.lineAmounts : b.first.amounts;
    const itemsTotal = b.items.reduce((sum, i) => sum + i.amountFen, 0);
    const shippingFen = amounts.shipping ?? 0;
    const discountFen = amounts.discount ?? 0;
    const totalFen = amounts.total ?? Math.max(0, itemsTotal + shippingFen - discountFen);
    let status = combineStatuses(b.statuses);
    let paidFen: number;
    let refundedFen: number;
    if (b.marked.length) {
      status = m.cancellation?.as ?? 'cancelled';
      paidFen = status === 'refunded' ? totalFen : 0;
      refundedFen = paidFen;
    } else {
      const refundedGiven = amounts.refunded ?? 0;
      if (status === 'pending' || (status === 'cancelled' && refundedGiven === 0)) paidFen = 0;
      else paidFen = amounts.paid ?? totalFen;
      refundedFen = amounts.refunded ?? (status === 'refunded' ? paidFen : status === 'partially_refunded' ? Math.min(b.refundedLinesFen, paidFen) : 0);
      if (refundedFen > 0 && status !== 'pending') status = refundedFen >= paidFen ? 'refunded' : 'partially_refunded';
    }
    if (refundedFen > paidFen) {
      this.#error(b.firstLine, m.amounts.refunded ?? null, String(refundedFen), 'refund_exceeds_paid', `Order ${b.first.orderNo} refunds more than was paid`);
      return null;
    }
    const f = b.first;
    return {
      platform: f.platform,
      orderNo: f.orderNo,
      store: f.store,
      currency: f.currency,
      status,
      totalFen,
      discountFen,
      shippingFen,
      paidFen,
      refundedFen,
      orderedAt: b.orderedAt,
      // A paid order may be worth nothing (free samples, gifts): it is still paid when ordered.
      paidAt: f.paidAt ?? (PAID_STATES.has(status) ? b.orderedAt : null),
      shippedAt: f.shippedAt,
      completedAt: f.completedAt,
      refundedAt: f.refundedAt,
      identities: f.identities,
      profile: f.profile,
      items: b.items.map((item, i) => ({ lineNo: i + 1, ...item })),
      attributes: f.attributes,
      lines: b.lines,
    };
  }
}

/**
 * The status of an order whose lines disagree (sub-orders of a Douyin order): refunds on
 * some lines make it partially refunded; otherwise the least advanced live line decides.
 */
export function combineStatuses(statuses: ReadonlySet<OrderStatus>): OrderStatus {
  if (statuses.size === 1) return [...statuses][0]!;
  const all = [...statuses];
  const live = all.filter((s) => s !== 'cancelled' && s !== 'refunded' && s !== 'partially_refunded');
  if (live.length === 0) return statuses.has('refunded') || statuses.has('partially_refunded') ? 'refunded' : 'cancelled';
  if (statuses.has('refunded') || statuses.has('partially_refunded')) return 'partially_refunded';
  return PROGRESS.find((s) => (live as readonly string[]).includes(s)) ?? live[0]!;
}
