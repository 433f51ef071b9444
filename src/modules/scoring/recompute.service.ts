/**
 * Recompute of a workspace: every customer's scores as of now, written back where they changed.
 * Two ways to find the customers, with the same result (docs/segmentation.md):
 *
 * - changes (the usual run): incremental re-scoring keeps every stored row current between
 *   runs, so only customers whose scores can have moved since are re-scored — those whose
 *   re-score day has come (a threshold crossed as time passed) and those whose R, F or M value
 *   lies between an old and a new cut point. Cut points come from the kept distribution. One
 *   transaction under the scores lock.
 * - full (first scoring, imports, new settings or time zone, on request, or when the changes
 *   are many): stream every customer's inputs (binary COPY over customer_stats, not the raw
 *   orders), derive the cut points and scores in memory, and write back the rows that changed —
 *   staged with COPY (PostgreSQL) or unnest (embedded) and applied in customer-id chunks, each
 *   one transaction with its history and change feed.
 */
import { sql } from 'kysely';
import { notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { computeChanges, cutPointsFor, cutRanges, type ScoreChange } from './changes.ts';
import { localDayNumber } from './days.ts';
import { readInputs, streamAllInputs, type InputQuery } from './inputs.repository.ts';
import { cutPointsOfBounds, locate, quintileBoundsOfCounts, quintilePositions, totalOf, type Distribution } from './rfm.ts';
import * as runs from './runs.repository.ts';
import {
  analyzeTables, applyChanges, applyStaged, clearStaging, countActiveCustomers, findRescoreCandidates, lockScores, monetaryAt, readDistribution, rebuildDistribution, removeMerged,
  rescoredSince, stageWithCopy, stageWithInsert,
} from './scores.repository.ts';
import { CutPointsSchema, type CutPoints, type ScoringSettings } from './scoring.schemas.ts';
import type { RecomputeJob, ScoringDeps, Trx } from './scoring.deps.ts';
import type { ScoringContext } from './score.ts';
import { currentSettings, parseStoredSettings } from './settings.service.ts';
import { runView } from './views.ts';

export type Trigger = 'manual' | 'schedule' | 'settings' | 'import' | 'first';
/** Triggers whose changes incremental re-scoring did not follow: the run reads every customer. */
const FULL_TRIGGERS: ReadonlySet<Trigger> = new Set(['settings', 'import', 'first']);

/** A run still "running" after this long is presumed abandoned by a crashed process. */
const STALE_MS = 60 * 60 * 1000;
/** Up to this many changes are applied straight from unnest arrays; more are staged first. */
const DIRECT_LIMIT = 20_000;
const APPLY_CHUNK = 50_000;
/** Customers re-scored per statement in a run by changes. */
const CHANGES_CHUNK = 5000;
/** A run by changes with more candidates than this share of the customers reads every customer instead (streaming is cheaper in bulk). */
const CHANGES_MAX_SHARE = 0.2;

/** The run a run by changes starts from. */
interface Previous {
  cuts: CutPoints;
  day: number;
  finishedAt: Date;
  /** Live re-scoring since it scored R as of its day (migration 0067). */
  liveAsOfRun: boolean;
}

/** Milliseconds per phase of a run (scoring_runs.timings), summed over its chunks. */
function phaseTimer() {
  const ms: Record<string, number> = {};
  return {
    async time<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
      const started = performance.now();
      try {
        return await work();
      } finally {
        ms[phase] = (ms[phase] ?? 0) + performance.now() - started;
      }
    },
    result: (): Record<string, number> => Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])),
  };
}
type PhaseTimer = ReturnType<typeof phaseTimer>;

