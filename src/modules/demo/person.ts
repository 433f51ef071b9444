/**
 * Who a demo person is: how they arrived (channel, lure, day), their profile, how much they buy,
 * where they buy, and which identities they hold. Drawn from the person's own random stream.
 */
import { DEMO_DAYS, sampleDay, timeOnDay, type DemoCalendar } from './calendar.ts';
import { ADVISORS, CHANNELS, OFFLINE_STORES, type Channel, type ChannelGroup, type LureKey, type Platform } from './catalog.ts';
import { givenName, NICKNAMES, REGIONS, SURNAMES } from './people.ts';
import type { Rng } from './prng.ts';

export type BuyerClass = 'never' | 'once' | 'repeat' | 'vip';

/** Buyer class by acquisition group; e-commerce arrivals have all bought once already. */
export const CLASS_WEIGHTS: Record<ChannelGroup, readonly (readonly [BuyerClass, number])[]> = {
  ecommerce: [['once', 0.6], ['repeat', 0.33], ['vip', 0.07]],
  offline: [['never', 0.45], ['once', 0.33], ['repeat', 0.17], ['vip', 0.05]],
  content: [['never', 0.7], ['once', 0.21], ['repeat', 0.07], ['vip', 0.02]],
  wechat: [['never', 0.64], ['once', 0.25], ['repeat', 0.09], ['vip', 0.02]],
  fission: [['never', 0.55], ['once', 0.28], ['repeat', 0.14], ['vip', 0.03]],
};

const HOME_PLATFORM: Record<ChannelGroup, readonly (readonly [Platform, number])[]> = {
  ecommerce: [['tmall', 0.5], ['jd', 0.22], ['douyin', 0.28]],
  offline: [['offline', 0.6], ['miniprogram', 0.3], ['tmall', 0.1]],
  content: [['miniprogram', 0.45], ['tmall', 0.3], ['douyin', 0.2], ['jd', 0.05]],
  wechat: [['miniprogram', 0.75], ['tmall', 0.15], ['jd', 0.1]],
  fission: [['miniprogram', 0.8], ['tmall', 0.2]],
};

export interface PersonProfile {
  name: string | null;
  nickname: string;
  gender: 'female' | 'male' | 'unknown';
  birthday: string | null;
  province: string;
  city: string;
  consent: 'granted' | 'denied' | 'unknown';
  sourceChannel: string;
  sourceLure: LureKey;
  /** Advisor key (catalog ADVISORS), or null. */
  owner: string | null;
  /** Custom attribute: skin type (肤质). */
  skinType: string | null;
}

export interface PersonPlan {
  channel: Channel;
  joinedDay: number;
  joinedAt: number;
  buyerClass: BuyerClass;
  homePlatform: Platform;
  secondPlatform: Platform | null;
  store: string | null;
  isWecomFriend: boolean;
  usesMiniProgram: boolean;
  mobile: 'none' | 'unverified' | 'verified';
  hasEmail: boolean;
  profile: PersonProfile;
}

const CHANNEL_WEIGHTS = CHANNELS.map((c) => [c, c.share] as const);
const REGION_WEIGHTS = REGIONS.map((r) => [r, r.weight] as const);
const ONLINE_ADVISOR_WEIGHTS = ADVISORS.map((a) => [a.key, a.key === 'chen' || a.key === 'liu' ? 1.5 : 1] as const);

const isPlatformWithBuyerId = (p: Platform) => p === 'tmall' || p === 'jd' || p === 'douyin' || p === 'offline';

