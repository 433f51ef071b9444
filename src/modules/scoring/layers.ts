/** Value layers (seed 003) and consumption tiers (seed 000), pure. Amounts are fen. */
import type { ConsumptionTier, ScoringSettings, TierPeriod, ValueLayer } from './scoring.schemas.ts';

/**
 * VIP: at least vipMinOrders orders, an average order value of at least vipMinAovFen and at
 * least vipMinInteractions interactions. Potential: not VIP, but a high average order value
 * (≥ potentialMinAovFen) or engaged (≥ potentialMinInteractions interactions). Normal: the rest.
 * Lifetime orders, amount (net of refunds) and interactions.
 */
export function valueLayerOf(orders: number, amountFen: number, interactions: number, s: ScoringSettings['valueLayer']): ValueLayer {
  // AOV ≥ x  ⇔  amount ≥ x × orders: exact in integers, no rounding at the boundary.
  const aovAtLeast = (x: number) => orders > 0 && amountFen >= x * orders;
  if (orders >= s.vipMinOrders && aovAtLeast(s.vipMinAovFen) && interactions >= s.vipMinInteractions) return 'vip';
  if (aovAtLeast(s.potentialMinAovFen) || interactions >= s.potentialMinInteractions) return 'potential';
  return 'normal';
}

export const PERIOD_MONTHS: Record<TierPeriod, number> = { d30: 1, d90: 3, d180: 6, d365: 12 };

/**
 * Months a customer's spend in the period is averaged over: the period's months, or fewer
 * when the first order is more recent — 30-day months counted from the first order's day,
 * the first one included (days 0–29 since the first order: 1 month).
 */
export function monthsForAverage(period: TierPeriod, daysSinceFirstOrder: number): number {
  return Math.min(PERIOD_MONTHS[period], Math.max(1, Math.floor(daysSinceFirstOrder / 30) + 1));
}

/** high: average monthly spend ≥ highFromFen; medium: ≥ mediumFromFen; basic: below. Null without orders. */
export function consumptionTierOf(hasOrders: boolean, amountInPeriodFen: number, months: number, s: ScoringSettings['consumptionTier']): ConsumptionTier | null {
  if (!hasOrders) return null;
  if (amountInPeriodFen >= s.highFromFen * months) return 'high';
  if (amountInPeriodFen >= s.mediumFromFen * months) return 'medium';
  return 'basic';
}