export function createRecomputeService(deps: ScoringDeps) {
  const { db, clock } = deps;

  /** Queues a recompute unless one is queued or running (then returns that one), in the caller's transaction. */
  async function requestInTransaction(trx: Trx, workspaceId: string, trigger: Trigger, requestedBy: string | null, full = false) {
    await sql`select pg_advisory_xact_lock(7322, hashtext(${workspaceId}))`.execute(trx);
    const now = clock.now();
    if (full || FULL_TRIGGERS.has(trigger)) await runs.requestFull(trx, workspaceId);
    await runs.failStaleRun(trx, workspaceId, new Date(now.getTime() - STALE_MS), now);
    const pending = await runs.findPendingRun(trx, workspaceId);
    if (pending) return { run: pending, created: false };
    const run = await runs.insertRun(trx, { workspaceId, id: newId(), trigger, requestedBy, now });
    await deps.enqueueRecompute(trx, { workspaceId, runId: run.id });
    return { run, created: true };
  }

  /** Queues a recompute for a caller (API, CLI): audited. */
  async function request(ctx: WorkspaceContext, trigger: Trigger = 'manual', options: { full?: boolean } = {}) {
    const full = options.full ?? false;
    const { run, created } = await db.transaction().execute(async (trx) => {
      const r = await requestInTransaction(trx, ctx.workspaceId, trigger, ctx.actor.label, full);
      await recordAudit(trx, ctx, { action: 'scoring.recompute', targetType: 'scoring_run', targetId: r.run.id, details: { trigger, created: r.created, full } });
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
      const q: InputQuery = { workspaceId, timeZone, window: settings.rfm.window, tierPeriod: settings.consumptionTier.period };
      const previous = await byChangesFrom(workspaceId, settings, timeZone);
      const outcome = previous ? await runByChanges(runId, q, { now, today, settings, previous, timer: phaseTimer() }) : 'full';
      if (outcome !== 'done') {
        // The distribution is kept by every write; it is counted again when it disagreed with the
        // customers, or when the last run is older than it (scores written before it was kept).
        const last = await runs.lastCompletedRun(db, workspaceId);
        const recount = outcome === 'distribution' || (!!last && !last.mode);
        await runFull(runId, q, { now, today, settings, recount, timer: phaseTimer() }, options.directLimit ?? DIRECT_LIMIT);
      }
    } catch (err) {
      await runs.updateRun(db, workspaceId, runId, { status: 'failed', error: (err as Error).message.slice(0, 1000), finished_at: clock.now() });
      await clearStaging(db, workspaceId, runId).catch(() => {});
      throw err;
    }
    return runView((await runs.getRun(db, workspaceId, runId))!);
  }

  /**
   * The run whose stored scores a run by changes starts from, or null when this run must read
   * every customer: nothing was scored since this migration, a full run was asked for since the
   * last one, or the settings or time zone differ from the last run's.
   */
  async function byChangesFrom(workspaceId: string, settings: ScoringSettings, timeZone: string): Promise<Previous | null> {
    const [previous, lastFull, asked] = await Promise.all([
      runs.lastCompletedRun(db, workspaceId), runs.lastCompletedRun(db, workspaceId, 'full'), runs.fullRequests(db, workspaceId),
    ]);
    if (!previous?.mode || !previous.finished_at || !lastFull || previous.time_zone !== timeZone || previous.today_day === null) return null;
    if (asked > Number(lastFull.full_requests_seen ?? 0)) return null;
    const stored = parseStoredSettings(previous.settings);
    if (!stored || JSON.stringify(stored) !== JSON.stringify(settings)) return null;
    const cut = CutPointsSchema.safeParse(previous.cut_points);
    return { cuts: cut.success ? cut.data : settings.rfm.thresholds, day: previous.today_day, finishedAt: previous.finished_at, liveAsOfRun: previous.live_recency_as_of_run };
  }

  /**
   * Re-scores the customers whose scores can have changed since `previous`, in one transaction
   * under the scores lock (incremental re-scoring waits; it then uses this run's cut points).
   * 'distribution' when the kept distribution disagrees with the customers, 'many' when the
   * candidates are many: the caller reads every customer instead.
   */
  async function runByChanges(
    runId: string,
    q: InputQuery,
    o: { now: Date; today: number; settings: ScoringSettings; previous: Previous; timer: PhaseTimer },
  ): Promise<'done' | 'distribution' | 'many'> {
    const { workspaceId } = q;
    const { time } = o.timer;
    return db.transaction().execute(async (trx) => {
      await lockScores(trx, workspaceId);
      const [distribution, active] = await time('distribution', () => Promise.all([readDistribution(trx, workspaceId), countActiveCustomers(trx, workspaceId)]));
      // A customer not scored yet, or scores left of a merged-away one: only a full run finds them.
      if (!distribution || distribution.scored !== active) return 'distribution';
      const cuts = o.settings.rfm.method === 'thresholds' ? o.settings.rfm.thresholds : await time('distribution', () => cutPointsOfDistribution(trx, workspaceId, distribution.dimensions, o.today));
      if (cuts === undefined) return 'distribution';
      const { ranges, liveRanges } = cutRanges(o.previous.cuts, cuts ?? o.settings.rfm.thresholds, o.previous.day, o.today);
      // Since a run that marks it, live re-scoring holds R as of that run's day, as the rows the
      // run left: `ranges` covers both. Before, live rows held R as of their own day.
      const ids = await time('find', () =>
        findRescoreCandidates(trx, workspaceId, { today: o.today, sinceDay: o.previous.day, liveSince: o.previous.finishedAt, ranges, liveRanges: o.previous.liveAsOfRun ? [] : liveRanges }),
      );
      if (ids.length > Math.max(DIRECT_LIMIT, active * CHANGES_MAX_SHARE)) return 'many';
      await runs.updateRun(trx, workspaceId, runId, { phase: 'scoring', customers: ids.length, mode: 'changes' });
      const total = await rescoreLocked(trx, q, ids, { today: o.today, settings: o.settings, cuts }, () => o.now, o.timer);
      await runs.updateRun(trx, workspaceId, runId, {
        status: 'completed', phase: null, changed: total.applied, class_changed: total.classChanged,
        today_day: o.today, settings: o.settings, cut_points: cuts, time_zone: q.timeZone, finished_at: clock.now(), timings: o.timer.result(), live_recency_as_of_run: true,
      });
      return 'done' as const;
    });
  }

  /**
   * Re-scores `ids` in chunks and writes and announces what changed, in the caller's
   * transaction, which holds the scores lock: the stored rows were read under it, so nobody can
   * have re-scored them since. `writtenAt` gives each chunk's scored_at.
   */
  async function rescoreLocked(trx: Trx, q: InputQuery, ids: readonly number[], ctx: ScoringContext, writtenAt: () => Date, timer: PhaseTimer) {
    const { time } = timer;
    const total = { applied: 0, classChanged: 0 };
    for (let i = 0; i < ids.length; i += CHANGES_CHUNK) {
      const inputs = await time('read', () => readInputs(trx, q, ids.slice(i, i + CHANGES_CHUNK)));
      const changes = await time('score', () => computeChanges(inputs, ctx).map((c) => ({ ...c, prevScoredUs: null })));
      if (!changes.length) continue;
      const r = await time('write', () => applyChanges(trx, q.workspaceId, writtenAt(), changes));
      if (r.notify.length) await time('announce', () => deps.publishChanged(trx, q.workspaceId, r.notify));
      total.applied += r.applied;
      total.classChanged += r.classChanged;
    }
    return total;
  }

  /**
   * Quintile cut points from the kept distribution: last order days and frequencies exactly; a
   * monetary quintile by its bucket, then the value at its offset inside the bucket from the
   * monetary index. Null without customers with orders; undefined if the index and the
   * distribution disagree.
   */
  async function cutPointsOfDistribution(trx: Trx, workspaceId: string, dimensions: Distribution[], today: number): Promise<CutPoints | null | undefined> {
    const [days, frequency, monetary] = dimensions as [Distribution, Distribution, Distribution];
    const n = totalOf(days);
    if (!n) return null;
    if (totalOf(frequency) !== n || totalOf(monetary) !== n) return undefined;
    const m: number[] = [];
    for (const position of quintilePositions(n)) {
      const { index, offset } = locate(monetary, position);
      const value = await monetaryAt(trx, workspaceId, monetary.values[index]!, monetary.values[index + 1] ?? null, offset);
      if (value === null) return undefined;
      m.push(value);
    }
    return cutPointsOfBounds(quintileBoundsOfCounts(days), quintileBoundsOfCounts(frequency), m, today);
  }

  /** Reads every customer: cut points and scores in memory, the changes written in chunks. */
  async function runFull(runId: string, q: InputQuery, o: { now: Date; today: number; settings: ScoringSettings; recount: boolean; timer: PhaseTimer }, directLimit: number) {
    const { workspaceId } = q;
    const { now, today, settings } = o;
    const { time } = o.timer;
    await runs.updateRun(db, workspaceId, runId, { phase: 'reading', mode: 'full', full_requests_seen: await runs.fullRequests(db, workspaceId) });
    const inputs = await time('read', () => streamAllInputs(deps.pool, q, (rows) => void runs.updateRun(db, workspaceId, runId, { customers: rows }).catch(() => {})));
    await runs.updateRun(db, workspaceId, runId, { phase: 'scoring', customers: inputs.length });
    const cuts = await time('distribution', () => cutPointsFor(inputs, settings, today));
    const changes = await time('score', () => computeChanges(inputs, { today, settings, cuts }));
    await runs.updateRun(db, workspaceId, runId, { phase: 'writing', changed: changes.length });
    const removed = await time('write', () => db.transaction().execute(async (trx) => {
      await lockScores(trx, workspaceId);
      const ids = await removeMerged(trx, workspaceId, now);
      if (ids.length) await deps.publishChanged(trx, workspaceId, ids);
      return ids.length;
    }));
    const written = await write(workspaceId, runId, now, changes, directLimit, o.timer);
    await db.transaction().execute(async (trx) => {
      await lockScores(trx, workspaceId);
      // Customers re-scored by the live path while this run read and wrote used the previous
      // run's cut points: score them again with this run's, then complete the run in the same
      // transaction so later live re-scoring uses them.
      const since = await time('find', () => rescoredSince(trx, workspaceId, now));
      const late = await rescoreLocked(trx, q, since, { today, settings, cuts }, () => clock.now(), o.timer);
      written.applied += late.applied;
      written.classChanged += late.classChanged;
      // A staged write leaves the distribution to be counted again.
      if (o.recount || written.staged) await time('distribution', () => rebuildDistribution(trx, workspaceId));
      await runs.updateRun(trx, workspaceId, runId, {
        status: 'completed', phase: null, changed: written.applied + removed, class_changed: written.classChanged + removed,
        today_day: today, settings, cut_points: cuts, time_zone: q.timeZone, finished_at: clock.now(), timings: o.timer.result(), live_recency_as_of_run: true,
      });
    });
  }

  /** Writes the changes: directly when few, else staged and applied in customer-id chunks. */
  async function write(workspaceId: string, runId: string, now: Date, changes: ScoreChange[], directLimit: number, { time }: PhaseTimer) {
    const total = { applied: 0, classChanged: 0, staged: false };
    const applyInTransaction = (apply: (trx: Trx) => Promise<{ applied: number; notify: number[]; classChanged: number }>) =>
      db.transaction().execute(async (trx) => {
        await lockScores(trx, workspaceId);
        const r = await time('write', () => apply(trx));
        if (r.notify.length) await time('announce', () => deps.publishChanged(trx, workspaceId, r.notify));
        total.applied += r.applied;
        total.classChanged += r.classChanged;
      });
    if (changes.length <= directLimit) {
      for (let i = 0; i < changes.length; i += 5000) await applyInTransaction((trx) => applyChanges(trx, workspaceId, now, changes.slice(i, i + 5000)));
      return total;
    }
    total.staged = true;
    await time('write', async () => {
      await clearStaging(db, workspaceId, runId);
      if (deps.canCopyFrom) await stageWithCopy(deps.pool, workspaceId, runId, changes);
      else await stageWithInsert(db, workspaceId, runId, changes);
      await analyzeTables(db, 'staging');
    });
    const ids = Float64Array.from(changes, (c) => c.customerId).sort();
    for (let i = 0; i < ids.length; i += APPLY_CHUNK) {
      const [from, to] = [ids[i]!, ids[Math.min(ids.length, i + APPLY_CHUNK) - 1]!];
      await applyInTransaction((trx) => applyStaged(trx, workspaceId, runId, now, from, to));
    }
    await time('write', async () => {
      await clearStaging(db, workspaceId, runId);
      await analyzeTables(db, 'scores');
    });
    return total;
  }

  return { requestInTransaction, request, requestBySystem, getRun, listRuns, run };
}

export type RecomputeService = ReturnType<typeof createRecomputeService>;
