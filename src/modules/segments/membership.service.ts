/**
 * Live membership. Every `customers.changed` refreshes the facts of those customers and
 * re-evaluates every active segment for them only; full evaluations (new or edited rule, a
 * local midnight for time-relative rules, the hourly reconcile, the rebuild) walk the
 * workspace in id chunks, each its own short transaction under the workspace's segments lock,
 * so live changes interleave. Each entry and exit is stored with its time and published on
 * `segments.membership_changed` in the same transaction.
 */
import { compileRule, type CompileOptions } from './rule-compiler.ts';
import { RuleSchema, type Rule } from './segments.schemas.ts';
import { localDay } from './relative-time.ts';
import { analyzeFactsIfStale, analyzeIfStale, chunkEnd, driftedCustomers, planForRanges, refreshFacts, type FactScope } from './facts.repository.ts';
import * as m from './membership.repository.ts';
import { attributeDefinitions, findSegment } from './segments.repository.ts';
import { MEMBERSHIP_TOPIC, type CustomersChanged, type EvaluationCause, type Executor, type SegmentsDeps, type Trx } from './segments.deps.ts';
import type { RebuildResult } from './segments-http.schemas.ts';

/** Customers per transaction on the live path and per chunk of a full evaluation. */
const LIVE_CHUNK = 5000;
const RANGE_CHUNK = 20_000;
const PUBLISH_CHUNK = 1000;

/** Narrows a rule's subqueries to the customers of a scope. */
const narrowTo = (scope: FactScope): Pick<CompileOptions, 'customerIds' | 'customerRange'> =>
  'ids' in scope ? { customerIds: scope.ids } : { customerRange: { after: scope.after, upTo: scope.upTo } };

export function parseStoredRule(json: unknown): Rule | null {
  const r = RuleSchema.safeParse(json);
  return r.success ? r.data : null;
}

export async function loadCompileContext(db: Executor, workspaceId: string): Promise<Pick<CompileOptions, 'workspaceId' | 'timeZone' | 'attributes'>> {
  const [timeZone, defs] = await Promise.all([m.timeZoneOf(db, workspaceId), attributeDefinitions(db, workspaceId)]);
  return { workspaceId, timeZone, attributes: new Map([...defs].map(([k, d]) => [k, d.type])) };
}

