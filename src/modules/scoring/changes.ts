/**
 * From customer inputs (and their stored scores) to the rows that must change: the pure
 * middle of the full recompute and of incremental re-scoring.
 */
import { COL, ALL_STAGES, type InputColumns } from './inputs.repository.ts';
import { quintileCutPoints } from './rfm.ts';
import { BUSINESS_STAGES, CONSUMPTION_TIERS, DAYS_STAGES, RFM_CLASSES, STAGE_STAGES, VALUE_LAYERS, type CutPoints, type ScoringSettings } from './scoring.schemas.ts';
import { scoreCustomer, type CustomerFacts, type CustomerScore, type ScoringContext } from './score.ts';

export interface ScoreChange {
  customerId: number;
  score: CustomerScore;
  isNew: boolean;
  /** scored_at of the stored row when read (µs since the epoch), null for new rows. */
  prevScoredUs: number | null;
  /** A class, stage, layer or tier changed: a new history period. */
  classChanged: boolean;
  /** Something a segment can test changed (also R/F/M scores, primary stage): publish. */
  notify: boolean;
}

/** Cut points for a full recompute: quintiles of the customers with orders, or the settings' thresholds. */
export function cutPointsFor(inputs: InputColumns, settings: ScoringSettings, today: number): CutPoints | null {
  if (settings.rfm.method === 'thresholds') return settings.rfm.thresholds;
  const [days, freq, money] = [new Float64Array(inputs.length), new Float64Array(inputs.length), new Float64Array(inputs.length)];
  let n = 0;
  for (let row = 0; row < inputs.length; row++) {
    if (!(inputs.get(row, COL.orders_all) > 0) || Number.isNaN(inputs.get(row, COL.last_order_day))) continue;
    days[n] = inputs.get(row, COL.last_order_day);
    freq[n] = inputs.get(row, COL.orders_win);
    money[n] = inputs.get(row, COL.amount_win);
    n++;
  }
  return quintileCutPoints(days.subarray(0, n), freq.subarray(0, n), money.subarray(0, n), today);
}

/** Fills `facts` with the inputs of one row (one object reused for every customer). */
export function factsOf(inputs: InputColumns, row: number, facts: CustomerFacts): CustomerFacts {
  facts.joinedDay = inputs.maybe(row, COL.joined_day);
  facts.lastActivityDay = inputs.maybe(row, COL.activity_day) ?? 0;
  facts.firstOrderDay = inputs.maybe(row, COL.first_order_day);
  facts.lastOrderDay = inputs.maybe(row, COL.last_order_day);
  facts.ordersAll = inputs.get(row, COL.orders_all);
  facts.amountAllFen = inputs.get(row, COL.amount_all);
  facts.ordersWindow = inputs.get(row, COL.orders_win);
  facts.amountWindowFen = inputs.get(row, COL.amount_win);
  facts.amountTierFen = inputs.get(row, COL.amount_tier);
  facts.interactions = inputs.get(row, COL.interactions);
  return facts;
}

export function emptyFacts(): CustomerFacts {
  return { joinedDay: null, lastActivityDay: 0, firstOrderDay: null, lastOrderDay: null, ordersAll: 0, amountAllFen: 0, ordersWindow: 0, amountWindowFen: 0, amountTierFen: 0, interactions: 0 };
}

const keyAt = (keys: readonly string[], code: number) => (code > 0 ? keys[code - 1]! : null);

/** How a computed score differs from the stored row; null when nothing needs writing. */
export function diffStored(inputs: InputColumns, row: number, score: CustomerScore, today: number): Omit<ScoreChange, 'customerId' | 'score'> | null {
  if (inputs.get(row, COL.s_exists) !== 1) return { isNew: true, prevScoredUs: null, classChanged: true, notify: true };
  const stored = (col: number) => inputs.maybe(row, col);
  const classChanged =
    keyAt(RFM_CLASSES, inputs.get(row, COL.s_class)) !== score.rfmClass ||
    keyAt(DAYS_STAGES, inputs.get(row, COL.s_days)) !== score.daysStage ||
    keyAt(STAGE_STAGES, inputs.get(row, COL.s_stage)) !== score.stageStage ||
    keyAt(BUSINESS_STAGES, inputs.get(row, COL.s_business)) !== score.businessStage ||
    keyAt(VALUE_LAYERS, inputs.get(row, COL.s_layer)) !== score.valueLayer ||
    keyAt(CONSUMPTION_TIERS, inputs.get(row, COL.s_tier)) !== score.tier;
  const notify =
    classChanged ||
    stored(COL.s_r) !== score.r ||
    stored(COL.s_f) !== score.f ||
    stored(COL.s_m) !== score.m ||
    keyAt(ALL_STAGES, inputs.get(row, COL.s_primary)) !== score.primaryStage;
  // Recency alone ages by a day every day: a row is rewritten only if the day it counts from moved.
  const storedRecency = stored(COL.s_recency);
  const storedFrom = storedRecency === null ? null : stored(COL.s_scored_day)! - storedRecency;
  const from = score.recencyDays === null ? null : today - score.recencyDays;
  const changed = notify || storedFrom !== from || stored(COL.s_frequency) !== score.frequency || stored(COL.s_monetary) !== score.monetaryFen;
  return changed ? { isNew: false, prevScoredUs: stored(COL.s_scored_us), classChanged, notify } : null;
}

/** Scores every row of `inputs` and returns the changes against the stored rows. */
export function computeChanges(inputs: InputColumns, ctx: ScoringContext): ScoreChange[] {
  const changes: ScoreChange[] = [];
  const facts = emptyFacts();
  for (let row = 0; row < inputs.length; row++) {
    const score = scoreCustomer(factsOf(inputs, row, facts), ctx);
    const diff = diffStored(inputs, row, score, ctx.today);
    if (diff) changes.push({ customerId: inputs.get(row, COL.customer_id), score, ...diff });
  }
  return changes;
}
