/**
 * The demo year: the 365 local days before the anchor ("now", the start of a day in the
 * workspace time zone), each with its start instant and its weights for orders and for new
 * customers. Beauty e-commerce peaks around 618 and 双11; 38 节, 520 and 双12 are smaller peaks;
 * the Spring Festival is quiet (couriers stop).
 */
import { DateTime } from 'luxon';
import type { Rng } from './prng.ts';

export const DEMO_DAYS = 365;
const HOUR_MS = 3600_000;

export interface DemoCalendar {
  anchor: number;
  /** Start instant (ms) of local day d; d = 0 is 365 days before the anchor, d = 364 yesterday. */
  dayStart: Float64Array;
  /** Campaign of day d ('618', 'double11', ...) or ''. */
  campaign: string[];
  orderCum: Float64Array;
  joinCum: Float64Array;
  activityCum: Float64Array;
}

function orderWeight(month: number, day: number, weekday: number): [number, string] {
  const weekend = weekday >= 6 ? 1.1 : 1;
  if (month === 6 && day === 18) return [7 * weekend, '618'];
  if (month === 6 && day >= 1 && day <= 20) return [(day >= 16 ? 3.2 : 2) * weekend, '618'];
  if (month === 5 && day >= 20) return [(day === 20 ? 2.2 : 1.4) * weekend, day === 20 ? '520' : '618'];
  if (month === 11 && day === 11) return [11, 'double11'];
  if (month === 11 && day <= 12) return [(day <= 3 ? 3.2 : 1.9) * weekend, 'double11'];
  if (month === 10 && day >= 20) return [1.7 * weekend, 'double11'];
  if (month === 12 && day === 12) return [3, 'double12'];
  if (month === 12 && day >= 9 && day <= 13) return [1.5 * weekend, 'double12'];
  if (month === 3 && day <= 8) return [(day === 8 ? 2.6 : 1.6) * weekend, 'women_day'];
  if ((month === 1 && day >= 24) || (month === 2 && day <= 10)) return [0.6, ''];
  return [weekend, ''];
}

function joinWeight(month: number, day: number, growth: number): number {
  let w = growth;
  if (month === 6 && day <= 22) w *= 1.8; // package cards after 618
  if ((month === 11 && day <= 18) || (month === 10 && day >= 25)) w *= 2.2;
  if (month === 3 && day <= 10) w *= 1.3;
  if ((month === 1 && day >= 24) || (month === 2 && day <= 10)) w *= 0.6;
  return w;
}

export function createCalendar(anchor: number, timeZone: string): DemoCalendar {
  const start = DateTime.fromMillis(anchor, { zone: timeZone });
  if (!start.isValid) throw new Error(`invalid demo anchor or time zone ${timeZone}`);
  const dayStart = new Float64Array(DEMO_DAYS);
  const campaign: string[] = [];
  const orderCum = new Float64Array(DEMO_DAYS + 1);
  const joinCum = new Float64Array(DEMO_DAYS + 1);
  const activityCum = new Float64Array(DEMO_DAYS + 1);
  for (let d = 0; d < DEMO_DAYS; d++) {
    const day = start.minus({ days: DEMO_DAYS - d }).startOf('day');
    dayStart[d] = day.toMillis();
    const [ow, name] = orderWeight(day.month, day.day, day.weekday);
    campaign.push(name);
    // The private domain grows over the year: more new customers and more activity lately.
    const growth = 0.6 + (0.8 * d) / DEMO_DAYS;
    orderCum[d + 1] = orderCum[d]! + ow * (0.8 + (0.4 * d) / DEMO_DAYS);
    joinCum[d + 1] = joinCum[d]! + joinWeight(day.month, day.day, growth);
    activityCum[d + 1] = activityCum[d]! + growth * (day.weekday >= 6 ? 1.15 : 1) * (ow > 1.5 ? 1.4 : 1);
  }
  return { anchor, dayStart, campaign, orderCum, joinCum, activityCum };
}

/** A day in [from, to) drawn by the cumulative weights. */
export function sampleDay(rng: Rng, cum: Float64Array, from: number, to: number): number {
  const lo0 = Math.max(0, Math.min(from, DEMO_DAYS - 1));
  const hi0 = Math.max(lo0 + 1, Math.min(to, DEMO_DAYS));
  const target = cum[lo0]! + rng.next() * (cum[hi0]! - cum[lo0]!);
  let lo = lo0;
  let hi = hi0 - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid + 1]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Activity by local hour: lunch break and the evening are when people shop and chat. */
const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 2], [1, 1], [2, 0.5], [3, 0.3], [4, 0.2], [5, 0.3], [6, 0.8], [7, 2], [8, 3], [9, 4], [10, 5], [11, 5],
  [12, 6], [13, 5], [14, 4], [15, 4], [16, 4], [17, 4], [18, 5], [19, 6], [20, 8], [21, 9], [22, 8], [23, 5],
];

/** An instant on local day d at a plausible time of day. */
export function timeOnDay(rng: Rng, cal: DemoCalendar, d: number): number {
  const hour = rng.weighted(HOUR_WEIGHTS);
  const t = cal.dayStart[d]! + hour * HOUR_MS + rng.int(0, HOUR_MS / 1000 - 1) * 1000;
  return Math.min(t, cal.anchor - 1000);
}

/** The local day index of an instant (clamped to the demo year). */
export function dayOf(cal: DemoCalendar, t: number): number {
  let lo = 0;
  let hi = DEMO_DAYS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cal.dayStart[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
