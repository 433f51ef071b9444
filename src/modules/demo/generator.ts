/**
 * The demo brand generator: person i of seed s is a pure function of (s, i, anchor, time zone,
 * order scale). No clock, no Math.random: the same inputs give the same persons, byte for byte,
 * and any range of persons can be generated on its own (in chunks, or in parallel).
 *
 * Identities are attached so that every person ends as exactly one customer under the OneID rules
 * (strong keys: unionid, openid, WeCom external_userid, verified mobile, member card; platform
 * buyer ids are weak): every event carries the unionid; platform orders carry the buyer id and
 * the verified mobile; the mini-program phone authorisation carries unionid + openid + mobile. A
 * platform buyer who ordered before joining is first a separate customer, merged when they
 * authorise their phone, as happens for real.
 */
import { DateTime } from 'luxon';
import { generateActivity, type DemoEventType, type IdentitySet } from './activity.ts';
import { createCalendar, type DemoCalendar } from './calendar.ts';
import { CHANNELS, MINIPROGRAM_APP_ID, OFFICIAL_ACCOUNT_APP_ID, PLATFORMS, WECOM_CORP_ID, type Platform } from './catalog.ts';
import { personIdValues, type PersonIdValues } from './identity-values.ts';
import { generateOrders, NATURAL_EXTRA_ORDERS, type DemoOrderDraft } from './orders.ts';
import { CLASS_WEIGHTS, planPerson, type BuyerClass, type PersonPlan, type PersonProfile } from './person.ts';
import { hashInts, streamFor } from './prng.ts';

/** Bump when the generated content changes, so cached benchmark databases are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface DemoOptions {
  seed: number;
  customers: number;
  /** "Now": data lies strictly before it. Usually the start of today in the workspace time zone. */
  anchor: Date;
  timeZone: string;
  /** Mean orders per person to aim for (benchmarks); default: the brand's natural ~1.4. */
  ordersPerCustomer?: number;
}

export interface DemoContext {
  seed: number;
  /** A short number derived from the seed, embedded in order numbers and buyer ids. */
  seedTag: number;
  customers: number;
  timeZone: string;
  anchorYear: number;
  cal: DemoCalendar;
  /** Multiplier of orders beyond the first for repeat buyers and VIPs. */
  orderScale: number;
}

export interface DemoIdentity {
  type: string;
  scope: string;
  value: string;
  verified: boolean;
}

/** Profile traits as events carry them (see ProfileTraitsSchema of the events module). */
export interface DemoTraits {
  name?: string;
  nickname?: string;
  gender?: 'male' | 'female' | 'unknown';
  birthday?: string;
  province?: string;
  city?: string;
  consent?: 'granted' | 'denied';
  sourceChannel?: string;
  sourceLure?: string;
}

export interface DemoEvent {
  clientId: string;
  type: DemoEventType;
  occurredAt: number;
  identities: DemoIdentity[];
  properties: Record<string, string | number | boolean>;
  profile?: DemoTraits;
}

export interface DemoOrder extends Omit<DemoOrderDraft, 'ordinal' | 'couponFen'> {
  orderNo: string;
  identities: DemoIdentity[];
}

export interface DemoPerson {
  index: number;
  buyerClass: BuyerClass;
  joinedAt: number;
  profile: PersonProfile & { mobile: string | null; email: string | null; consentAt: number | null };
  /** Every identity the person ends up with (a customer's identities after all merges). */
  identities: DemoIdentity[];
  events: DemoEvent[];
  orders: DemoOrder[];
}

/** Expected share of each buyer class over all channels. */
export function expectedClassShares(): Record<BuyerClass, number> {
  const out: Record<BuyerClass, number> = { never: 0, once: 0, repeat: 0, vip: 0 };
  for (const channel of CHANNELS) {
    const weights = CLASS_WEIGHTS[channel.group];
    const total = weights.reduce((s, [, w]) => s + w, 0);
    for (const [cls, w] of weights) out[cls] += ((channel.share / 100) * w) / total;
  }
  return out;
}

/** The order multiplier that makes the mean orders per person `target`. */
export function orderScaleFor(target: number | undefined): number {
  if (target === undefined) return 1;
  const p = expectedClassShares();
  const buyers = p.once + p.repeat + p.vip;
  const extra = p.repeat * NATURAL_EXTRA_ORDERS.repeat + p.vip * NATURAL_EXTRA_ORDERS.vip;
  return Math.max(0, (target - buyers) / extra);
}

export function createDemoContext(options: DemoOptions): DemoContext {
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new Error('the demo seed must be a non-negative integer');
  const anchor = options.anchor.getTime();
  return {
    seed: options.seed,
    seedTag: hashInts(options.seed, 0x5eed) % 10_000,
    customers: options.customers,
    timeZone: options.timeZone,
    anchorYear: DateTime.fromMillis(anchor, { zone: options.timeZone }).year,
    cal: createCalendar(anchor, options.timeZone),
    orderScale: orderScaleFor(options.ordersPerCustomer),
  };
}

/** The start of the day of `now` in the time zone: the default anchor. */
export function startOfDay(now: Date, timeZone: string): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').toJSDate();
}

