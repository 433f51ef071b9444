/**
 * Incremental re-scoring: when customers' orders, events or profiles change
 * (customers.changed), re-score just them against the cut points and settings of the last
 * full recompute, so classes stay live between recomputes. Idempotent and order-independent:
 * it re-reads the current state and writes only differences.
 */
import { localDayNumber } from './days.ts';
import { computeChanges } from './changes.ts';
import { readInputs } from './inputs.repository.ts';
import { lastCompletedRun, scoredWorkspaces } from './runs.repository.ts';
import { applyChanges, dueCustomers, lockScores, removeMerged } from './scores.repository.ts';
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
    return { action: 'rescored', ...(await rescoreInChunks(workspaceId, ids, { settings, timeZone })) };
  }

  /** Re-scores customers in transactions of at most LARGE_CHANGE customers each. */
  async function rescoreInChunks(workspaceId: string, ids: readonly number[], o: { settings: ScoringSettings; timeZone: string }) {
    const total = { rescored: 0, changed: 0 };
    for (let i = 0; i < ids.length; i += LARGE_CHANGE) {
      const r = await rescoreChunk(workspaceId, ids.slice(i, i + LARGE_CHANGE), o);
      total.rescored += r.rescored;
      total.changed += r.changed;
    }
    return total;
  }

  function rescoreChunk(workspaceId: string, ids: number[], o: { settings: ScoringSettings; timeZone: string }) {
    return deps.db.transaction().execute(async (trx) => {
      await lockScores(trx, workspaceId);
      // The cut points read under the lock: a recompute completes under it too, so every row
      // written after it uses its cut points (what its successor's run by changes relies on).
      const last = await lastCompletedRun(trx, workspaceId);
      const cuts = cutPointsOf(last);
      const now = deps.clock.now();
      const today = localDayNumber(now, o.timeZone);
      // R as of the last run's day, as it left every other row (never a day ahead of today).
      const runDay = last?.today_day ?? null;
      const recencyAsOf = runDay === null ? null : Math.min(runDay, today);
      const removed = await removeMerged(trx, workspaceId, now, ids);
      const inputs = await readInputs(trx, { workspaceId, timeZone: o.timeZone, window: o.settings.rfm.window, tierPeriod: o.settings.consumptionTier.period }, ids);
      // Read under the lock in this transaction: nobody else can have re-scored them since.
      const changes = computeChanges(inputs, { today, settings: o.settings, cuts, recencyAsOf }).map((c) => ({ ...c, prevScoredUs: null }));
      const applied = changes.length ? await applyChanges(trx, workspaceId, now, changes) : { applied: 0, notify: [], classChanged: 0 };
      const notify = [...removed, ...applied.notify];
      if (notify.length) await deps.publishChanged(trx, workspaceId, notify);
      return { rescored: inputs.length, changed: applied.applied + removed.length };
    });
  }

  /**
   * Re-scores the customers whose re-score day has come (a stage or tier that changes with time
   * alone): after local midnight the worker brings them up to date, as live re-scoring does for
   * new data, instead of leaving them to the nightly recompute. Stored re-score days are always
   * after the day they were written, so customers become due only when the local day turns:
   * `since` (the local day of the last pass, kept by the caller) skips workspaces already passed
   * today. Returns the local day passed and the customers re-scored.
   */
  async function rescoreDue(workspaceId: string, since: number | null): Promise<{ day: number | null; rescored: number; changed: number }> {
    const state = await lastCompletedRun(deps.db, workspaceId);
    const settings = state && parseStoredSettings(state.settings);
    if (!state || !settings) return { day: null, rescored: 0, changed: 0 };
    const timeZone = await deps.timeZoneOf(workspaceId);
    const today = localDayNumber(deps.clock.now(), timeZone);
    if (since !== null && since >= today) return { day: since, rescored: 0, changed: 0 };
    const ids = await dueCustomers(deps.db, workspaceId, today);
    return { day: today, ...(await rescoreInChunks(workspaceId, ids, { settings, timeZone })) };
  }

  /** The local day of each workspace's last pass in this process (a restart passes once more: harmless). */
  const passed = new Map<string, number>();

  /** rescoreDue for every workspace with a completed recompute (the worker's job, every few minutes). */
  async function rescoreDueAll(): Promise<{ workspaces: number; rescored: number; changed: number }> {
    const total = { workspaces: 0, rescored: 0, changed: 0 };
    for (const workspaceId of await scoredWorkspaces(deps.db)) {
      const r = await rescoreDue(workspaceId, passed.get(workspaceId) ?? null);
      if (r.day !== null) passed.set(workspaceId, r.day);
      if (r.rescored) total.workspaces++;
      total.rescored += r.rescored;
      total.changed += r.changed;
    }
    return total;
  }

  return { rescore, rescoreDue, rescoreDueAll };
}

export type IncrementalService = ReturnType<typeof createIncrementalService>;
