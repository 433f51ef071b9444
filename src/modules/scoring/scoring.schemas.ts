/**
 * Contracts of scoring: RFM classes, lifecycle stages, value layers and consumption tiers,
 * the per-workspace settings, and the HTTP replies (zod only; the console imports these).
 * The rules themselves are documented in docs/segmentation.md.
 */
import { z } from 'zod';

/** Index = (M low ? 4 : 0) + (R low ? 2 : 0) + (F low ? 1 : 0): see rfm.ts. */
export const RFM_CLASSES = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const;
export type RfmClass = (typeof RFM_CLASSES)[number];

export const LIFECYCLE_MODELS = ['days', 'stage', 'business'] as const;
export type LifecycleModel = (typeof LIFECYCLE_MODELS)[number];
export const DAYS_STAGES = ['silent', 'growth', 'active', 'decline'] as const;
export const STAGE_STAGES = ['reached', 'converted', 'active', 'silent', 'churned'] as const;
export const BUSINESS_STAGES = ['new', 'first_purchase', 'repeat', 'vip'] as const;
export type DaysStage = (typeof DAYS_STAGES)[number];
export type StageStage = (typeof STAGE_STAGES)[number];
export type BusinessStage = (typeof BUSINESS_STAGES)[number];
export const STAGES_OF: { days: readonly DaysStage[]; stage: readonly StageStage[]; business: readonly BusinessStage[] } = {
  days: DAYS_STAGES,
  stage: STAGE_STAGES,
  business: BUSINESS_STAGES,
};
export const VALUE_LAYERS = ['vip', 'normal', 'potential'] as const;
export type ValueLayer = (typeof VALUE_LAYERS)[number];
export const CONSUMPTION_TIERS = ['high', 'medium', 'basic'] as const;
export type ConsumptionTier = (typeof CONSUMPTION_TIERS)[number];

/** Windows customer_stats keeps (rolling N × 24 h), or all time. */
export const RFM_WINDOWS = ['all', 'd30', 'd90', 'd180', 'd365'] as const;
export type RfmWindow = (typeof RFM_WINDOWS)[number];
export const TIER_PERIODS = ['d30', 'd90', 'd180', 'd365'] as const;
export type TierPeriod = (typeof TIER_PERIODS)[number];

