/**
 * A journey's funnel and A/B results, derived when asked from the enrollments (entered,
 * waiting, converted per step and variant — exact, and no counter row for workers to
 * contend on), the send ledger's per-source counts (sent, held, suppressed by reason) and
 * the tasks' per-source counts.
 */
import { sql } from 'kysely';
import { notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { compareProportions } from './ab-stats.ts';
import type { Executor, JourneysDeps } from './journeys.deps.ts';
import * as repo from './journeys.repository.ts';
import type { JourneyDefinition, Step } from './journeys.schemas.ts';
import type { JourneyStats } from './journeys-api.schemas.ts';

export const CONFIDENCE_METHOD = 'Two-sided two-proportion z-test (pooled) of each variant\'s goal conversion against the control (the first variant); confidence = 1 − p-value.';

const rate = (n: number, d: number) => (d ? n / d : null);

async function enrollmentCounts(db: Executor, workspaceId: string, journeyId: string, version: number | undefined) {
  const v = version ? sql`and e.version = ${version}` : sql``;
  const [perStep, waiting, states] = await Promise.all([
    sql<{ step: string; variant: string | null; entered: number; converted: number }>`
      select k.step, e.variant, count(*)::int as entered, count(e.converted_at)::int as converted
      from journey_enrollments e cross join lateral jsonb_object_keys(e.visits) as k(step)
      where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} ${v}
      group by k.step, e.variant`.execute(db),
    sql<{ step: string; n: number }>`
      select e.current_step as step, count(*)::int as n from journey_enrollments e
      where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} and e.state = 'active' and e.is_waiting ${v}
      group by e.current_step`.execute(db),
    sql<{ state: string; end_reason: string | null; variant: string | null; n: number; converted: number }>`
      select e.state, e.end_reason, e.variant, count(*)::int as n, count(e.converted_at)::int as converted from journey_enrollments e
      where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} ${v}
      group by e.state, e.end_reason, e.variant`.execute(db),
  ]);
  return { perStep: perStep.rows, waiting: waiting.rows, states: states.rows };
}

/** The steps to report: the live (or latest) version's, then any other version's steps by id. */
function stepsOf(defs: JourneyDefinition[]): Step[] {
  const seen = new Map<string, Step>();
  for (const d of defs) for (const s of d.steps) if (!seen.has(s.id)) seen.set(s.id, s);
  return [...seen.values()];
}

export function createStatsService(deps: JourneysDeps) {
  const { db } = deps;

  async function stats(ctx: WorkspaceContext, journeyId: string, version?: number): Promise<JourneyStats> {
    const ws = ctx.workspaceId;
    const j = await repo.findJourney(db, ws, journeyId);
    if (!j) throw notFound('journey.not_found', 'Journey not found');
    const versions = await repo.listVersions(db, ws, journeyId);
    if (version && !versions.some((v) => v.version === version)) throw notFound('journey.version_not_found', `Journey has no version ${version}`);
    const primary = versions.find((v) => v.version === (version ?? j.live_version ?? j.latest_version))!;
    const defs = [primary.definition, ...(version ? [] : versions.filter((v) => v !== primary).map((v) => v.definition))];
    const [counts, messages, tasks] = await Promise.all([
      enrollmentCounts(db, ws, journeyId, version),
      deps.messaging.countBySource(ws, 'journey', journeyId),
      deps.tasks.countBySource(ws, 'journey', journeyId),
    ]);
    const inVersion = <T extends { version: number | null }>(rows: T[]) => (version ? rows.filter((r) => r.version === version) : rows);
    const msgs = inVersion(messages);
    const tks = inVersion(tasks);
    const steps = stepsOf(defs).map((s) => {
      const rows = counts.perStep.filter((r) => r.step === s.id);
      const entered = rows.reduce((n, r) => n + r.entered, 0);
      const converted = rows.reduce((n, r) => n + r.converted, 0);
      const m = msgs.filter((r) => r.step === s.id);
      const sum = (status: string) => m.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
      const suppressed = new Map<string, number>();
      for (const r of m) if (r.status === 'suppressed') suppressed.set(r.reason ?? 'unknown', (suppressed.get(r.reason ?? 'unknown') ?? 0) + r.count);
      const t = tks.filter((r) => r.step === s.id);
      const tsum = (status: string) => t.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
      const outcomes = new Map<string, number>();
      for (const r of t) if (r.outcome) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + r.count);
      return {
        id: s.id,
        name: s.name ?? null,
        type: s.type,
        entered,
        waiting: counts.waiting.find((w) => w.step === s.id)?.n ?? 0,
        sent: sum('sent'),
        held: sum('held'),
        queued: sum('queued') + sum('sending') + sum('awaiting_confirmation'),
        failed: sum('failed'),
        cancelled: sum('cancelled'),
        suppressed: [...suppressed].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
        tasks: { open: tsum('open'), done: tsum('done'), skipped: tsum('skipped'), outcomes: [...outcomes].map(([outcome, count]) => ({ outcome, count })) },
        converted,
        conversionRate: rate(converted, entered),
      };
    });
    return { journeyId, version: version ?? null, totals: totalsOf(counts.states, counts.waiting), exitReasons: exitReasonsOf(counts.states), steps, variants: variantsOf(defs[0]!, counts.states), goal: primary.definition.goal ? { eventType: primary.definition.goal.eventType, withinDays: primary.definition.goal.withinDays } : null, confidenceMethod: CONFIDENCE_METHOD };
  }

  return { stats };
}

