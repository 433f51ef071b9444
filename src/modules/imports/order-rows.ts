/**
 * One row of an order export → the order-level fields and (for line-item files) one item.
 * Every problem of a row is reported, each with its column and a reason code.
 */
import { bindIdentities, bindSkipRules, readIdentities, type Field, type HeaderBinder } from './columns.ts';
import type { CustomerProfile, IdentityValue, RowError } from './import-types.ts';
import type { OrderStatus, OrdersMapping } from './mapping.ts';
import { lineAmountFen, LocalTimeParser, parseAmount, parseQuantity, type Parsed } from './values.ts';

export type RowProblem = Omit<RowError, 'file' | 'line'>;

export interface OrderRowItem {
  sku: string | null;
  productId: string | null;
  name: string;
  category: string | null;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
}

export interface OrderRow {
  platform: string;
  orderNo: string;
  store: string | null;
  currency: string;
  /** The mapped status (or the mapping's default); a cancellation rule may override it per order. */
  status: OrderStatus;
  isCancellation: boolean;
  orderedAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  completedAt: Date | null;
  refundedAt: Date | null;
  amounts: Partial<Record<'total' | 'paid' | 'discount' | 'shipping' | 'refunded', number>>;
  item: OrderRowItem | null;
  identities: IdentityValue[];
  profile: CustomerProfile;
  attributes: Record<string, string>;
}

export type RowResult = { kind: 'row'; row: OrderRow } | { kind: 'skip'; reason: string } | { kind: 'error'; problems: RowProblem[] };

const AMOUNT_KEYS = ['total', 'paid', 'discount', 'shipping', 'refunded'] as const;
const TIME_KEYS = ['paidAt', 'shippedAt', 'completedAt', 'refundedAt'] as const;
/** The orders API's platform keys: taobao, jd, douyin, youzan, online_retail. */
const PLATFORM_RE = /^[a-z][a-z0-9_]{1,30}$/;

export interface OrderRowReader {
  map(values: readonly string[]): RowResult;
  /** The order a row belongs to (platform + order number as written), for rejecting its order. */
  keyOf(values: readonly string[]): { platform: string; orderNo: string };
}