export function generatePerson(ctx: DemoContext, index: number): DemoPerson {
  const rng = streamFor(ctx.seed, index, 'person');
  const plan = planPerson(rng, ctx.cal, ctx.anchorYear);
  const drafts = generateOrders(streamFor(ctx.seed, index, 'orders'), ctx.cal, plan, ctx.orderScale);
  const orderNos = drafts.map((d) => orderNumber(ctx, index, d.ordinal, d.platform));
  const activity = generateActivity(streamFor(ctx.seed, index, 'activity'), ctx.cal, plan, drafts, orderNos);
  const ids = personIdValues(ctx.seed, ctx.seedTag, index);
  const set = identitySets(plan, ids, drafts);
  activity.sort((a, b) => a.at - b.at || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const profile = {
    ...plan.profile,
    mobile: plan.mobile === 'none' ? null : ids.mobile,
    email: plan.hasEmail ? ids.email : null,
    consentAt: plan.profile.consent === 'unknown' ? null : plan.joinedAt,
  };
  const events: DemoEvent[] = activity.map((e, n) => ({
    clientId: `demo-${ctx.seedTag}-${index}-${n}`,
    type: e.type,
    occurredAt: e.at,
    // The joining event also carries what the advisor noted down: an unverified phone, an email.
    identities: e.withProfile ? [...set.forEvent(e.ids), ...set.extra] : set.forEvent(e.ids),
    properties: e.properties,
    ...(e.withProfile ? { profile: profileTraits(profile) } : {}),
  }));
  const orders: DemoOrder[] = drafts.map(({ ordinal, couponFen: _coupon, ...d }) => ({ ...d, orderNo: orderNos[ordinal]!, identities: set.forOrder(d.platform) }));
  return {
    index,
    buyerClass: plan.buyerClass,
    joinedAt: plan.joinedAt,
    profile,
    identities: carriedIdentities(events, orders),
    events,
    orders,
  };
}

/**
 * The union of the identities the person's rows carry: what their customer ends up holding.
 * Rows share the person's identity objects, so the union is by reference.
 */
function carriedIdentities(events: DemoEvent[], orders: DemoOrder[]): DemoIdentity[] {
  const out = new Set<DemoIdentity>();
  for (const e of events) for (const i of e.identities) out.add(i);
  for (const o of orders) for (const i of o.identities) out.add(i);
  return [...out];
}

function profileTraits(p: PersonProfile): DemoTraits {
  return {
    ...(p.name ? { name: p.name } : {}),
    nickname: p.nickname,
    gender: p.gender,
    ...(p.birthday ? { birthday: p.birthday } : {}),
    province: p.province,
    city: p.city,
    ...(p.consent !== 'unknown' ? { consent: p.consent } : {}),
    sourceChannel: p.sourceChannel,
    sourceLure: p.sourceLure,
  };
}

/** Order numbers are unique per (seed, person, ordinal); each platform has its own format. */
export function orderNumber(ctx: DemoContext, index: number, ordinal: number, platform: Platform): string {
  const core = `${String(ctx.seedTag).padStart(4, '0')}${String(index).padStart(10, '0')}${String(ordinal).padStart(4, '0')}`;
  switch (platform) {
    case 'tmall':
      return `2${core}`;
    case 'jd':
      return `3${core}`;
    case 'douyin':
      return `6${core}`;
    case 'miniprogram':
      return `WX${core}`;
    case 'offline':
      return `POS${core}`;
  }
}

function identitySets(plan: PersonPlan, ids: PersonIdValues, orders: readonly DemoOrderDraft[]) {
  const id = (type: string, value: string, scope = '', verified = false): DemoIdentity => ({ type, scope, value, verified });
  const unionid = id('wechat_unionid', ids.unionid);
  const external = plan.isWecomFriend ? id('wecom_external_userid', ids.externalUserid, WECOM_CORP_ID) : null;
  const openid = plan.usesMiniProgram ? id('wechat_openid', ids.openid, MINIPROGRAM_APP_ID) : null;
  const oaOpenid = plan.isWecomFriend ? null : id('wechat_openid', ids.oaOpenid, OFFICIAL_ACCOUNT_APP_ID);
  const mobile = plan.mobile === 'none' ? null : id('mobile', ids.mobile, '', plan.mobile === 'verified');
  const email = plan.hasEmail ? id('email', ids.email) : null;
  const platforms = new Set(orders.map((o) => o.platform));
  const buyerIds = new Map<Platform, DemoIdentity>();
  const buyerValue: Partial<Record<Platform, string>> = { tmall: ids.taobao, jd: ids.jd, douyin: ids.douyin, offline: ids.memberCard };
  for (const platform of platforms) {
    const type = PLATFORMS[platform].identityType;
    if (type) buyerIds.set(platform, id(type, buyerValue[platform]!));
  }
  const card = buyerIds.get('offline') ?? null;
  const present = (...list: (DemoIdentity | null)[]) => list.filter((x): x is DemoIdentity => x !== null);
  const bySet: Record<IdentitySet, DemoIdentity[]> = {
    wecom: present(unionid, external),
    mini: present(unionid, openid),
    oa: present(unionid, oaOpenid),
    wechat: [unionid],
    bridge: present(unionid, openid, mobile, card),
  };
  return {
    extra: present(mobile && !mobile.verified ? mobile : null, email),
    forEvent: (set: IdentitySet) => bySet[set],
    // The identity first in the list is the strong one the row arrives through.
    forOrder: (platform: Platform): DemoIdentity[] =>
      platform === 'miniprogram' ? present(unionid, openid) : platform === 'offline' ? present(card, mobile) : present(mobile, buyerIds.get(platform)!),
  };
}