/** What a transition report compares. */
export const DIMENSIONS = ['rfm_class', 'lifecycle_days', 'lifecycle_stage', 'lifecycle_business', 'value_layer', 'consumption_tier'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const days = z.number().int().min(0).max(3650);
const count = z.number().int().min(1).max(100_000);
const fen = z.number().int().min(1).max(1e12);
const four = (item: z.ZodNumber) =>
  z
    .tuple([item, item, item, item])
    .describe('Four cut points, strictly ascending')
    .refine((v) => v.every((x, i) => i === 0 || x > v[i - 1]!), { message: 'Cut points must be strictly ascending' });
const score = z.number().int().min(2).max(5);

export const ScoringSettingsSchema = z
  .strictObject({
    rfm: z.strictObject({
      window: z.enum(RFM_WINDOWS).describe('Frequency and monetary count orders paid in this window; recency is always from the last order'),
      method: z.enum(['quintile', 'thresholds']).describe('quintile: 1–5 by position among customers with orders; thresholds: the cut points below'),
      thresholds: z.strictObject({
        recencyDays: four(days).describe('R = 5 within the first, 4 within the second … 1 beyond the fourth (days since the last order)'),
        frequency: four(count).describe('F = 2 from the first, 3 from the second … 5 from the fourth (orders)'),
        monetaryFen: four(fen).describe('M = 2 from the first … 5 from the fourth (fen, net of refunds)'),
      }),
      highFrom: z.strictObject({ r: score, f: score, m: score }).describe('A score at or above this is "high" for the 8 classes'),
    }),
    lifecycle: z.strictObject({
      primary: z.enum(LIFECYCLE_MODELS).describe('The model whose stage is the customer’s lifecycle stage'),
      days: z.strictObject({ silentMaxDays: days, growthMaxDays: days, activeMaxDays: days }),
      stage: z.strictObject({
        activeOrderWithinDays: days.describe('active: the last order at most this many days ago'),
        silentAfterDays: days.describe('silent: more than this many days without an order or interaction'),
        churnedAfterDays: days.describe('churned: more than this many days without an order or interaction'),
      }),
      business: z.strictObject({
        repeatMinOrders: z.number().int().min(2).max(1000),
        vipMinOrders: count.nullable(),
        vipMinAmountFen: fen.nullable(),
      }),
    }),
    valueLayer: z.strictObject({
      vipMinOrders: count,
      vipMinAovFen: fen,
      vipMinInteractions: z.number().int().min(0).max(1_000_000),
      potentialMinAovFen: fen,
      potentialMinInteractions: z.number().int().min(1).max(1_000_000),
    }),
    consumptionTier: z.strictObject({
      period: z.enum(TIER_PERIODS).describe('Spend in this window averaged per month'),
      highFromFen: fen.describe('high: at least this much per month on average'),
      mediumFromFen: fen.describe('medium: at least this much per month (below: basic)'),
    }),
    schedule: z.strictObject({ nightlyHour: z.number().int().min(0).max(23).describe('Local hour of the nightly full recompute') }),
  })
  .superRefine((s, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const d = s.lifecycle.days;
    if (!(d.silentMaxDays < d.growthMaxDays && d.growthMaxDays < d.activeMaxDays)) issue(['lifecycle', 'days'], 'silentMaxDays < growthMaxDays < activeMaxDays');
    if (s.lifecycle.stage.silentAfterDays >= s.lifecycle.stage.churnedAfterDays) issue(['lifecycle', 'stage', 'churnedAfterDays'], 'churnedAfterDays must be more than silentAfterDays');
    const b = s.lifecycle.business;
    if (b.vipMinOrders === null && b.vipMinAmountFen === null) issue(['lifecycle', 'business'], 'Give vipMinOrders, vipMinAmountFen or both');
    if (b.vipMinOrders !== null && b.vipMinOrders <= b.repeatMinOrders) issue(['lifecycle', 'business', 'vipMinOrders'], 'vipMinOrders must be more than repeatMinOrders');
    if (s.consumptionTier.mediumFromFen >= s.consumptionTier.highFromFen) issue(['consumptionTier', 'mediumFromFen'], 'mediumFromFen must be less than highFromFen');
  });
export type ScoringSettings = z.output<typeof ScoringSettingsSchema>;

/** Effective cut points in threshold form (quintile runs derive them from the data). */
export const CutPointsSchema = z.object({
  recencyDays: z.array(z.number().int()).length(4),
  frequency: z.array(z.number().int()).length(4),
  monetaryFen: z.array(z.number().int()).length(4),
});
export type CutPoints = { recencyDays: number[]; frequency: number[]; monetaryFen: number[] };

// ---- HTTP contracts --------------------------------------------------------------------

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const RunSchema = z.object({
  id: z.string(),
  trigger: z.string(),
  status: z.enum(RUN_STATUSES),
  phase: z.string().nullable(),
  mode: z.enum(['full', 'changes']).nullable().describe('full: every customer was read; changes: only the customers whose scores could have changed since the last run (docs/segmentation.md); null until decided'),
  customers: z.number().int().describe('Customers scored'),
  changed: z.number().int().describe('Customers whose stored scores changed'),
  classChanged: z.number().int().describe('Customers whose class, stage, layer or tier changed'),
  cutPoints: CutPointsSchema.nullable(),
  timings: z
    .record(z.string(), z.number())
    .nullable()
    .describe('Milliseconds per phase of a finished run: find (the customers a run by changes re-scores), read (their inputs), score, write (rows and history), announce (the customers.changed feed), distribution (cut points; a recount)'),
  error: z.string().nullable(),
  requestedBy: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  seconds: z.number().nullable(),
});
export const RunIdParamsSchema = z.strictObject({ runId: z.uuid() });
export const RecomputeBodySchema = z.strictObject({ full: z.boolean().optional().describe('Read every customer instead of only those whose scores could have changed') }).optional();
export const RunListSchema = z.object({ items: z.array(RunSchema) });
export const RecomputeReplySchema = z.object({ run: RunSchema, created: z.boolean().describe('false when a recompute was already queued or running') });

export const SettingsReplySchema = z.object({
  settings: ScoringSettingsSchema,
  isDefault: z.boolean(),
  updatedAt: z.date().nullable(),
  updatedBy: z.string().nullable(),
  timeZone: z.string(),
});
export const PutSettingsReplySchema = SettingsReplySchema.extend({ run: RunSchema.describe('The recompute that applies the new settings') });

const Strategy = z.object({ zh: z.string(), en: z.string() });
export const RfmMatrixSchema = z.object({
  asOf: z.date().nullable().describe('When the last full recompute finished'),
  window: z.enum(RFM_WINDOWS),
  method: z.enum(['quintile', 'thresholds']),
  cutPoints: CutPointsSchema.nullable(),
  totalCustomers: z.number().int(),
  withoutOrders: z.number().int().describe('Customers without orders: no RFM class'),
  classes: z.array(
    z.object({
      key: z.enum(RFM_CLASSES),
      r: z.enum(['high', 'low']),
      f: z.enum(['high', 'low']),
      m: z.enum(['high', 'low']),
      customers: z.number().int(),
      share: z.number().describe('Of the customers with a class, 0–1'),
      revenueFen: z.number().int(),
      revenueShare: z.number().describe('Of the monetary value of all classes, 0–1'),
      avgRecencyDays: z.number().nullable().describe('Days since the last order, as of today'),
      avgFrequency: z.number().nullable(),
      avgMonetaryFen: z.number().nullable(),
      strategy: Strategy,
    }),
  ),
});

const Bucket = z.object({ key: z.string().nullable().describe('null: customers without a value (see the model)'), customers: z.number().int(), share: z.number() });
export const LifecycleReplySchema = z.object({
  primary: z.enum(LIFECYCLE_MODELS),
  totalCustomers: z.number().int(),
  models: z.array(z.object({ model: z.enum(LIFECYCLE_MODELS), buckets: z.array(Bucket.extend({ strategy: Strategy.nullable() })) })),
});
export const LayersReplySchema = z.object({
  totalCustomers: z.number().int(),
  valueLayers: z.array(Bucket),
  consumptionTiers: z.array(Bucket),
  tierPeriod: z.enum(TIER_PERIODS),
});

const day = z.iso.date();
export const TransitionsQuerySchema = z.strictObject({
  dimension: z.enum(DIMENSIONS).default('rfm_class'),
  from: day.describe('Compare the state at the end of this day (workspace time zone) …'),
  to: day.describe('… with the state at the end of this day'),
});
export const TransitionsReplySchema = z.object({
  dimension: z.enum(DIMENSIONS),
  from: z.string(),
  to: z.string(),
  fromAt: z.date(),
  toAt: z.date(),
  values: z.array(z.string().nullable()).describe('Row and column keys; null: no value (no class, not scored, merged away)'),
  cells: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), customers: z.number().int() })),
  moved: z.number().int().describe('Customers whose value differs between the two days'),
});
export const TransitionCustomersQuerySchema = TransitionsQuerySchema.extend({
  fromValue: z.string().max(40).optional().describe('Omit for customers without a value on the first day'),
  toValue: z.string().max(40).optional().describe('Omit for customers without a value on the second day'),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const TransitionCustomersReplySchema = z.object({
  items: z.array(z.object({ customerId: z.number().int(), name: z.string().nullable(), nickname: z.string().nullable() })),
  nextCursor: z.number().int().nullable(),
});

export const CustomerIdParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const ScoreValues = z.object({
  rfmClass: z.enum(RFM_CLASSES).nullable(),
  lifecycleDays: z.enum(DAYS_STAGES).nullable(),
  lifecycleStage: z.enum(STAGE_STAGES),
  lifecycleBusiness: z.enum(BUSINESS_STAGES),
  valueLayer: z.enum(VALUE_LAYERS),
  consumptionTier: z.enum(CONSUMPTION_TIERS).nullable(),
});
export const CustomerScoreReplySchema = z.object({
  customerId: z.number().int(),
  current: ScoreValues.extend({
    recencyDays: z.number().int().nullable().describe('As of today'),
    frequency: z.number().int().nullable(),
    monetaryFen: z.number().int().nullable(),
    r: z.number().int().nullable(),
    f: z.number().int().nullable(),
    m: z.number().int().nullable(),
    primaryStage: z.string().nullable(),
    scoredAt: z.date(),
  }).nullable(),
  history: z.array(ScoreValues.extend({ validFrom: z.date(), validTo: z.date().nullable() })),
});