type StateRow = { state: string; end_reason: string | null; variant: string | null; n: number; converted: number };

function totalsOf(states: StateRow[], waiting: { n: number }[]): JourneyStats['totals'] {
  const count = (f: (r: StateRow) => boolean, key: 'n' | 'converted' = 'n') => states.filter(f).reduce((n, r) => n + r[key], 0);
  const entered = count(() => true);
  const converted = count(() => true, 'converted');
  return {
    entered,
    active: count((r) => r.state === 'active'),
    waiting: waiting.reduce((n, w) => n + w.n, 0),
    completed: count((r) => r.state === 'completed'),
    exited: count((r) => r.state === 'exited'),
    converted,
    conversionRate: rate(converted, entered),
  };
}

function exitReasonsOf(states: StateRow[]) {
  const reasons = new Map<string, number>();
  for (const r of states) if (r.state === 'exited') reasons.set(r.end_reason ?? 'exited', (reasons.get(r.end_reason ?? 'exited') ?? 0) + r.n);
  return [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

/** Per variant of the split (the control is the first variant); customers not yet split are left out. */
function variantsOf(def: JourneyDefinition, states: StateRow[]): JourneyStats['variants'] {
  const split = def.steps.find((s): s is Extract<Step, { type: 'split' }> => s.type === 'split');
  const keys = [...(split?.variants.map((v) => v.key) ?? [])];
  for (const r of states) if (r.variant && !keys.includes(r.variant)) keys.push(r.variant);
  const totals = keys.map((key) => {
    const rows = states.filter((r) => r.variant === key);
    return { key, entered: rows.reduce((n, r) => n + r.n, 0), converted: rows.reduce((n, r) => n + r.converted, 0) };
  });
  const control = totals[0];
  return totals.map((t, i) => {
    const cmp = control && i > 0 ? compareProportions(control, t) : null;
    return {
      key: t.key,
      weight: split?.variants.find((v) => v.key === t.key)?.weight ?? null,
      entered: t.entered,
      converted: t.converted,
      conversionRate: rate(t.converted, t.entered),
      isControl: i === 0,
      pValue: cmp?.pValue ?? null,
      confidence: cmp?.confidence ?? null,
      lift: cmp?.lift ?? null,
    };
  });
}
