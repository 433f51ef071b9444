/**
 * One customer's scores from their facts (pure): RFM, the three lifecycle models, value
 * layer and consumption tier. The full recompute and incremental re-scoring both call this.
 */
import { businessStageOf, daysStageOf, stageStageOf } from './lifecycle.ts';
import { consumptionTierOf, monthsForAverage, PERIOD_MONTHS, valueLayerOf } from './layers.ts';
import { rfmClassOf, scoreAtLeast, scoreRecency, type Score } from './rfm.ts';
import type { BusinessStage, ConsumptionTier, CutPoints, DaysStage, RfmClass, ScoringSettings, StageStage, ValueLayer } from './scoring.schemas.ts';

/** What scoring needs to know about a customer; days are local day numbers (days.ts). */
export interface CustomerFacts {
  joinedDay: number | null;
  /** The latest of the last order, last interaction, joining and creation. */
  lastActivityDay: number;
  firstOrderDay: number | null;
  lastOrderDay: number | null;
  /** Lifetime orders that count (paid, not cancelled, not fully refunded) and their net amount. */
  ordersAll: number;
  amountAllFen: number;
  /** The same in the RFM window. */
  ordersWindow: number;
  amountWindowFen: number;
  /** Net amount in the consumption-tier period. */
  amountTierFen: number;
  interactions: number;
}

export interface CustomerScore {
  recencyDays: number | null;
  frequency: number | null;
  monetaryFen: number | null;
  r: Score | null;
  f: Score | null;
  m: Score | null;
  rfmClass: RfmClass | null;
  daysStage: DaysStage | null;
  stageStage: StageStage;
  businessStage: BusinessStage;
  primaryStage: string | null;
  valueLayer: ValueLayer;
  tier: ConsumptionTier | null;
}

export interface ScoringContext {
  /** Today's local day number in the workspace time zone. */
  today: number;
  settings: ScoringSettings;
  /** Cut points of the last full recompute (threshold form); null: use the settings' thresholds. */
  cuts: CutPoints | null;
  /**
   * The day R is scored as of, when not today: live re-scoring between recomputes scores R as
   * of the last recompute's day with its cut points, as every row that recompute left holds it
   * (the next recompute then finds every row whose R moves by its last order day alone).
   */
  recencyAsOf?: number | null;
}

const since = (today: number, day: number) => Math.max(0, today - day);

export function effectiveCuts(ctx: ScoringContext): CutPoints {
  return ctx.cuts ?? ctx.settings.rfm.thresholds;
}

export function scoreCustomer(facts: CustomerFacts, ctx: ScoringContext, cuts: CutPoints = effectiveCuts(ctx)): CustomerScore {
  const { today, settings } = ctx;
  const hasOrders = facts.ordersAll > 0 && facts.lastOrderDay !== null;
  let rfm: Pick<CustomerScore, 'recencyDays' | 'frequency' | 'monetaryFen' | 'r' | 'f' | 'm' | 'rfmClass'> = {
    recencyDays: null, frequency: null, monetaryFen: null, r: null, f: null, m: null, rfmClass: null,
  };
  const daysSinceLastOrder = facts.lastOrderDay === null ? null : since(today, facts.lastOrderDay);
  if (hasOrders) {
    const recencyDays = daysSinceLastOrder!;
    const r = scoreRecency(since(ctx.recencyAsOf ?? today, facts.lastOrderDay!), cuts.recencyDays);
    const f = scoreAtLeast(facts.ordersWindow, cuts.frequency);
    const m = scoreAtLeast(facts.amountWindowFen, cuts.monetaryFen);
    rfm = { recencyDays, frequency: facts.ordersWindow, monetaryFen: facts.amountWindowFen, r, f, m, rfmClass: rfmClassOf(r, f, m, settings.rfm.highFrom) };
  }
  const daysStage = daysStageOf(facts.joinedDay === null ? null : since(today, facts.joinedDay), settings.lifecycle.days);
  const stageStage = stageStageOf({ daysSinceActivity: since(today, facts.lastActivityDay), hasOrders, daysSinceLastOrder }, settings.lifecycle.stage);
  const businessStage = businessStageOf(facts.ordersAll, facts.amountAllFen, settings.lifecycle.business);
  const primary = settings.lifecycle.primary;
  const months = monthsForAverage(settings.consumptionTier.period, facts.firstOrderDay === null ? 0 : since(today, facts.firstOrderDay));
  return {
    ...rfm,
    daysStage,
    stageStage,
    businessStage,
    primaryStage: primary === 'days' ? daysStage : primary === 'stage' ? stageStage : businessStage,
    valueLayer: valueLayerOf(facts.ordersAll, facts.amountAllFen, facts.interactions, settings.valueLayer),
    tier: consumptionTierOf(hasOrders, facts.amountTierFen, months, settings.consumptionTier),
  };
}

