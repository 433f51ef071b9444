/** Reports: the RFM matrix, lifecycle distributions, layers and tiers, transitions between two days. */
import { invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { endOfLocalDay, localDayNumber } from './days.ts';
import * as reports from './reports.repository.ts';
import { lastCompletedRun } from './runs.repository.ts';
import { classDimensions } from './rfm.ts';
import {
  BUSINESS_STAGES, CONSUMPTION_TIERS, CutPointsSchema, DAYS_STAGES, LIFECYCLE_MODELS, RFM_CLASSES, STAGE_STAGES, VALUE_LAYERS,
  type BusinessStage, type ConsumptionTier, type DaysStage, type Dimension, type LifecycleModel, type RfmClass, type StageStage, type ValueLayer,
} from './scoring.schemas.ts';
import type { ScoringDeps } from './scoring.deps.ts';
import { currentSettings } from './settings.service.ts';
import { BUSINESS_STRATEGIES, DAYS_STRATEGIES, RFM_STRATEGIES, STAGE_STRATEGIES, type StrategyText } from './strategies.ts';

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

const MODEL_COLUMN: Record<LifecycleModel, string> = { days: 'lifecycle_days_stage', stage: 'lifecycle_stage_stage', business: 'lifecycle_business_stage' };
const MODEL_KEYS: Record<LifecycleModel, readonly string[]> = { days: DAYS_STAGES, stage: STAGE_STAGES, business: BUSINESS_STAGES };
const MODEL_STRATEGIES: Record<LifecycleModel, Record<string, StrategyText>> = { days: DAYS_STRATEGIES, stage: STAGE_STRATEGIES, business: BUSINESS_STRATEGIES };
const DIMENSION_KEYS: Record<Dimension, readonly string[]> = {
  rfm_class: RFM_CLASSES, lifecycle_days: DAYS_STAGES, lifecycle_stage: STAGE_STAGES, lifecycle_business: BUSINESS_STAGES,
  value_layer: VALUE_LAYERS, consumption_tier: CONSUMPTION_TIERS,
};

interface StoredValues {
  rfm_class: string | null;
  lifecycle_days_stage: string | null;
  lifecycle_stage_stage: string;
  lifecycle_business_stage: string;
  value_layer: string;
  consumption_tier: string | null;
}

/** Stored keys as their contract types (the table's check constraints hold them to these). */
function scoreValues(r: StoredValues) {
  return {
    rfmClass: r.rfm_class as RfmClass | null,
    lifecycleDays: r.lifecycle_days_stage as DaysStage | null,
    lifecycleStage: r.lifecycle_stage_stage as StageStage,
    lifecycleBusiness: r.lifecycle_business_stage as BusinessStage,
    valueLayer: r.value_layer as ValueLayer,
    consumptionTier: r.consumption_tier as ConsumptionTier | null,
  };
}

export function createReportsService(deps: ScoringDeps) {
  const { db } = deps;

  async function rfmMatrix(ctx: WorkspaceContext) {
    const ws = ctx.workspaceId;
    const timeZone = await deps.timeZoneOf(ws);
    const [{ settings }, last, rows] = await Promise.all([
      currentSettings(db, ws),
      lastCompletedRun(db, ws),
      reports.rfmClassTotals(db, ws, timeZone, localDayNumber(deps.clock.now(), timeZone)),
    ]);
    const byClass = new Map(rows.map((r) => [r.rfm_class, r]));
    const classified = rows.filter((r) => r.rfm_class !== null);
    const customers = classified.reduce((n, r) => n + r.customers, 0);
    const revenue = classified.reduce((n, r) => n + r.revenue, 0);
    const cut = CutPointsSchema.safeParse(last?.cut_points);
    return {
      asOf: last?.finished_at ?? null,
      window: settings.rfm.window,
      method: settings.rfm.method,
      cutPoints: cut.success ? cut.data : null,
      totalCustomers: rows.reduce((n, r) => n + r.customers, 0),
      withoutOrders: byClass.get(null)?.customers ?? 0,
      classes: RFM_CLASSES.map((key) => {
        const r = byClass.get(key);
        return {
          key,
          ...classDimensions(key),
          customers: r?.customers ?? 0,
          share: share(r?.customers ?? 0, customers),
          revenueFen: r?.revenue ?? 0,
          revenueShare: share(r?.revenue ?? 0, revenue),
          avgRecencyDays: round1(r?.avg_recency ?? null),
          avgFrequency: round1(r?.avg_frequency ?? null),
          avgMonetaryFen: r?.avg_monetary === null || r?.avg_monetary === undefined ? null : Math.round(r.avg_monetary),
          strategy: RFM_STRATEGIES[key],
        };
      }),
    };
  }

  async function bucketsOf(ws: string) {
    const [rows, total] = await Promise.all([reports.distributions(db, ws), reports.totalScored(db, ws)]);
    const buckets = (column: string, keys: readonly string[]) => {
      const counts = new Map(rows.filter((r) => r.column === column).map((r) => [r.value, r.customers]));
      const list: (string | null)[] = [...keys, ...(counts.has(null) ? [null] : [])];
      return list.map((key) => ({ key, customers: counts.get(key) ?? 0, share: share(counts.get(key) ?? 0, total) }));
    };
    return { total, buckets };
  }

  async function lifecycle(ctx: WorkspaceContext) {
    const [{ settings }, { total, buckets }] = await Promise.all([currentSettings(db, ctx.workspaceId), bucketsOf(ctx.workspaceId)]);
    return {
      primary: settings.lifecycle.primary,
      totalCustomers: total,
      models: LIFECYCLE_MODELS.map((model) => ({
        model,
        buckets: buckets(MODEL_COLUMN[model], MODEL_KEYS[model]).map((b) => ({ ...b, strategy: b.key === null ? null : (MODEL_STRATEGIES[model][b.key] ?? null) })),
      })),
    };
  }

  async function layers(ctx: WorkspaceContext) {
    const [{ settings }, { total, buckets }] = await Promise.all([currentSettings(db, ctx.workspaceId), bucketsOf(ctx.workspaceId)]);
    return {
      totalCustomers: total,
      valueLayers: buckets('value_layer', VALUE_LAYERS),
      consumptionTiers: buckets('consumption_tier', CONSUMPTION_TIERS),
      tierPeriod: settings.consumptionTier.period,
    };
  }

  async function instants(ctx: WorkspaceContext, q: { from: string; to: string }) {
    if (q.from > q.to) throw invalid('scoring.invalid_range', 'from must not be after to', [{ field: 'from', reason: 'after_to' }]);
    const timeZone = await deps.timeZoneOf(ctx.workspaceId);
    return { fromAt: endOfLocalDay(q.from, timeZone), toAt: endOfLocalDay(q.to, timeZone) };
  }

  async function transitions(ctx: WorkspaceContext, q: { dimension: Dimension; from: string; to: string }) {
    const { fromAt, toAt } = await instants(ctx, q);
    const rows = await reports.transitionCounts(db, ctx.workspaceId, q.dimension, fromAt, toAt);
    const seen = new Set(rows.flatMap((r) => [r.from_v, r.to_v]));
    const values: (string | null)[] = [...DIMENSION_KEYS[q.dimension], ...(seen.has(null) ? [null] : [])];
    return {
      dimension: q.dimension, from: q.from, to: q.to, fromAt, toAt, values,
      cells: rows.map((r) => ({ from: r.from_v, to: r.to_v, customers: r.customers })),
      moved: rows.filter((r) => r.from_v !== r.to_v).reduce((n, r) => n + r.customers, 0),
    };
  }

  async function transitionCustomers(ctx: WorkspaceContext, q: { dimension: Dimension; from: string; to: string; fromValue?: string | undefined; toValue?: string | undefined; cursor?: number | undefined; limit: number }) {
    const { fromAt, toAt } = await instants(ctx, q);
    const rows = await reports.transitionCustomers(db, ctx.workspaceId, {
      dimension: q.dimension, fromAt, toAt, fromValue: q.fromValue ?? null, toValue: q.toValue ?? null, after: q.cursor ?? 0, limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit).map((r) => ({ customerId: r.customer_id, name: r.name, nickname: r.nickname }));
    return { items, nextCursor: rows.length > q.limit ? items.at(-1)!.customerId : null };
  }

  async function customer(ctx: WorkspaceContext, customerId: number) {
    if (!(await reports.customerExists(db, ctx.workspaceId, customerId))) throw notFound('customer.not_found', 'Customer not found');
    const timeZone = await deps.timeZoneOf(ctx.workspaceId);
    const { current: c, history } = await reports.customerScore(db, ctx.workspaceId, customerId);
    const today = localDayNumber(deps.clock.now(), timeZone);
    return {
      customerId,
      current: c
        ? {
            ...scoreValues(c),
            recencyDays: c.rfm_recency_days === null ? null : c.rfm_recency_days + today - localDayNumber(c.scored_at, timeZone),
            frequency: c.rfm_frequency, monetaryFen: c.rfm_monetary_fen, r: c.rfm_r, f: c.rfm_f, m: c.rfm_m,
            primaryStage: c.lifecycle_stage, scoredAt: c.scored_at,
          }
        : null,
      history: history.map((h) => ({ ...scoreValues(h), validFrom: h.valid_from, validTo: h.valid_to })),
    };
  }

  return { rfmMatrix, lifecycle, layers, transitions, transitionCustomers, customer };
}

export type ReportsService = ReturnType<typeof createReportsService>;