/** Binds an orders mapping to a header. */
export function bindOrderRows(binder: HeaderBinder, m: OrdersMapping): OrderRowReader {
  const skips = bindSkipRules(binder, m.skipRows);
  const identities = bindIdentities(binder, m.identities);
  const f = {
    platform: binder.source(m.platform),
    orderNo: binder.source(m.orderNo),
    store: binder.source(m.store),
    currency: binder.source(m.currency),
    orderedAt: binder.source(m.times.orderedAt),
    times: TIME_KEYS.map((k) => [k, binder.source(m.times[k])] as const),
    amounts: AMOUNT_KEYS.map((k) => [k, binder.source(m.amounts[k])] as const),
    status: m.status ? binder.column(m.status.column) : null,
    afterSales: m.status?.afterSales ? binder.column(m.status.afterSales.column) : null,
    item: m.item
      ? {
          name: binder.source(m.item.name),
          sku: binder.source(m.item.sku),
          productId: binder.source(m.item.productId),
          category: binder.source(m.item.category),
          quantity: binder.source(m.item.quantity),
          unitPrice: binder.source(m.item.unitPrice),
          amount: binder.source(m.item.amount),
        }
      : null,
    profile: Object.entries(m.customer ?? {}).map(([k, s]) => [k, binder.source(s)] as const),
    attributes: Object.entries(m.attributes).map(([k, s]) => [k, binder.source(s)] as const),
  };
  const times = new LocalTimeParser(m.timeZone, m.dateFormats);
  const width = binder.header.length;

  const keyOf = (values: readonly string[]) => ({ platform: f.platform.read(values), orderNo: f.orderNo.read(values) });
  const map = (values: readonly string[]): RowResult => {
    for (const skip of skips) if (skip.test(values)) return { kind: 'skip', reason: skip.reason };
    const problems: RowProblem[] = [];
    const extra = values.slice(width).some((v) => v.trim() !== '');
    if (values.length < width || extra) {
      problems.push({ column: null, value: null, reason: 'column_count', message: `Expected ${width} columns, found ${values.length}` });
      return { kind: 'error', problems };
    }
    const need = (field: Field, what: string): string => {
      const v = field.read(values);
      if (!v) problems.push({ column: field.column, value: '', reason: 'missing_value', message: `The ${what} is empty` });
      return v;
    };
    const check = <T>(field: Field, r: Parsed<T>): T | null => {
      if (r.ok) return r.value;
      problems.push({ column: field.column, value: field.read(values), reason: r.reason, message: r.message });
      return null;
    };

    const platform = need(f.platform, 'platform');
    if (platform && !PLATFORM_RE.test(platform)) {
      problems.push({ column: f.platform.column, value: platform, reason: 'invalid_platform', message: 'A platform is a lowercase key such as taobao' });
    }
    const orderNo = need(f.orderNo, 'order number');
    if (orderNo.length > 100) problems.push({ column: f.orderNo.column, value: orderNo, reason: 'too_long', message: 'Order numbers are at most 100 characters' });
    const isPrefixCancel = !!m.cancellation?.orderNoPrefix && orderNo.startsWith(m.cancellation.orderNoPrefix);

    const orderedText = need(f.orderedAt, 'order time');
    const orderedAt = orderedText ? check(f.orderedAt, times.parse(orderedText)) : null;
    const timeValues: Partial<Record<(typeof TIME_KEYS)[number], Date>> = {};
    for (const [k, field] of f.times) {
      const text = field?.read(values);
      if (field && text) {
        const t = check(field, times.parse(text));
        if (t) timeValues[k] = t;
      }
    }

    let status: OrderStatus = m.defaultStatus;
    if (f.status && m.status) {
      const text = need(f.status, 'status');
      const mapped = m.status.map[text];
      if (text && !mapped) problems.push(unknownStatus(f.status, text, Object.keys(m.status.map)));
      if (mapped) status = mapped;
      const after = f.afterSales?.read(values);
      if (after && m.status.afterSales?.map[after]) status = m.status.afterSales.map[after]!;
    }

    const amounts: OrderRow['amounts'] = {};
    for (const [k, field] of f.amounts) {
      const text = field?.read(values);
      if (!field || !text) continue;
      const fen = check(field, parseAmount(text, m.amountUnit, m.amountRounding));
      if (fen === null) continue;
      if (fen < 0 && !isPrefixCancel) {
        problems.push({ column: field.column, value: text, reason: 'negative_amount', message: `The ${k} amount is negative` });
      } else amounts[k] = Math.abs(fen);
    }

    const itemResult = f.item ? readItem(f.item, values, m, isPrefixCancel, problems) : null;
    const identityList = readIdentities(identities, values, problems);
    if (identityList.length === 0 && !problems.some((p) => p.reason === 'invalid_identity')) {
      problems.push({
        column: m.identities.map((i) => i.column).join(' / '),
        value: '',
        reason: 'no_identity',
        message: `No customer identity: ${m.identities.map((i) => i.column).join(', ')} ${m.identities.length > 1 ? 'are' : 'is'} empty`,
      });
    }
    if (problems.length || !orderedAt) return { kind: 'error', problems };

    const profile: CustomerProfile = {};
    for (const [k, field] of f.profile) {
      const v = field?.read(values);
      if (v) (profile as Record<string, string>)[k] = v.slice(0, 200);
    }
    const attributes: Record<string, string> = {};
    for (const [k, field] of f.attributes) {
      const v = field?.read(values);
      if (v) attributes[k] = v.slice(0, 2000);
    }
    return {
      kind: 'row',
      row: {
        platform,
        orderNo,
        store: f.store?.read(values) || null,
        currency: (f.currency.read(values) || 'CNY').toUpperCase(),
        status,
        isCancellation: isPrefixCancel || !!itemResult?.negative,
        orderedAt,
        paidAt: timeValues.paidAt ?? null,
        shippedAt: timeValues.shippedAt ?? null,
        completedAt: timeValues.completedAt ?? null,
        refundedAt: timeValues.refundedAt ?? null,
        amounts,
        item: itemResult?.item ?? null,
        identities: identityList,
        profile,
        attributes,
      },
    };
  };
  return { map, keyOf };
}

