/**
 * From customer inputs (and their stored scores) to the rows that must change: the pure
 * middle of the full recompute and of incremental re-scoring.
 */
import { COL, ALL_STAGES, type InputColumns } from './inputs.repository.ts';
import { quintileCutPoints } from './rfm.ts';
import { BUSINESS_STAGES, CONSUMPTION_TIERS, DAYS_STAGES, RFM_CLASSES, STAGE_STAGES, VALUE_LAYERS, type CutPoints, type ScoringSettings } from './scoring.schemas.ts';
import { effectiveCuts, rescoreOnDay, scoreCustomer, type CustomerFacts, type CustomerScore, type ScoringContext } from './score.ts';

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
  /** The local day of the last order the RFM scores count from (null without orders). */
  lastOrderDay: number | null;
  /** The first day the scores can change with no new data (score.ts, rescoreOnDay). */
  rescoreOnDay: number | null;
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
export function diffStored(inputs: InputColumns, row: number, score: CustomerScore, today: number, kept: { lastOrderDay: number | null; rescoreDay: number | null }): Omit<ScoreChange, 'customerId' | 'score' | 'lastOrderDay' | 'rescoreOnDay'> | null {
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
  const changed =
    notify || storedFrom !== from || stored(COL.s_frequency) !== score.frequency || stored(COL.s_monetary) !== score.monetaryFen ||
    stored(COL.s_last_order_day) !== kept.lastOrderDay || rescoreDayStale(stored(COL.s_rescore_day), kept.rescoreDay, today);
  return changed ? { isNew: false, prevScoredUs: stored(COL.s_scored_us), classChanged, notify } : null;
}

/**
 * Whether a stored re-score day must be rewritten: it is later than the computed one (the
 * customer would be missed), or it has come (the customer would be re-scored every run). An
 * earlier day still to come is left: on that day the customer is re-scored and it is corrected.
 */
export function rescoreDayStale(stored: number | null, computed: number | null, today: number): boolean {
  if (stored === null) return computed !== null;
  return stored <= today || (computed !== null && stored > computed);
}

/** Scores every row of `inputs` and returns the changes against the stored rows. */
export function computeChanges(inputs: InputColumns, ctx: ScoringContext): ScoreChange[] {
  const changes: ScoreChange[] = [];
  const facts = emptyFacts();
  const cuts = effectiveCuts(ctx);
  for (let row = 0; row < inputs.length; row++) {
    factsOf(inputs, row, facts);
    const score = scoreCustomer(facts, ctx, cuts);
    const rescoreDay = rescoreOnDay(facts, ctx);
    const lastOrderDay = score.recencyDays === null ? null : facts.lastOrderDay;
    const diff = diffStored(inputs, row, score, ctx.today, { lastOrderDay, rescoreDay });
    if (diff) {
      changes.push({ customerId: inputs.get(row, COL.customer_id), score, ...diff, lastOrderDay, rescoreOnDay: rescoreDay });
    }
  }
  return changes;
}

/** A closed-open range of a stored value whose customers a recompute must re-score. */
export interface ValueRange {
  column: 'last_order_day' | 'rfm_frequency' | 'rfm_monetary_fen';
  from: number;
  to: number;
}

/**
 * The stored values whose R, F or M score can differ between the last run (its cut points
 * `before`, its day `beforeDay`) and now (`after`, `today`), both in threshold form. F and M
 * count cuts with value ≥ t: the values between an old and a new cut. R counts cuts with days
 * since the last order ≤ t, i.e. last order day ≥ day − t. A row the last run left holds R as
 * of `beforeDay`: its range runs from the old cut then to the new cut today (`ranges`). Live
 * re-scoring holds R as of `beforeDay` too (score.ts, recencyAsOf), so `ranges` covers its rows;
 * a row re-scored live by a version before that held R as of some day up to today with the old
 * cuts: its range also spans the old cut as of today (`liveRanges`, used only after a run that
 * predates it).
 */
export function cutRanges(before: CutPoints, after: CutPoints, beforeDay: number, today: number): { ranges: ValueRange[]; liveRanges: ValueRange[] } {
  const ranges: ValueRange[] = [];
  const liveRanges: ValueRange[] = [];
  const between = (into: ValueRange[], column: ValueRange['column'], ...bounds: number[]) => {
    const [from, to] = [Math.min(...bounds), Math.max(...bounds)];
    if (from < to) into.push({ column, from, to });
  };
  before.recencyDays.forEach((t, k) => {
    between(ranges, 'last_order_day', beforeDay - t, today - after.recencyDays[k]!);
    between(liveRanges, 'last_order_day', beforeDay - t, today - t, today - after.recencyDays[k]!);
  });
  before.frequency.forEach((t, k) => between(ranges, 'rfm_frequency', t, after.frequency[k]!));
  before.monetaryFen.forEach((t, k) => between(ranges, 'rfm_monetary_fen', t, after.monetaryFen[k]!));
  return { ranges, liveRanges };
}
