/**
 * The three lifecycle models (pure). Days are whole calendar days in the workspace time
 * zone: "0 days" is the same local day.
 */
import type { BusinessStage, DaysStage, ScoringSettings, StageStage } from './scoring.schemas.ts';

/** By days in the private domain since joining (SPEC C4, seed 000): 0–30 silent, 31–90 growth, 91–180 active, > 180 decline. */
export function daysStageOf(daysSinceJoined: number | null, s: ScoringSettings['lifecycle']['days']): DaysStage | null {
  if (daysSinceJoined === null) return null;
  if (daysSinceJoined <= s.silentMaxDays) return 'silent';
  if (daysSinceJoined <= s.growthMaxDays) return 'growth';
  if (daysSinceJoined <= s.activeMaxDays) return 'active';
  return 'decline';
}

/**
 * By stage (seed 003), first match wins:
 * churned — more than churnedAfterDays since the last order or interaction;
 * silent — more than silentAfterDays since then;
 * reached — no order yet;
 * active — the last order at most activeOrderWithinDays ago;
 * converted — has ordered, not recently, and still in touch.
 */
export function stageStageOf(
  input: { daysSinceActivity: number; hasOrders: boolean; daysSinceLastOrder: number | null },
  s: ScoringSettings['lifecycle']['stage'],
): StageStage {
  if (input.daysSinceActivity > s.churnedAfterDays) return 'churned';
  if (input.daysSinceActivity > s.silentAfterDays) return 'silent';
  if (!input.hasOrders) return 'reached';
  if (input.daysSinceLastOrder !== null && input.daysSinceLastOrder <= s.activeOrderWithinDays) return 'active';
  return 'converted';
}

/** By business node (seed 004, e-commerce): new → first purchase → repeat → VIP, over all orders. */
export function businessStageOf(orders: number, amountFen: number, s: ScoringSettings['lifecycle']['business']): BusinessStage {
  if (orders <= 0) return 'new';
  if ((s.vipMinOrders !== null && orders >= s.vipMinOrders) || (s.vipMinAmountFen !== null && amountFen >= s.vipMinAmountFen)) return 'vip';
  if (orders >= s.repeatMinOrders) return 'repeat';
  return 'first_purchase';
}