function unknownStatus(field: Field, text: string, known: string[]): RowProblem {
  return {
    column: field.column,
    value: text,
    reason: 'unknown_status',
    message: `Unknown status "${text}"; the mapping knows: ${known.join(', ')}`,
  };
}

type ItemFields = Record<'name' | 'sku' | 'productId' | 'category' | 'quantity' | 'unitPrice' | 'amount', Field | null>;

function readItem(
  f: ItemFields,
  values: readonly string[],
  m: OrdersMapping,
  isPrefixCancel: boolean,
  problems: RowProblem[],
): { item: OrderRowItem; negative: boolean } | null {
  const read = (field: Field | null) => field?.read(values) ?? '';
  const sku = read(f.sku) || null;
  const name = read(f.name) || sku;
  if (!name) {
    problems.push({ column: f.name?.column ?? null, value: '', reason: 'missing_value', message: 'The item name is empty' });
    return null;
  }
  let quantity = 1;
  const qText = read(f.quantity);
  if (f.quantity && qText) {
    const q = parseQuantity(qText);
    if (!q.ok) {
      problems.push({ column: f.quantity.column, value: qText, reason: q.reason, message: q.message });
      return null;
    }
    quantity = q.value;
  }
  const negative = quantity < 0;
  if (quantity === 0 || (negative && !m.cancellation?.negativeQuantity && !isPrefixCancel)) {
    problems.push({
      column: f.quantity?.column ?? null,
      value: qText,
      reason: quantity === 0 ? 'invalid_quantity' : 'negative_quantity',
      message: quantity === 0 ? 'The quantity is 0' : 'The quantity is negative and the mapping has no cancellation rule for it',
    });
    return null;
  }
  quantity = Math.abs(quantity);
  const priceText = read(f.unitPrice);
  const amountText = read(f.amount);
  let unitPriceFen = 0;
  let amountFen = 0;
  if (priceText) {
    const p = parseAmount(priceText, m.amountUnit, m.amountRounding);
    const a = lineAmountFen(quantity, priceText, m.amountUnit, m.amountRounding);
    if (!p.ok || !a.ok) {
      const bad = !p.ok ? p : (a as Extract<Parsed<number>, { ok: false }>);
      problems.push({ column: f.unitPrice!.column, value: priceText, reason: bad.reason, message: bad.message });
      return null;
    }
    if (p.value < 0 && !isPrefixCancel) {
      problems.push({ column: f.unitPrice!.column, value: priceText, reason: 'negative_amount', message: 'The unit price is negative' });
      return null;
    }
    unitPriceFen = Math.abs(p.value);
    amountFen = Math.abs(a.value);
  }
  if (amountText) {
    const a = parseAmount(amountText, m.amountUnit, m.amountRounding);
    if (!a.ok) {
      problems.push({ column: f.amount!.column, value: amountText, reason: a.reason, message: a.message });
      return null;
    }
    if (a.value < 0 && !isPrefixCancel && !negative) {
      problems.push({ column: f.amount!.column, value: amountText, reason: 'negative_amount', message: 'The item amount is negative' });
      return null;
    }
    amountFen = Math.abs(a.value);
  }
  return {
    item: { sku, productId: read(f.productId) || null, name: name.slice(0, 500), category: read(f.category) || null, quantity, unitPriceFen, amountFen },
    negative,
  };
}
