/**
 * A demo person's orders: how many (by buyer class, scaled for benchmarks), when (seasonal days,
 * e-commerce arrivals bought on the platform before joining), what (categories by buyer class),
 * amounts in fen with coupons and campaign discounts, and the status each has reached by the
 * anchor (paid → shipped → completed; a few cancelled, a few refunded fully or partly).
 */
import { DEMO_DAYS, dayOf, sampleDay, timeOnDay, type DemoCalendar } from './calendar.ts';
import { CATEGORY_WEIGHTS, PLATFORMS, PRODUCTS, type Category, type Platform, type Product } from './catalog.ts';
import type { BuyerClass, PersonPlan } from './person.ts';
import type { Rng } from './prng.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type DemoOrderStatus = 'paid' | 'shipped' | 'completed' | 'refunded' | 'partially_refunded' | 'cancelled';

export interface DemoOrderItem {
  lineNo: number;
  sku: string;
  productId: string;
  name: string;
  category: Category;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
  refundedQuantity: number;
}

export interface DemoOrderDraft {
  ordinal: number;
  platform: Platform;
  store: string;
  status: DemoOrderStatus;
  totalFen: number;
  discountFen: number;
  shippingFen: number;
  paidFen: number;
  refundedFen: number;
  orderedAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  completedAt: number | null;
  refundedAt: number | null;
  statusAt: number;
  campaign: string;
  couponFen: number;
  items: DemoOrderItem[];
}

/** Natural mean of the orders beyond the first, per class (see orderCount). */
export const NATURAL_EXTRA_ORDERS: Record<BuyerClass, number> = { never: 0, once: 0, repeat: 1.77, vip: 10.5 };

const PRODUCTS_BY_CATEGORY = new Map<Category, Product[]>();
for (const product of PRODUCTS) {
  const list = PRODUCTS_BY_CATEGORY.get(product.category) ?? [];
  list.push(product);
  PRODUCTS_BY_CATEGORY.set(product.category, list);
}

/** Orders of a buyer; `scale` stretches repeat purchases for benchmark volumes. */
export function orderCount(rng: Rng, buyerClass: BuyerClass, scale: number): number {
  if (buyerClass === 'never') return 0;
  if (buyerClass === 'once') return 1;
  const extra = buyerClass === 'repeat' ? 1 + Math.floor(rng.exponential(1.2)) : 5 + Math.floor(rng.exponential(6));
  const scaled = extra * scale;
  const whole = Math.floor(scaled);
  return 1 + whole + (rng.chance(scaled - whole) ? 1 : 0);
}

export function generateOrders(rng: Rng, cal: DemoCalendar, plan: PersonPlan, scale: number): DemoOrderDraft[] {
  const count = orderCount(rng, plan.buyerClass, scale);
  if (count === 0) return [];
  const times: number[] = [];
  // E-commerce arrivals joined because of an order (package card, post-payment page, ...).
  const firstDay =
    plan.channel.group === 'ecommerce'
      ? Math.max(0, plan.joinedDay - rng.int(1, 10))
      : Math.min(DEMO_DAYS - 1, plan.joinedDay + Math.floor(rng.exponential(plan.channel.group === 'offline' ? 2 : 14)));
  const firstAt = firstDay === plan.joinedDay ? plan.joinedAt + rng.int(5, 90) * MINUTE : timeOnDay(rng, cal, firstDay);
  times.push(plan.channel.group === 'ecommerce' ? Math.min(firstAt, plan.joinedAt - HOUR) : Math.min(firstAt, cal.anchor - MINUTE));
  for (let i = 1; i < count; i++) {
    const t = timeOnDay(rng, cal, sampleDay(rng, cal.orderCum, firstDay, DEMO_DAYS));
    // Only e-commerce arrivals bought before joining the private domain.
    times.push(plan.channel.group === 'ecommerce' ? t : Math.min(cal.anchor - MINUTE, Math.max(t, plan.joinedAt + 5 * MINUTE)));
  }
  times.sort((a, b) => a - b);
  return times.map((orderedAt, ordinal) => {
    const platform = ordinal > 0 && plan.secondPlatform && rng.chance(0.3) ? plan.secondPlatform : plan.homePlatform;
    return draftOrder(rng, cal, plan, ordinal, platform, orderedAt);
  });
}

