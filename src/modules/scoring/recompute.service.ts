/**
 * Full recompute of a workspace: stream every customer's inputs (binary COPY over
 * customer_stats, not the raw orders), derive the cut points and scores in memory, and write
 * back only the rows that changed — staged with COPY (PostgreSQL) or unnest (embedded) and
 * applied in customer-id chunks, each one transaction with its history and change feed.
 */
import { sql } from 'kysely';
import { notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { computeChanges, cutPointsFor, type ScoreChange } from './changes.ts';
import { localDayNumber } from './days.ts';
import { streamAllInputs } from './inputs.repository.ts';
import * as runs from './runs.repository.ts';
import { analyzeTables, applyChanges, applyStaged, clearStaging, lockScores, removeMerged, stageWithCopy, stageWithInsert } from './scores.repository.ts';
import type { RecomputeJob, ScoringDeps, Trx } from './scoring.deps.ts';
import { currentSettings } from './settings.service.ts';
import { runView } from './views.ts';

export type Trigger = 'manual' | 'schedule' | 'settings' | 'import' | 'first';

/** A run still "running" after this long is presumed abandoned by a crashed process. */
const STALE_MS = 60 * 60 * 1000;
/** Up to this many changes are applied straight from unnest arrays; more are staged first. */
const DIRECT_LIMIT = 20_000;
const APPLY_CHUNK = 50_000;

export function createRecomputeService(deps: ScoringDeps) {
  const { db, clock } = deps;

  /** Queues a recompute unless one is queued or running (then returns that one), in the caller's transaction. */
  async function requestInTransaction(trx: Trx, workspaceId: string, trigger: Trigger, requestedBy: string | null) {
    await sql`select pg_advisory_xact_lock(7322, hashtext(${workspaceId}))`.execute(trx);
    const now = clock.now();
    await runs.failStaleRun(trx, workspaceId, new Date(now.getTime() - STALE_MS), now);
    const pending = await runs.findPendingRun(trx, workspaceId);
    if (pending) return { run: pending, created: false };
    const run = await runs.insertRun(trx, { workspaceId, id: newId(), trigger, requestedBy, now });
    await deps.enqueueRecompute(trx, { workspaceId, runId: run.id });
    return { run, created: true };
  }

  /** Queues a recompute for a caller (API, CLI): audited. */
  async function request(ctx: WorkspaceContext, trigger: Trigger = 'manual') {
    const { run, created } = await db.transaction().execute(async (trx) => {
      const r = await requestInTransaction(trx, ctx.workspaceId, trigger, ctx.actor.label);
      await recordAudit(trx, ctx, { action: 'scoring.recompute', targetType: 'scoring_run', targetId: r.run.id, details: { trigger, created: r.created } });
      return r;
    });
    return { run: runView(run), created };
  }

  /** Queues a recompute on the system's behalf (schedule, imports, first scoring). */
  function requestBySystem(workspaceId: string, trigger: Trigger) {
    return db.transaction().execute((trx) => requestInTransaction(trx, workspaceId, trigger, null));
  }

  async function getRun(ctx: WorkspaceContext, runId: string) {
    const run = await runs.getRun(db, ctx.workspaceId, runId);
    if (!run) throw notFound('scoring_run.not_found', 'Recompute run not found');
    return runView(run);
  }

  async function listRuns(ctx: WorkspaceContext, limit = 20) {
    return { items: (await runs.listRuns(db, ctx.workspaceId, limit)).map(runView) };
  }

  /**
   * Runs a queued recompute (the job handler, or the CLI in-process). Returns null if another
   * process has it. `directLimit`: up to this many changes are applied without staging.
   */
  async function run(job: RecomputeJob, options: { directLimit?: number } = {}) {
    const { workspaceId, runId } = job;
    const now = clock.now();
    const claimed = await runs.claimRun(db, workspaceId, runId, now, new Date(now.getTime() - STALE_MS));
    if (!claimed) return null;
    try {
      const { settings } = await currentSettings(db, workspaceId);
      const timeZone = await deps.timeZoneOf(workspaceId);
      const today = localDayNumber(now, timeZone);
      const q = { workspaceId, timeZone, window: settings.rfm.window, tierPeriod: settings.consumptionTier.period };
      const inputs = await streamAllInputs(deps.pool, q, (rows) => void runs.updateRun(db, workspaceId, runId, { customers: rows }).catch(() => {}));
      await runs.updateRun(db, workspaceId, runId, { phase: 'scoring', customers: inputs.length });
      const cuts = cutPointsFor(inputs, settings, today);
      const changes = computeChanges(inputs, { today, settings, cuts });
      await runs.updateRun(db, workspaceId, runId, { phase: 'writing', changed: changes.length });
      const removed = await db.transaction().execute(async (trx) => {
        await lockScores(trx, workspaceId);
        const ids = await removeMerged(trx, workspaceId, now);
        if (ids.length) await deps.publishChanged(trx, workspaceId, ids);
        return ids.length;
      });
      const written = await write(workspaceId, runId, now, changes, options.directLimit ?? DIRECT_LIMIT);
      await runs.updateRun(db, workspaceId, runId, {
        status: 'completed', phase: null, changed: written.applied + removed, class_changed: written.classChanged + removed,
        today_day: today, settings, cut_points: cuts, finished_at: clock.now(),
      });
    } catch (err) {
      await runs.updateRun(db, workspaceId, runId, { status: 'failed', error: (err as Error).message.slice(0, 1000), finished_at: clock.now() });
      await clearStaging(db, workspaceId, runId).catch(() => {});
      throw err;
    }
    return runView((await runs.getRun(db, workspaceId, runId))!);
  }

  /** Writes the changes: directly when few, else staged and applied in customer-id chunks. */
  async function write(workspaceId: string, runId: string, now: Date, changes: ScoreChange[], directLimit: number) {
    const total = { applied: 0, classChanged: 0 };
    const applyInTransaction = (apply: (trx: Trx) => Promise<{ applied: number; notify: number[]; classChanged: number }>) =>
      db.transaction().execute(async (trx) => {
        await lockScores(trx, workspaceId);
        const r = await apply(trx);
        if (r.notify.length) await deps.publishChanged(trx, workspaceId, r.notify);
        total.applied += r.applied;
        total.classChanged += r.classChanged;
      });
    if (changes.length <= directLimit) {
      for (let i = 0; i < changes.length; i += 5000) await applyInTransaction((trx) => applyChanges(trx, workspaceId, now, changes.slice(i, i + 5000)));
      return total;
    }
    await clearStaging(db, workspaceId, runId);
    if (deps.canCopyFrom) await stageWithCopy(deps.pool, workspaceId, runId, changes);
    else await stageWithInsert(db, workspaceId, runId, changes);
    await analyzeTables(db, 'staging');
    const ids = Float64Array.from(changes, (c) => c.customerId).sort();
    for (let i = 0; i < ids.length; i += APPLY_CHUNK) {
      const [from, to] = [ids[i]!, ids[Math.min(ids.length, i + APPLY_CHUNK) - 1]!];
      await applyInTransaction((trx) => applyStaged(trx, workspaceId, runId, now, from, to));
    }
    await clearStaging(db, workspaceId, runId);
    await analyzeTables(db, 'scores');
    return total;
  }

  return { requestInTransaction, request, requestBySystem, getRun, listRuns, run };
}

export type RecomputeService = ReturnType<typeof createRecomputeService>;
