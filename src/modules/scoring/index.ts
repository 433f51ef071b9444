/**
 * Scoring: RFM (quintile or thresholds, 8 classes), the three lifecycle models, value layers
 * and consumption tiers per customer, with their history. Full recomputes (scheduled, on
 * demand, after large imports) and incremental re-scoring on customers.changed; reports for
 * the console. Other modules read the scores through the customer_score_facts view.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import { affectsScores, createIncrementalService } from './incremental.service.ts';
import { createRecomputeService } from './recompute.service.ts';
import { createReportsService } from './reports.service.ts';
import { createScheduleService } from './schedule.service.ts';
import { registerScoringRoutes } from './scoring.routes.ts';
import type { ScoringDeps } from './scoring.deps.ts';
import type { CustomersChangedMessage } from '../customers/index.ts';
import { createSettingsService } from './settings.service.ts';

export type { ScoringDeps, RecomputeJob } from './scoring.deps.ts';
export type { Trigger } from './recompute.service.ts';
export { DEFAULT_SETTINGS } from './settings.ts';
export { affectsScores } from './incremental.service.ts';
export { RFM_STRATEGIES } from './strategies.ts';

export const SCORING_RECOMPUTE_JOB = 'scoring.recompute';
export const SCORING_CHANGES_JOB = 'scoring.customers-changed';
export const SCORING_NIGHTLY_JOB = 'scoring.nightly';
/** Re-scores customers whose stage or tier changed with the local day (every 10 minutes). */
export const SCORING_DUE_JOB = 'scoring.due';

/** The customers.changed message (owned by customers, see docs/architecture.md). */
export type CustomersChanged = CustomersChangedMessage;

export function createScoringModule(deps: ScoringDeps) {
  const recompute = createRecomputeService(deps);
  const incremental = createIncrementalService(deps, recompute);
  const settings = createSettingsService(deps, recompute);
  const reports = createReportsService(deps);
  const schedule = createScheduleService(deps, recompute);

  /** Re-scores the customers of a batch of customers.changed messages, merged per workspace. */
  async function onCustomersChanged(messages: readonly CustomersChanged[]) {
    const byWorkspace = new Map<string, { ids: number[]; causes: Set<string> }>();
    for (const m of messages) {
      if (!affectsScores(m.causes)) continue;
      const entry = byWorkspace.get(m.workspaceId) ?? { ids: [], causes: new Set<string>() };
      entry.ids.push(...m.customerIds);
      for (const c of m.causes) entry.causes.add(c);
      byWorkspace.set(m.workspaceId, entry);
    }
    const results = [];
    for (const [workspaceId, e] of byWorkspace) results.push(await incremental.rescore(workspaceId, e.ids, [...e.causes]));
    return results;
  }

  return {
    recompute,
    incremental,
    settings,
    reports,
    schedule,
    onCustomersChanged,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerScoringRoutes(app, authenticator, { recompute, reports, settings });
    },
  };
}

export type ScoringModule = ReturnType<typeof createScoringModule>;
