/** Default scoring settings of a workspace (until an operator saves their own). */
import type { ScoringSettings } from './scoring.schemas.ts';

export const DEFAULT_SETTINGS: ScoringSettings = {
  rfm: {
    window: 'd365',
    method: 'quintile',
    thresholds: {
      recencyDays: [30, 60, 90, 180],
      frequency: [2, 3, 5, 8],
      monetaryFen: [10_000, 30_000, 100_000, 300_000],
    },
    highFrom: { r: 3, f: 3, m: 3 },
  },
  lifecycle: {
    primary: 'days',
    days: { silentMaxDays: 30, growthMaxDays: 90, activeMaxDays: 180 },
    stage: { activeOrderWithinDays: 60, silentAfterDays: 60, churnedAfterDays: 180 },
    business: { repeatMinOrders: 2, vipMinOrders: 5, vipMinAmountFen: 500_000 },
  },
  valueLayer: { vipMinOrders: 3, vipMinAovFen: 30_000, vipMinInteractions: 0, potentialMinAovFen: 30_000, potentialMinInteractions: 10 },
  consumptionTier: { period: 'd365', highFromFen: 200_000, mediumFromFen: 50_000 },
  schedule: { nightlyHour: 2 },
};
