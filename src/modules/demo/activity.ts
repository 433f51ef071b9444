/**
 * A demo person's interactions in the private domain: adding an advisor on WeCom, joining a
 * group, browsing the mini-program mall, carts, coupons, check-ins, shares and live streams.
 * Counts grow with how much the person buys; times cluster after joining and fade out.
 */
import { DEMO_DAYS, dayOf, sampleDay, timeOnDay, type DemoCalendar } from './calendar.ts';
import { ADVISORS, OFFICIAL_ACCOUNT_APP_ID, PRODUCTS, WECOM_CORP_ID, type Product } from './catalog.ts';
import type { DemoOrderDraft } from './orders.ts';
import type { BuyerClass, PersonPlan } from './person.ts';
import type { Rng } from './prng.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Event types of SPEC C2 the demo uses. */
export type DemoEventType =
  | 'wecom.friend_added'
  | 'official_account.followed'
  | 'group.joined'
  | 'page.viewed'
  | 'product.viewed'
  | 'cart.added'
  | 'coupon.claimed'
  | 'coupon.redeemed'
  | 'checkin'
  | 'share'
  | 'live.watched';

/** Which of the person's identities an event carries (the unionid is in every set). */
export type IdentitySet = 'wecom' | 'mini' | 'oa' | 'wechat' | 'bridge';

export interface DemoEventDraft {
  type: DemoEventType;
  at: number;
  ids: IdentitySet;
  properties: Record<string, string | number | boolean>;
  /** The joining event carries the profile the person gave (name, birthday, consent, source). */
  withProfile?: boolean;
}

/** Mean counts per person over the year, by buyer class. */
const MEANS: Record<BuyerClass, { page: number; product: number; coupon: number; checkin: number; share: number; live: number; group: number }> = {
  never: { page: 2, product: 1.5, coupon: 0.6, checkin: 1, share: 0.2, live: 0.5, group: 0.25 },
  once: { page: 4, product: 3, coupon: 1, checkin: 2, share: 0.5, live: 1, group: 0.4 },
  repeat: { page: 7, product: 5, coupon: 1.5, checkin: 5, share: 1, live: 1.5, group: 0.55 },
  vip: { page: 14, product: 10, coupon: 3, checkin: 10, share: 2, live: 3, group: 0.75 },
};

const PAGES: readonly (readonly [string, string])[] = [
  ['pages/index/index', '首页'], ['pages/index/index', '首页'], ['pages/category/index', '全部商品'], ['pages/campaign/index', '限时活动'],
  ['pages/article/detail', '护肤课堂'], ['pages/member/index', '会员中心'], ['pages/points/mall', '积分商城'], ['pages/new/index', '新品上市'],
];
const GROUPS = ['澜序修护精华交流群', '敏感肌护肤互助群', '澜序会员福利群', '成分党研究所', '早C晚A打卡群', '澜序宠粉福利群'] as const;
const LIVES: readonly (readonly [string, string])[] = [
  ['live-weekly', '周四护肤直播间'], ['live-618', '618 预售专场'], ['live-double11', '双11 狂欢夜'], ['live-science', '成分科普直播'], ['live-new', '新品首发直播'],
];
const FOLLOW_SCENES = ['ADD_SCENE_SEARCH', 'ADD_SCENE_QR_CODE', 'ADD_SCENE_PROFILE_CARD', 'ADD_SCENE_OTHERS'] as const;

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