export function createMembershipService(deps: SegmentsDeps) {
  const { db, clock } = deps;

  async function record(trx: Trx, workspaceId: string, changes: m.Change[], now: Date, cause: EvaluationCause): Promise<void> {
    if (!changes.length) return;
    await m.bumpCounts(trx, workspaceId, changes, now);
    const at = now.toISOString();
    for (let i = 0; i < changes.length; i += PUBLISH_CHUNK) {
      const part = changes.slice(i, i + PUBLISH_CHUNK).map((c) => ({ ...c, at, cause }));
      await deps.publish(MEMBERSHIP_TOPIC, { workspaceId, changes: part }, trx);
    }
  }

  /** Evaluates `segments` for the customers of `scope` inside `trx` (lock held). */
  async function applyAll(trx: Trx, workspaceId: string, segments: m.ActiveSegment[], scope: FactScope, cause: EvaluationCause): Promise<m.Change[]> {
    if (!segments.length) return [];
    const ctx = await loadCompileContext(trx, workspaceId);
    const now = clock.now();
    const narrow = narrowTo(scope);
    const changes: m.Change[] = [];
    for (const s of segments) {
      const rule = parseStoredRule(s.rule);
      if (!rule) continue;
      const condition = compileRule(rule, { ...ctx, now, ...narrow });
      changes.push(...(await m.applyMembership(trx, { workspaceId, segmentId: s.id, condition, scope, now, cause })));
    }
    await record(trx, workspaceId, changes, now, cause);
    return changes;
  }

  /** The live path: refresh these customers' facts, then every active segment for them. */
  async function evaluateCustomers(workspaceId: string, customerIds: readonly number[], cause: EvaluationCause = 'change'): Promise<m.Change[]> {
    const ids = [...new Set(customerIds)].sort((a, b) => a - b);
    const changes: m.Change[] = [];
    for (let i = 0; i < ids.length; i += LIVE_CHUNK) {
      const chunk = ids.slice(i, i + LIVE_CHUNK);
      const part = await db.transaction().execute(async (trx) => {
        await m.lockWorkspaceSegments(trx, workspaceId);
        await refreshFacts(trx, workspaceId, { ids: chunk });
        return applyAll(trx, workspaceId, await m.activeSegments(trx, workspaceId), { ids: chunk }, cause);
      });
      changes.push(...part);
    }
    return changes;
  }

  /** The `customers.changed` subscriber: idempotent and order-independent (it re-reads current state). */
  async function onCustomersChanged(batch: readonly Partial<CustomersChanged>[]): Promise<number> {
    const byWorkspace = new Map<string, number[]>();
    for (const msg of batch) {
      if (!msg.workspaceId || !Array.isArray(msg.customerIds)) continue;
      byWorkspace.set(msg.workspaceId, [...(byWorkspace.get(msg.workspaceId) ?? []), ...msg.customerIds.filter(Number.isSafeInteger)]);
    }
    let changed = 0;
    for (const [workspaceId, ids] of byWorkspace) changed += (await evaluateCustomers(workspaceId, ids)).length;
    return changed;
  }

  /**
   * Calls `step` for each id chunk of the workspace, each in its own transaction, which holds
   * the workspace's segments lock unless `lock` is false (the step then takes it if it writes).
   */
  async function forEachChunk(workspaceId: string, step: (trx: Trx, scope: FactScope) => Promise<boolean | void>, lock = true): Promise<boolean> {
    let after = 0;
    for (;;) {
      const upTo = await chunkEnd(db, workspaceId, after, RANGE_CHUNK);
      const go = await db.transaction().execute(async (trx) => {
        if (lock) await m.lockWorkspaceSegments(trx, workspaceId);
        await planForRanges(trx);
        return step(trx, { after, upTo });
      });
      if (go === false) return false;
      if (upTo === null) return true;
      after = upTo;
    }
  }

  /**
   * Evaluates one segment for every customer (new or edited rule, a local midnight). Stops if
   * the segment is edited, paused or deleted meanwhile: that change queued its own evaluation.
   */
  async function evaluateSegment(workspaceId: string, segmentId: string, cause: EvaluationCause): Promise<{ entered: number; exited: number } | null> {
    const seg = await findSegment(db, workspaceId, segmentId);
    if (!seg || seg.status !== 'active') return null;
    const version = seg.updated_at.getTime();
    const startedAt = clock.now();
    await analyzeFactsIfStale(db);
    const still = async (trx: Trx) => {
      const s = await findSegment(trx, workspaceId, segmentId);
      return s && s.status === 'active' && s.updated_at.getTime() === version ? s : null;
    };
    let entered = 0;
    let exited = 0;
    const done = await forEachChunk(workspaceId, async (trx, scope) => {
      const s = await still(trx);
      if (!s) return false;
      const changes = await applyAll(trx, workspaceId, [{ id: s.id, rule: s.rule, isTimeRelative: s.is_time_relative, updatedAt: s.updated_at }], scope, cause);
      for (const c of changes) {
        if (c.change === 'entered') entered++;
        else exited++;
      }
    });
    if (!done) return null;
    // A first evaluation can fill hundreds of thousands of members at once.
    if (entered + exited >= 1000) await analyzeIfStale(db, 'segment_members');
    await db.transaction().execute(async (trx) => {
      await m.lockWorkspaceSegments(trx, workspaceId);
      if (await still(trx)) await m.markEvaluated(trx, workspaceId, segmentId, startedAt, localDay(startedAt, await m.timeZoneOf(trx, workspaceId)));
    });
    return { entered, exited };
  }

  /** The scheduled tick: time-relative segments after a local midnight, and never-evaluated ones. */
  async function runDue(): Promise<number> {
    const due = await m.segmentsDue(db, clock.now());
    for (const d of due) {
      const seg = await findSegment(db, d.workspaceId, d.segmentId);
      await evaluateSegment(d.workspaceId, d.segmentId, seg?.evaluated_at ? 'schedule' : 'rule');
    }
    return due.length;
  }

  /**
   * The hourly reconcile: facts that drifted from the sources without a change message (a
   * writer that does not publish, a bulk load) are refreshed and those customers re-evaluated.
   */
  async function reconcile(workspaceId: string): Promise<{ customers: number; changes: number }> {
    let customers = 0;
    let changes = 0;
    // Compared without the workspace's segments lock: the live path never waits on the check (at
    // 1,000,000 customers about a second per chunk; holding the lock through it stalled every
    // live membership update for that second, chunk after chunk, once an hour). The lock is taken
    // only when a chunk has drifted customers (usually none) to refresh and evaluate; a customer
    // the live path changed meanwhile is refreshed again from the sources, which changes nothing.
    await forEachChunk(
      workspaceId,
      async (trx, scope) => {
        const drifted = await driftedCustomers(trx, workspaceId, scope);
        if (!drifted.length) return;
        await m.lockWorkspaceSegments(trx, workspaceId);
        const refreshed = await refreshFacts(trx, workspaceId, { ids: drifted });
        customers += refreshed.length;
        if (refreshed.length) changes += (await applyAll(trx, workspaceId, await m.activeSegments(trx, workspaceId), { ids: refreshed }, 'reconcile')).length;
      },
      false,
    );
    await analyzeFactsIfStale(db);
    return { customers, changes };
  }

  async function reconcileAll(): Promise<{ workspaces: number; customers: number; changes: number }> {
    const total = { workspaces: 0, customers: 0, changes: 0 };
    for (const ws of await m.workspacesWithCustomers(db)) {
      const r = await reconcile(ws);
      total.workspaces++;
      total.customers += r.customers;
      total.changes += r.changes;
    }
    return total;
  }

  /**
   * Membership from scratch: facts recomputed from the sources and every segment evaluated for
   * every customer; what differs from the live membership is written (cause `rebuild`) and
   * counted. `dryRun` only compares, evaluating the rules over the sources themselves.
   */
  async function rebuild(workspaceId: string, options: { segmentId?: string | undefined; dryRun?: boolean } = {}): Promise<RebuildResult> {
    const started = performance.now();
    const all = await m.activeSegments(db, workspaceId);
    const segments = options.segmentId ? all.filter((s) => s.id === options.segmentId) : all;
    const totals = { customers: 0, entered: 0, exited: 0, members: 0 };
    await forEachChunk(workspaceId, async (trx, scope) => {
      if (options.dryRun) return dryRunChunk(trx, workspaceId, segments, scope, totals);
      totals.customers += (await refreshFacts(trx, workspaceId, scope)).length;
      for (const c of await applyAll(trx, workspaceId, segments, scope, 'rebuild')) {
        if (c.change === 'entered') totals.entered++;
        else totals.exited++;
      }
    });
    if (!options.dryRun) {
      await analyzeFactsIfStale(db);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await m.lockWorkspaceSegments(trx, workspaceId);
        const day = localDay(now, await m.timeZoneOf(trx, workspaceId));
        for (const s of segments) await m.markEvaluated(trx, workspaceId, s.id, now, day);
      });
      totals.members = await countMembers(workspaceId, segments.map((s) => s.id));
    }
    return { segments: segments.length, ...totals, seconds: Math.round(performance.now() - started) / 1000 };
  }

  async function dryRunChunk(trx: Trx, workspaceId: string, segments: m.ActiveSegment[], scope: FactScope, totals: { customers: number; entered: number; exited: number; members: number }) {
    totals.customers += (await driftedCustomers(trx, workspaceId, scope)).length;
    const ctx = await loadCompileContext(trx, workspaceId);
    const now = clock.now();
    for (const s of segments) {
      const rule = parseStoredRule(s.rule);
      if (!rule) continue;
      const d = await m.diffFromSources(trx, { workspaceId, segmentId: s.id, condition: compileRule(rule, { ...ctx, now, ...narrowTo(scope) }), scope });
      totals.entered += d.entered;
      totals.exited += d.exited;
      totals.members += d.members;
    }
  }

  async function countMembers(workspaceId: string, segmentIds: string[]): Promise<number> {
    if (!segmentIds.length) return 0;
    const r = await db.selectFrom('segment_members').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('segment_id', 'in', segmentIds).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  return { evaluateCustomers, onCustomersChanged, evaluateSegment, runDue, reconcile, reconcileAll, rebuild };
}

export type MembershipService = ReturnType<typeof createMembershipService>;
