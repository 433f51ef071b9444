/**
 * Incremental re-scoring: when customers' orders, events or profiles change
 * (customers.changed), re-score just them against the cut points and settings of the last
 * full recompute, so classes stay live between recomputes. Idempotent and order-independent:
 * it re-reads the current state and writes only differences.
 */
import { localDayNumber } from './days.ts';
import { computeChanges } from './changes.ts';
import { readInputs } from './inputs.repository.ts';
import { lastCompletedRun } from './runs.repository.ts';
import { applyChanges, lockScores, removeMerged } from './scores.repository.ts';
import { CutPointsSchema, type CutPoints, type ScoringSettings } from './scoring.schemas.ts';
import type { RunRow } from './runs.repository.ts';
import type { ScoringDeps } from './scoring.deps.ts';
import type { RecomputeService } from './recompute.service.ts';
import { parseStoredSettings } from './settings.service.ts';

/** Causes that cannot change a score (scoring's own announcements, tags). */
const IGNORED_CAUSES = new Set(['score', 'tag']);
/** More customers than this at once (an import) get a full recompute instead: cut points may move. */
export const LARGE_CHANGE = 2000;

/** Whether a change with these causes can change anyone's scores. */
export function affectsScores(causes: readonly string[]): boolean {
  return causes.some((c) => !IGNORED_CAUSES.has(c));
}

export interface RescoreResult {
  action: 'ignored' | 'full_requested' | 'rescored';
  rescored: number;
  changed: number;
}

function cutPointsOf(run: RunRow | undefined): CutPoints | null {
  const cut = CutPointsSchema.safeParse(run?.cut_points);
  return cut.success ? cut.data : null;
}

export function createIncrementalService(deps: ScoringDeps, recompute: RecomputeService) {
  async function rescore(workspaceId: string, customerIds: readonly number[], causes: readonly string[]): Promise<RescoreResult> {
    const ids = [...new Set(customerIds)];
    if (!ids.length || !affectsScores(causes)) return { action: 'ignored', rescored: 0, changed: 0 };
    const state = await lastCompletedRun(deps.db, workspaceId);
    // Only an import of many customers warrants a full run. Many customers in one batch of the
    // live feed (sustained ingestion lets messages pile up) are re-scored in chunks: escalating
    // those started a full recompute every few seconds under load.
    if (!state || (causes.includes('import') && ids.length > LARGE_CHANGE)) {
      await recompute.requestBySystem(workspaceId, state ? 'import' : 'first');
      return { action: 'full_requested', rescored: 0, changed: 0 };
    }
    const settings = parseStoredSettings(state.settings);
    if (!settings) {
      await recompute.requestBySystem(workspaceId, 'settings');
      return { action: 'full_requested', rescored: 0, changed: 0 };
    }
    const timeZone = await deps.timeZoneOf(workspaceId);
    const total = { rescored: 0, changed: 0 };
    for (let i = 0; i < ids.length; i += LARGE_CHANGE) {
      const r = await rescoreChunk(workspaceId, ids.slice(i, i + LARGE_CHANGE), { settings, timeZone });
      total.rescored += r.rescored;
      total.changed += r.changed;
    }
    return { action: 'rescored', ...total };
  }

  function rescoreChunk(workspaceId: string, ids: number[], o: { settings: ScoringSettings; timeZone: string }) {
    return deps.db.transaction().execute(async (trx) => {
      await lockScores(trx, workspaceId);
      // The cut points read under the lock: a recompute completes under it too, so every row
      // written after it uses its cut points (what its successor's run by changes relies on).
      const cuts = cutPointsOf(await lastCompletedRun(trx, workspaceId));
      const now = deps.clock.now();
      const today = localDayNumber(now, o.timeZone);
      const removed = await removeMerged(trx, workspaceId, now, ids);
      const inputs = await readInputs(trx, { workspaceId, timeZone: o.timeZone, window: o.settings.rfm.window, tierPeriod: o.settings.consumptionTier.period }, ids);
      // Read under the lock in this transaction: nobody else can have re-scored them since.
      const changes = computeChanges(inputs, { today, settings: o.settings, cuts }).map((c) => ({ ...c, prevScoredUs: null }));
      const applied = changes.length ? await applyChanges(trx, workspaceId, now, changes) : { applied: 0, notify: [], classChanged: 0 };
      const notify = [...removed, ...applied.notify];
      if (notify.length) await deps.publishChanged(trx, workspaceId, notify);
      return { rescored: inputs.length, changed: applied.applied + removed.length };
    });
  }

  return { rescore };
}

export type IncrementalService = ReturnType<typeof createIncrementalService>;