export function generateActivity(
  rng: Rng,
  cal: DemoCalendar,
  plan: PersonPlan,
  orders: readonly DemoOrderDraft[],
  orderNos: readonly string[],
): DemoEventDraft[] {
  const m = MEANS[plan.buyerClass];
  const out: DemoEventDraft[] = [];
  const browse: IdentitySet = plan.usesMiniProgram ? 'mini' : 'wechat';
  const social: IdentitySet = plan.isWecomFriend ? 'wecom' : 'wechat';
  const laterTime = (meanDays: number) => {
    // Half of the activity comes in the weeks after joining, the rest is spread over the year.
    const d = rng.chance(0.5)
      ? Math.min(DEMO_DAYS - 1, plan.joinedDay + Math.floor(rng.exponential(meanDays)))
      : sampleDay(rng, cal.activityCum, plan.joinedDay, DEMO_DAYS);
    const t = timeOnDay(rng, cal, d);
    return t > plan.joinedAt ? t : Math.min(cal.anchor - 1000, plan.joinedAt + rng.int(1, 120) * MINUTE);
  };
  pushJoining(rng, plan, out);
  if (plan.mobile === 'verified') {
    // Authorising the phone number in the mini-program to claim a coupon links WeChat and phone.
    const delay = plan.channel.group === 'ecommerce' ? rng.exponential(15 * DAY) : rng.exponential(8 * DAY);
    const at = Math.min(cal.anchor - 1000, plan.joinedAt + HOUR + Math.floor(delay));
    out.push({ type: 'coupon.claimed', at, ids: 'bridge', properties: { couponId: 'C-WELCOME-10', couponName: '新客无门槛券', valueFen: 1000, phoneAuthorized: true } });
  }
  if (rng.chance(m.group)) {
    const n = rng.int(0, GROUPS.length - 1);
    const no = rng.int(1, 6);
    const groupId = `wrLX${String(n * 10 + no).padStart(4, '0')}`;
    const at = Math.min(cal.anchor - 1000, plan.joinedAt + Math.floor(rng.exponential(3 * DAY)) + MINUTE);
    out.push({ type: 'group.joined', at, ids: social, properties: { groupId, groupName: `${GROUPS[n]!}${no}`, joinScene: rng.chance(0.7) ? 'qr_code' : 'invited' } });
    pushCheckins(rng, cal, out, dayOf(cal, at), poisson(rng, m.checkin), social, groupId);
  }
  for (let n = poisson(rng, m.page); n > 0; n--) {
    const [url, title] = rng.pick(PAGES);
    out.push({ type: 'page.viewed', at: laterTime(30), ids: browse, properties: { url, title, durationMs: rng.int(2, 180) * 1000 } });
  }
  for (let n = poisson(rng, m.product); n > 0; n--) {
    const product = rng.pick(PRODUCTS);
    const at = laterTime(30);
    out.push({ type: 'product.viewed', at, ids: browse, properties: productProps(product) });
    if (rng.chance(0.3)) out.push({ type: 'cart.added', at: Math.min(cal.anchor - 1000, at + rng.int(1, 30) * MINUTE), ids: browse, properties: { ...productProps(product), quantity: 1 } });
  }
  for (let n = poisson(rng, m.coupon); n > 0; n--) {
    const value = rng.pick([1000, 2000, 5000]);
    out.push({ type: 'coupon.claimed', at: laterTime(45), ids: browse, properties: { couponId: `C-OFF-${value / 100}`, couponName: `满减券 ¥${value / 100}`, valueFen: value } });
  }
  for (let n = poisson(rng, m.share + (plan.channel.group === 'fission' ? 0.8 : 0)); n > 0; n--) {
    const content = rng.pick(['poster-invite', 'product-LX1204', 'article-skincare-101']);
    out.push({ type: 'share', at: laterTime(30), ids: browse, properties: { target: rng.pick(['friend', 'friend', 'moments', 'group'] as const), contentId: content } });
  }
  for (let n = poisson(rng, m.live); n > 0; n--) {
    const d = dayOf(cal, laterTime(60));
    const at = Math.max(plan.joinedAt + MINUTE, Math.min(cal.anchor - 1000, cal.dayStart[d]! + 20 * HOUR + rng.int(0, 90) * MINUTE));
    const [liveId, title] = rng.pick(LIVES);
    out.push({ type: 'live.watched', at, ids: browse, properties: { liveId, title, durationSeconds: rng.int(30, 3600), platform: 'wechat_channels' } });
  }
  pushOrderActivity(rng, plan, orders, orderNos, out, browse);
  return out;
}

/** Entering the private domain: adding an advisor on WeCom, or following the official account. */
function pushJoining(rng: Rng, plan: PersonPlan, out: DemoEventDraft[]): void {
  const source = { channel: plan.channel.key, lure: plan.profile.sourceLure };
  if (plan.isWecomFriend) {
    const staff = ADVISORS.find((a) => a.key === plan.profile.owner) ?? rng.pick(ADVISORS);
    out.push({
      type: 'wecom.friend_added',
      at: plan.joinedAt,
      ids: 'wecom',
      properties: { corpId: WECOM_CORP_ID, staffUserId: staff.wecomUserId, state: `${plan.channel.key}.${plan.profile.sourceLure}`, welcomeSent: true, ...source },
      withProfile: true,
    });
  } else {
    out.push({ type: 'official_account.followed', at: plan.joinedAt, ids: 'oa', properties: { appId: OFFICIAL_ACCOUNT_APP_ID, scene: rng.pick(FOLLOW_SCENES), ...source }, withProfile: true });
  }
}

function productProps(product: Product): Record<string, string | number> {
  return { productId: product.productId, sku: product.sku, name: product.name, category: product.category, priceFen: product.priceFen };
}

function pushCheckins(rng: Rng, cal: DemoCalendar, out: DemoEventDraft[], fromDay: number, count: number, ids: IdentitySet, groupId: string): void {
  // Check-ins come in streaks (the 7-day check-in challenge of the groups).
  const start = Math.min(DEMO_DAYS - 1, fromDay + 1 + Math.floor(rng.exponential(20)));
  for (let i = 0; i < count && start + i < DEMO_DAYS; i++) {
    const at = cal.dayStart[start + i]! + (7 * 60 + rng.int(0, 180)) * MINUTE;
    if (at < cal.anchor) out.push({ type: 'checkin', at, ids, properties: { activityId: 'checkin-7day', groupId, streak: i + 1 } });
  }
}

/** Views just before the first few mini-program orders, and the coupons redeemed on them. */
function pushOrderActivity(rng: Rng, plan: PersonPlan, orders: readonly DemoOrderDraft[], orderNos: readonly string[], out: DemoEventDraft[], browse: IdentitySet): void {
  let viewed = 0;
  for (const order of orders) {
    if (order.platform !== 'miniprogram' || order.orderedAt < plan.joinedAt) continue;
    const item = order.items[0]!;
    if (viewed < 3 && order.orderedAt - 10 * MINUTE > plan.joinedAt) {
      viewed++;
      const product = PRODUCTS.find((p) => p.sku === item.sku)!;
      out.push({ type: 'product.viewed', at: order.orderedAt - rng.int(2, 10) * MINUTE, ids: browse, properties: productProps(product) });
    }
    if (order.couponFen > 0 && order.paidAt !== null) {
      out.push({ type: 'coupon.redeemed', at: order.paidAt, ids: browse, properties: { couponId: `C-OFF-${order.couponFen / 100}`, orderNo: orderNos[order.ordinal]!, valueFen: order.couponFen } });
    }
  }
}