function draftOrder(rng: Rng, cal: DemoCalendar, plan: PersonPlan, ordinal: number, platform: Platform, orderedAt: number): DemoOrderDraft {
  const vip = plan.buyerClass === 'vip';
  const items = drawItems(rng, vip, ordinal === 0 && plan.channel.group !== 'ecommerce');
  const totalFen = items.reduce((s, i) => s + i.amountFen, 0);
  const campaign = orderedAt >= cal.dayStart[0]! ? (cal.campaign[dayOf(cal, orderedAt)] ?? '') : '';
  const promoFen = campaign && platform !== 'offline' ? Math.floor((totalFen * rng.int(8, 20)) / 100) : 0;
  const couponFen = rng.chance(0.25) ? couponFor(totalFen - promoFen) : 0;
  const discountFen = Math.min(totalFen - 100 > 0 ? totalFen - 100 : 0, promoFen + couponFen);
  const shippingFen = platform === 'miniprogram' && totalFen - discountFen < 9900 ? 800 : 0;
  const draft: DemoOrderDraft = {
    ordinal,
    platform,
    store: platform === 'offline' ? (plan.store ?? '') : PLATFORMS[platform].store,
    status: 'paid',
    totalFen,
    discountFen,
    shippingFen,
    paidFen: totalFen - discountFen + shippingFen,
    refundedFen: 0,
    orderedAt,
    paidAt: null,
    shippedAt: null,
    completedAt: null,
    refundedAt: null,
    statusAt: orderedAt,
    campaign,
    couponFen: discountFen >= couponFen ? couponFen : 0,
    items,
  };
  advanceStatus(rng, cal.anchor, draft);
  return draft;
}

/** Full-reduction coupons (满减) and a no-threshold coupon for small baskets. */
function couponFor(baseFen: number): number {
  if (baseFen >= 59_900) return 8_000;
  if (baseFen >= 39_900) return 5_000;
  if (baseFen >= 19_900) return 2_000;
  return baseFen >= 3_000 ? 1_000 : 0;
}

function drawItems(rng: Rng, vip: boolean, firstTry: boolean): DemoOrderItem[] {
  const lines = vip ? rng.weighted([[1, 40], [2, 35], [3, 17], [4, 8]] as const) : rng.weighted([[1, 62], [2, 27], [3, 8], [4, 3]] as const);
  const items: DemoOrderItem[] = [];
  const used = new Set<string>();
  for (let n = 0; n < lines; n++) {
    // A first purchase in the private domain is often a trial size.
    const category: Category = n === 0 && firstTry && rng.chance(0.35) ? '小样/试用装' : rng.weighted(CATEGORY_WEIGHTS[vip ? 'vip' : 'regular']);
    const product = rng.pick(PRODUCTS_BY_CATEGORY.get(category)!);
    if (used.has(product.sku)) continue;
    used.add(product.sku);
    const quantity = rng.weighted([[1, 85], [2, 12], [3, 3]] as const);
    items.push({
      lineNo: items.length + 1,
      sku: product.sku,
      productId: product.productId,
      name: product.name,
      category,
      quantity,
      unitPriceFen: product.priceFen,
      amountFen: product.priceFen * quantity,
      refundedQuantity: 0,
    });
  }
  return items;
}

/** Moves the order along paid → shipped → completed as far as the anchor allows; cancels or refunds a few. */
function advanceStatus(rng: Rng, anchor: number, o: DemoOrderDraft): void {
  if (rng.chance(0.025)) {
    o.status = 'cancelled';
    o.paidFen = 0;
    o.statusAt = Math.min(anchor - 1000, o.orderedAt + rng.int(5, 120) * MINUTE);
    return;
  }
  o.paidAt = Math.min(anchor - 1000, o.orderedAt + rng.int(1, 20) * MINUTE);
  o.statusAt = o.paidAt;
  if (o.platform === 'offline') {
    o.status = 'completed';
    o.completedAt = o.paidAt;
  } else {
    const shippedAt = o.paidAt + rng.int(4, 36) * HOUR;
    if (shippedAt >= anchor) return;
    o.status = 'shipped';
    o.shippedAt = o.statusAt = shippedAt;
    const completedAt = shippedAt + rng.int(3, 9) * DAY + rng.int(0, 23) * HOUR;
    if (completedAt >= anchor) return;
    o.status = 'completed';
    o.completedAt = o.statusAt = completedAt;
  }
  if (rng.chance(0.045)) refund(rng, anchor, o);
}

function refund(rng: Rng, anchor: number, o: DemoOrderDraft): void {
  const at = (o.shippedAt ?? o.paidAt!) + rng.int(1, 5) * DAY + rng.int(0, 23) * HOUR;
  if (at >= anchor) return;
  const partial = rng.chance(0.55) && (o.items.length > 1 || o.items[0]!.quantity > 1);
  if (!partial) {
    o.status = 'refunded';
    o.refundedFen = o.paidFen;
    for (const item of o.items) item.refundedQuantity = item.quantity;
  } else {
    const item = o.items[rng.int(0, o.items.length - 1)]!;
    item.refundedQuantity = 1;
    // The refund of one unit carries its share of the order's discount.
    o.refundedFen = Math.min(o.paidFen, Math.floor((item.unitPriceFen * (o.totalFen - o.discountFen)) / Math.max(1, o.totalFen)));
    o.status = 'partially_refunded';
  }
  o.refundedAt = o.statusAt = at;
}
