/**
 * The step runner. A batch claims due enrollments of one journey with FOR UPDATE SKIP
 * LOCKED (several workers share the work, none runs a row twice at once), runs each customer
 * through as many steps as are due, and commits in ONE transaction: the sends (messaging's
 * batch API, which claims each idempotency key in the ledger), the tasks, the tag changes'
 * outbox rows and every enrollment's new state. A crash re-runs at most the uncommitted
 * batch, and the ledger keys make its sends exactly-once. A paused journey's rows are not
 * claimed (the journey row is read FOR SHARE, so a pause waits for running batches).
 */
import { isAppError } from '../../platform/errors.ts';
import type { SendOutcome, SendRequest } from '../messaging/index.ts';
import type { NewTask } from '../tasks/index.ts';
import * as enr from './enrollments.repository.ts';
import * as facts from './facts.repository.ts';
import type { GroupPost, JourneysDeps, Trx } from './journeys.deps.ts';
import * as repo from './journeys.repository.ts';
import type { JourneyDefinition } from './journeys.schemas.ts';
import { endEnrollment, runStep, stepById, type Effect, type Enrollment, type StepEnv } from './step-engine.ts';

/** Steps one customer may take in one batch; validation rules out loops without a wait, so this is only a guard. */
const MAX_ROUNDS = 250;
const SEND_CHUNK = 1000;
const TAG_LEASE_MS = 5 * 60_000;

export interface BatchResult {
  processed: number;
  wakeAt: Date | null;
}

interface Loaded {
  def: JourneyDefinition;
  name: string;
}