/**
 * The first local day after `today` on which this customer's lifecycle stages or consumption
 * tier will differ from today's with the same facts — a threshold of the settings crossed as
 * time passes, where it changes the outcome — or null if none ever will. A recompute re-scores
 * the customers whose day has come. Recency is left out: its cut points move with every
 * recompute, which finds the customers it moves by their last order day instead (changes.ts,
 * cutRanges).
 */
export function rescoreOnDay(facts: CustomerFacts, ctx: ScoringContext): number | null {
  const { today, settings } = ctx;
  // The days a threshold is crossed: "since(today, day) > t" first holds on day + t + 1.
  // Run for every customer of a full recompute: no strings or objects per customer.
  const days: number[] = [];
  const crossing = (day: number | null, t: number) => {
    if (day !== null && day + t + 1 > today) days.push(day + t + 1);
  };
  const { days: daysModel, stage } = settings.lifecycle;
  crossing(facts.joinedDay, daysModel.silentMaxDays);
  crossing(facts.joinedDay, daysModel.growthMaxDays);
  crossing(facts.joinedDay, daysModel.activeMaxDays);
  crossing(facts.lastActivityDay, stage.silentAfterDays);
  crossing(facts.lastActivityDay, stage.churnedAfterDays);
  if (facts.ordersAll > 0 && facts.lastOrderDay !== null) {
    crossing(facts.lastOrderDay, stage.activeOrderWithinDays);
    // The months a tier averages over grow by one every 30 days after the first order.
    const months = PERIOD_MONTHS[settings.consumptionTier.period];
    for (let k = 1; k < months; k++) crossing(facts.firstOrderDay, 30 * k - 1);
  }
  if (!days.length) return null;
  days.sort((a, b) => a - b);
  const now = timedOutcome(facts, settings, today);
  for (const day of days) if (timedOutcome(facts, settings, day) !== now) return day;
  return null;
}

const DAYS_CODE: Record<DaysStage, number> = { silent: 1, growth: 2, active: 3, decline: 4 };
const STAGE_CODE: Record<StageStage, number> = { reached: 1, converted: 2, active: 3, silent: 4, churned: 5 };
const TIER_CODE: Record<ConsumptionTier, number> = { basic: 1, medium: 2, high: 3 };

/** What time alone can change in a score besides recency, on `day`, as one number: the days and stage models' stages and the tier (as scoreCustomer computes them). */
function timedOutcome(facts: CustomerFacts, settings: ScoringSettings, day: number): number {
  const hasOrders = facts.ordersAll > 0 && facts.lastOrderDay !== null;
  const daysSinceLastOrder = facts.lastOrderDay === null ? null : since(day, facts.lastOrderDay);
  const daysStage = daysStageOf(facts.joinedDay === null ? null : since(day, facts.joinedDay), settings.lifecycle.days);
  const stageStage = stageStageOf({ daysSinceActivity: since(day, facts.lastActivityDay), hasOrders, daysSinceLastOrder }, settings.lifecycle.stage);
  const months = monthsForAverage(settings.consumptionTier.period, facts.firstOrderDay === null ? 0 : since(day, facts.firstOrderDay));
  const tier = consumptionTierOf(hasOrders, facts.amountTierFen, months, settings.consumptionTier);
  return (daysStage === null ? 0 : DAYS_CODE[daysStage]) * 100 + STAGE_CODE[stageStage] * 10 + (tier === null ? 0 : TIER_CODE[tier]);
}