export function planPerson(rng: Rng, cal: DemoCalendar, anchorYear: number): PersonPlan {
  const channel = rng.weighted(CHANNEL_WEIGHTS);
  const joinedDay = sampleDay(rng, cal.joinCum, 0, DEMO_DAYS);
  const joinedAt = timeOnDay(rng, cal, joinedDay);
  const buyerClass = rng.weighted(CLASS_WEIGHTS[channel.group]);
  let homePlatform = rng.weighted(HOME_PLATFORM[channel.group]);
  if (channel.key === 'content_douyin' && rng.chance(0.6)) homePlatform = 'douyin';
  const secondPlatform =
    (buyerClass === 'repeat' || buyerClass === 'vip') && rng.chance(0.22)
      ? rng.pick((['tmall', 'jd', 'douyin', 'miniprogram'] as const).filter((x) => x !== homePlatform))
      : null;
  const store = homePlatform === 'offline' || channel.group === 'offline' ? rng.pick(OFFLINE_STORES) : null;
  const buysOnPlatform = buyerClass !== 'never' && (isPlatformWithBuyerId(homePlatform) || (secondPlatform !== null && isPlatformWithBuyerId(secondPlatform)));
  // Platform accounts and member cards come with a verified phone; otherwise some leave one.
  const mobile = buysOnPlatform ? 'verified' : rng.chance(0.45) ? (rng.chance(0.65) ? 'verified' : 'unverified') : 'none';
  const usesMiniProgram =
    mobile === 'verified' || homePlatform === 'miniprogram' || secondPlatform === 'miniprogram' || rng.chance(0.45);
  const isWecomFriend = channel.group === 'offline' || channel.group === 'ecommerce' || rng.chance(0.86);
  return {
    channel,
    joinedDay,
    joinedAt,
    buyerClass,
    homePlatform,
    secondPlatform,
    store,
    isWecomFriend,
    usesMiniProgram,
    mobile,
    hasEmail: rng.chance(0.04),
    profile: drawProfile(rng, channel, buyerClass, isWecomFriend, store, anchorYear),
  };
}

function drawProfile(rng: Rng, channel: Channel, buyerClass: BuyerClass, isFriend: boolean, store: string | null, anchorYear: number): PersonProfile {
  const gender = rng.weighted([['female', 0.84], ['male', 0.11], ['unknown', 0.05]] as const);
  const surname = rng.weighted(SURNAMES);
  const given = givenName(gender !== 'male', rng.int(0, 999), rng.int(0, 999), rng.chance(0.8));
  const knowsName = rng.chance(buyerClass === 'never' ? 0.55 : 0.85);
  const nickname = rng.chance(0.6) ? `${rng.pick(NICKNAMES)}${rng.chance(0.2) ? rng.int(1, 99) : ''}` : given;
  const region = store ? regionOfStore(store) : rng.weighted(REGION_WEIGHTS);
  const consent = rng.weighted([['granted', 0.9], ['denied', 0.04], ['unknown', 0.06]] as const);
  const ownerChance = isFriend ? (buyerClass === 'vip' ? 0.95 : buyerClass === 'repeat' ? 0.8 : 0.55) : 0;
  const owner = rng.chance(ownerChance) ? drawAdvisor(rng, channel) : null;
  return {
    name: knowsName ? `${surname}${given}` : null,
    nickname,
    gender,
    birthday: rng.chance(0.65) ? drawBirthday(rng, anchorYear) : null,
    province: region.province,
    city: region.city,
    consent,
    sourceChannel: channel.key,
    sourceLure: rng.weighted(channel.lures),
    owner,
    skinType: rng.chance(0.5) ? rng.weighted([['干性', 3], ['油性', 3], ['混合性', 4], ['敏感性', 2], ['中性', 1]] as const) : null,
  };
}

function drawAdvisor(rng: Rng, channel: Channel): string {
  // Store staff own the customers they added in store; online advisors share the rest.
  if (channel.group === 'offline') return rng.weighted([['zhao', 5], ['wang', 3], ['zhang', 2]] as const);
  return rng.weighted(ONLINE_ADVISOR_WEIGHTS);
}

/** Mostly 20–40 years old; one leap-year birthday in a hundred falls on 29 February. */
function drawBirthday(rng: Rng, anchorYear: number): string {
  const age = Math.max(17, Math.min(58, Math.round(30 + rng.normal() * 7)));
  const year = anchorYear - age;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (leap && rng.chance(0.01)) return `${year}-02-29`;
  const dayOfYear = rng.int(0, 364);
  const date = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86_400_000);
  if (leap && date.getUTCMonth() === 1 && date.getUTCDate() === 29) return `${year}-03-01`;
  return date.toISOString().slice(0, 10);
}

function regionOfStore(store: string): { province: string; city: string } {
  const city = REGIONS.find((r) => store.startsWith(r.city.replace(/市$/, '')));
  return city ?? { province: '上海市', city: '上海市' };
}