export function createRunner(deps: JourneysDeps) {
  const { db, clock } = deps;
  // Versions never change once live, so their definitions can be kept.
  const definitions = new Map<string, JourneyDefinition>();
  const zones = new Map<string, { tz: string; until: number }>();

  async function timeZone(workspaceId: string): Promise<string> {
    const hit = zones.get(workspaceId);
    if (hit && hit.until > Date.now()) return hit.tz;
    const tz = await deps.timeZoneOf(workspaceId);
    zones.set(workspaceId, { tz, until: Date.now() + 60_000 });
    return tz;
  }

  async function definitionOf(trx: Trx, workspaceId: string, journeyId: string, version: number): Promise<JourneyDefinition> {
    const key = `${journeyId}:${version}`;
    let def = definitions.get(key);
    if (!def) {
      const row = await repo.findVersion(trx, workspaceId, journeyId, version);
      if (!row) throw new Error(`journey ${journeyId} has no version ${version}`);
      def = row.definition;
      if (row.activated_at) definitions.set(key, def);
    }
    return def;
  }

  /** Exit rules checked when a step is about to run: merged away, opted out, exit conditions. */
  async function applyExits(trx: Trx, workspaceId: string, batch: Enrollment[], defs: Map<number, JourneyDefinition>, known: Map<number, facts.CustomerFacts>, now: Date) {
    for (const e of batch) {
      if (e.customerId === null) continue;
      const f = known.get(e.customerId);
      const def = defs.get(e.version)!;
      if (!f || f.mergedInto !== null) endEnrollment(e, 'exited', 'merged', now);
      else if (f.consentStatus === 'denied' && def.exits.some((x) => x.type === 'opted_out')) endEnrollment(e, 'exited', 'opted_out', now);
    }
    for (const [version, def] of defs) {
      for (const rule of def.exits) {
        if (rule.type !== 'condition') continue;
        const live = batch.filter((e) => e.version === version && e.state === 'active' && e.customerId !== null);
        if (!live.length) continue;
        const hit = await deps.segments.matching(trx, workspaceId, rule.condition, live.map((e) => e.customerId!));
        for (const e of live) if (hit.has(e.customerId!)) endEnrollment(e, 'exited', 'condition', now);
      }
    }
  }

  const isReady = (e: Enrollment, now: Date) => e.state === 'active' && !!e.currentStep && (!e.isWaiting || (e.nextRunAt !== null && e.nextRunAt <= now));

  /** Runs every ready enrollment through its due steps, round by round (branch conditions evaluated per round, set-based). */
  async function advance(trx: Trx, workspaceId: string, batch: Enrollment[], defs: Map<number, JourneyDefinition>, env: Omit<StepEnv, 'definition'>): Promise<Effect[]> {
    const effects: Effect[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const ready = batch.filter((e) => isReady(e, env.now));
      if (!ready.length) break;
      const branches = new Map<string, Enrollment[]>();
      for (const e of ready) {
        const step = stepById(defs.get(e.version)!, e.currentStep!);
        if (step?.type === 'branch' && e.customerId !== null) {
          const key = `${e.version}:${step.id}`;
          if (!branches.has(key)) branches.set(key, []);
          branches.get(key)!.push(e);
        }
      }
      const matched = new Set<number>();
      for (const group of branches.values()) {
        const step = stepById(defs.get(group[0]!.version)!, group[0]!.currentStep!) as Extract<JourneyDefinition['steps'][number], { type: 'branch' }>;
        const hit = await deps.segments.matching(trx, workspaceId, step.condition, group.map((e) => e.customerId!));
        for (const e of group) if (hit.has(e.customerId!)) matched.add(e.id);
      }
      for (const e of ready) {
        const def = defs.get(e.version)!;
        const step = stepById(def, e.currentStep!);
        if (!step) {
          endEnrollment(e, 'exited', 'unknown_step', env.now);
          continue;
        }
        effects.push(...runStep(e, step, { ...env, definition: def }, matched.has(e.id)));
      }
    }
    // Only reachable if a definition loops without a wait: continue in the next batch.
    for (const e of batch) if (isReady(e, env.now)) e.nextRunAt = env.now;
    return effects;
  }

  function recordOutcome(batch: Map<number, Enrollment>, enrollmentId: number, logIndex: number, status: string, reason: string | null, detail?: Record<string, unknown>) {
    const entry = batch.get(enrollmentId)?.log[logIndex];
    if (!entry) return;
    entry.outcome = status;
    entry.reason = reason;
    if (detail) entry.detail = { ...(entry.detail ?? {}), ...detail };
  }

  /** Carries out the effects inside the batch's transaction; returns the tag-effect rows to apply after commit. */
  async function carryOut(trx: Trx, workspaceId: string, journeyId: string, batch: Enrollment[], effects: Effect[], now: Date): Promise<number[]> {
    const byId = new Map(batch.map((e) => [e.id, e]));
    const sends = effects.filter((x): x is Extract<Effect, { kind: 'send' }> => x.kind === 'send');
    for (let i = 0; i < sends.length; i += SEND_CHUNK) {
      const chunk = sends.slice(i, i + SEND_CHUNK);
      const outcomes: SendOutcome[] = await deps.messaging.sendInTransaction(trx, workspaceId, chunk.map((s) => s.request as SendRequest));
      chunk.forEach((s, n) => {
        const o = outcomes[n]!;
        recordOutcome(byId, s.enrollmentId, s.logIndex, o.status, o.reason, o.releaseAt ? { releaseAt: o.releaseAt.toISOString() } : undefined);
      });
    }
    const posts = effects.filter((x): x is Extract<Effect, { kind: 'group_post' }> => x.kind === 'group_post');
    if (posts.length) {
      const post = deps.messaging.postToGroups;
      const outcomes = post ? await post(trx, workspaceId, posts.map((p) => p.post as GroupPost)) : null;
      posts.forEach((p, n) => recordOutcome(byId, p.enrollmentId, p.logIndex, outcomes ? outcomes[n]!.status : 'failed', outcomes ? outcomes[n]!.reason : 'no_group_channel'));
    }
    const tasks = effects.filter((x): x is Extract<Effect, { kind: 'task' }> => x.kind === 'task').map((t) => t.task as NewTask);
    if (tasks.length) await deps.tasks.createTasks(trx, workspaceId, tasks, now);
    const tags = new Map<string, { tagId: string; action: 'add' | 'remove'; customerIds: number[] }>();
    for (const x of effects) {
      if (x.kind !== 'tag') continue;
      const key = `${x.action}:${x.tagId}`;
      if (!tags.has(key)) tags.set(key, { tagId: x.tagId, action: x.action, customerIds: [] });
      tags.get(key)!.customerIds.push(x.customerId);
    }
    return facts.insertTagEffects(trx, workspaceId, journeyId, [...tags.values()], now);
  }

  /** One batch of one journey, in one transaction. */
  async function runBatch(workspaceId: string, journeyId: string, options: { limit: number; ids?: readonly number[] }): Promise<BatchResult> {
    const now = clock.now();
    const tz = await timeZone(workspaceId);
    const out = await db.transaction().execute(async (trx) => {
      const journey = await repo.findJourney(trx, workspaceId, journeyId, 'share');
      if (!journey || journey.status !== 'active') return null;
      const batch = await enr.claimDue(trx, workspaceId, journeyId, now, options.limit, options.ids);
      if (!batch.length) return null;
      const defs = new Map<number, JourneyDefinition>();
      for (const v of new Set(batch.map((e) => e.version))) defs.set(v, await definitionOf(trx, workspaceId, journeyId, v));
      const known = await facts.customerFacts(trx, workspaceId, batch.flatMap((e) => (e.customerId === null ? [] : [e.customerId])));
      await applyExits(trx, workspaceId, batch, defs, known, now);
      const loaded: Loaded = { def: defs.values().next().value!, name: journey.name };
      const effects = await advance(trx, workspaceId, batch, defs, { now, timeZone: tz, journeyName: loaded.name, ownerOf: (id) => known.get(id)?.ownerUserId ?? null });
      const tagEffects = await carryOut(trx, workspaceId, journeyId, batch, effects, now);
      await enr.saveProgress(trx, workspaceId, batch, now);
      const waits = batch.filter((e) => e.state === 'active' && e.nextRunAt).map((e) => e.nextRunAt!.getTime());
      return { processed: batch.length, tagEffects, wakeAt: waits.length ? new Date(Math.min(...waits)) : null };
    });
    if (!out) return { processed: 0, wakeAt: null };
    if (out.tagEffects.length) await applyTagEffects({ ids: out.tagEffects });
    if (out.wakeAt && out.wakeAt > now) await deps.wakeRunner({ at: out.wakeAt });
    return { processed: out.processed, wakeAt: out.wakeAt };
  }

  /**
   * Applies claimed tag changes through the tags module, then removes them (a crash leaves them
   * for the sweep). A tag deleted since the step ran has nothing left to change: its row is
   * dropped. Any other failure leaves the row for the sweep once its claim lapses; one row never
   * holds up the others, and the batch that made it (already committed) never fails for it.
   */
  async function applyTagEffects(which: { ids: readonly number[] } | { olderThan: Date; limit: number }): Promise<number> {
    const now = clock.now();
    const claimed = await facts.claimTagEffects(db, now, TAG_LEASE_MS, which);
    let applied = 0;
    for (const t of claimed) {
      const label = `journey:${t.journeyId}`;
      try {
        if (t.action === 'add') await deps.tags.add(t.workspaceId, t.tagId, t.customerIds, label);
        else await deps.tags.remove(t.workspaceId, t.tagId, t.customerIds, label);
        applied++;
      } catch (err) {
        const gone = isAppError(err) && err.code === 'tag.not_found';
        deps.logger.warn({ err, workspaceId: t.workspaceId, journeyId: t.journeyId, tagId: t.tagId, customers: t.customerIds.length }, gone ? 'journey tag step skipped: the tag was deleted' : 'journey tag change failed; retried later');
        if (!gone) continue;
      }
      await facts.deleteTagEffect(db, t.workspaceId, t.id);
    }
    return applied;
  }

  /**
   * Runs due steps of every active journey until none are due or `budgetMs` has passed.
   * Returns whether work remained.
   */
  async function drain(options: { budgetMs?: number; limit?: number } = {}): Promise<{ processed: number; more: boolean }> {
    const started = Date.now();
    const budget = options.budgetMs ?? 30_000;
    const limit = options.limit ?? 500;
    let processed = 0;
    for (;;) {
      const due = await enr.journeysWithDueWork(db, clock.now());
      if (!due.length) return { processed, more: false };
      let progressed = false;
      for (const j of due) {
        for (;;) {
          const r = await runBatch(j.workspaceId, j.journeyId, { limit });
          processed += r.processed;
          if (r.processed) progressed = true;
          if (r.processed < limit) break;
          if (Date.now() - started > budget) return { processed, more: true };
        }
      }
      // Everything due is held by other workers: they will finish it.
      if (!progressed || Date.now() - started > budget) return { processed, more: progressed };
    }
  }

  /** Runs the first steps of enrollments just made (a trigger's low-latency path). */
  async function runNow(workspaceId: string, journeyId: string, ids: readonly number[]): Promise<number> {
    let processed = 0;
    for (let i = 0; i < ids.length; i += 500) processed += (await runBatch(workspaceId, journeyId, { limit: 500, ids: ids.slice(i, i + 500) })).processed;
    return processed;
  }

  return { runBatch, drain, runNow, applyTagEffects };
}

export type Runner = ReturnType<typeof createRunner>;
