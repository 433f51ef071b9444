/**
 * Enrollments seen from outside: where a customer is in which journey and why, the customers
 * behind a funnel number, and manual enrolment (testing a journey on a few customers).
 */
import { sql } from 'kysely';
import { conflict, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import * as enr from './enrollments.repository.ts';
import type { JourneysDeps } from './journeys.deps.ts';
import * as repo from './journeys.repository.ts';
import type { JourneyDefinition } from './journeys.schemas.ts';
import type { EnrollmentView, JourneyStatus, ListEnrollmentsQuery } from './journeys-api.schemas.ts';
import { startStepId } from './journey-validation.ts';
import type { Runner } from './runner.service.ts';
import type { LogEntry } from './step-engine.ts';

interface Row {
  id: number;
  journey_id: string;
  journey_name: string;
  journey_status: string;
  version: number;
  customer_id: number | null;
  group_id: string | null;
  state: string;
  current_step: string | null;
  is_waiting: boolean;
  next_run_at: Date | null;
  variant: string | null;
  trigger: Record<string, unknown>;
  entered_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
  converted_at: Date | null;
  log: LogEntry[];
}

/** The journey's last message of an enrollment (send or webhook step), if any. */
const lastMessage = (log: readonly LogEntry[]) => [...log].reverse().find((l) => l.type === 'send' || l.type === 'webhook');

/** The idempotency key a log entry kept for its message (entries written before keys were kept have none). */
const keyOf = (entry: LogEntry | undefined) => (typeof entry?.detail?.key === 'string' ? entry.detail.key : null);

/**
 * One line saying where the enrollment is and why. `now` (optional): where the last message
 * stands in the ledger today — a message held for quiet hours is released later, so the
 * outcome logged when the step ran may be out of date.
 */
export function explain(
  r: Pick<Row, 'state' | 'journey_status' | 'current_step' | 'is_waiting' | 'next_run_at' | 'end_reason' | 'log'>,
  stepName: string | null,
  now?: { status: string; reason: string | null },
): string {
  const step = r.current_step ? `"${stepName ?? r.current_step}"` : '';
  if (r.state === 'completed') return 'Finished the journey';
  if (r.state === 'exited') return `Left the journey: ${r.end_reason ?? 'exited'}`;
  const logged = lastMessage(r.log);
  const last = logged && now ? { ...logged, outcome: now.status, reason: now.reason } : logged;
  const lastSend = last && last.outcome !== 'sent' && last.outcome !== 'pending' ? `; last message ${last.outcome}${last.reason ? ` (${last.reason})` : ''}` : '';
  if (r.journey_status === 'paused') return `Held at ${step}: the journey is paused${lastSend}`;
  if (r.is_waiting) return `Waiting at ${step} until ${r.next_run_at?.toISOString() ?? '?'}${lastSend}`;
  return `Due to run ${step}${lastSend}`;
}

export function createEnrollmentsService(deps: JourneysDeps, runner: Runner) {
  const { db, clock } = deps;

  async function stepNames(workspaceId: string, rows: readonly Row[]): Promise<Map<string, Map<string, string | null>>> {
    const pairs = [...new Map(rows.map((r) => [`${r.journey_id}:${r.version}`, { id: r.journey_id, version: r.version }])).values()];
    const out = new Map<string, Map<string, string | null>>();
    for (const p of pairs) {
      const v = await repo.findVersion(db, workspaceId, p.id, p.version);
      out.set(`${p.id}:${p.version}`, new Map((v?.definition.steps ?? []).map((s) => [s.id, s.name ?? null])));
    }
    return out;
  }

  async function views(workspaceId: string, rows: Row[]): Promise<EnrollmentView[]> {
    const names = await stepNames(workspaceId, rows);
    // Only enrollments still running explain themselves by their last message.
    const keys = rows.map((r) => (r.state === 'active' ? keyOf(lastMessage(r.log)) : null));
    const wanted = keys.filter((k): k is string => k !== null);
    const current = wanted.length ? await deps.messaging.statusesByKey(workspaceId, wanted) : new Map<string, { status: string; reason: string | null }>();
    return rows.map((r, i) => {
      const name = r.current_step ? (names.get(`${r.journey_id}:${r.version}`)?.get(r.current_step) ?? null) : null;
      return {
        id: Number(r.id),
        journeyId: r.journey_id,
        journeyName: r.journey_name,
        journeyStatus: r.journey_status as JourneyStatus,
        version: r.version,
        customerId: r.customer_id === null ? null : Number(r.customer_id),
        groupId: r.group_id,
        state: r.state as EnrollmentView['state'],
        currentStep: r.current_step,
        currentStepName: name,
        isWaiting: r.is_waiting,
        nextRunAt: r.next_run_at,
        variant: r.variant,
        trigger: r.trigger,
        enteredAt: r.entered_at,
        endedAt: r.ended_at,
        endReason: r.end_reason,
        convertedAt: r.converted_at,
        explanation: explain(r, name, keys[i] ? current.get(keys[i]) : undefined),
        log: r.log.map((l) => ({ ...l, reason: l.reason ?? null })),
      };
    });
  }

  const base = (workspaceId: string) =>
    db
      .selectFrom('journey_enrollments as e')
      .innerJoin('journeys as j', (join) => join.onRef('j.workspace_id', '=', 'e.workspace_id').onRef('j.id', '=', 'e.journey_id'))
      .select([
        'e.id', 'e.journey_id', 'j.name as journey_name', 'j.status as journey_status', 'e.version', 'e.customer_id', 'e.group_id', 'e.state', 'e.current_step',
        'e.is_waiting', 'e.next_run_at', 'e.variant', 'e.trigger', 'e.entered_at', 'e.ended_at', 'e.end_reason', 'e.converted_at', 'e.log',
      ])
      .where('e.workspace_id', '=', workspaceId);

  /** Every journey the customer is or was in, newest entry first. */
  async function ofCustomer(ctx: WorkspaceContext, customerId: number): Promise<{ customerId: number; items: EnrollmentView[] }> {
    const known = await db.selectFrom('journey_customer_facts').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', customerId).executeTakeFirst();
    if (!known) throw notFound('customer.not_found', 'Customer not found');
    const rows = (await base(ctx.workspaceId).where('e.customer_id', '=', customerId).orderBy('e.entered_at', 'desc').orderBy('e.id', 'desc').limit(200).execute()) as unknown as Row[];
    return { customerId, items: await views(ctx.workspaceId, rows) };
  }

  /** The customers behind a journey's numbers (by state, step reached, variant, conversion). */
  async function ofJourney(ctx: WorkspaceContext, journeyId: string, q: ListEnrollmentsQuery) {
    if (!(await repo.findJourney(db, ctx.workspaceId, journeyId))) throw notFound('journey.not_found', 'Journey not found');
    let query = base(ctx.workspaceId).where('e.journey_id', '=', journeyId);
    if (q.state) query = query.where('e.state', '=', q.state);
    if (q.step) query = query.where(sql<boolean>`e.visits ? ${q.step}`);
    if (q.variant) query = query.where('e.variant', '=', q.variant);
    if (q.converted) query = query.where('e.converted_at', q.converted === 'true' ? 'is not' : 'is', null);
    if (q.cursor) query = query.where('e.id', '<', q.cursor);
    const rows = (await query.orderBy('e.id', 'desc').limit(q.limit + 1).execute()) as unknown as Row[];
    const items = rows.slice(0, q.limit);
    return { items: await views(ctx.workspaceId, items), nextCursor: rows.length > q.limit ? Number(items.at(-1)!.id) : null };
  }

  /** Enrolls customers by hand into an active journey; their first steps run at once. */
  async function enroll(ctx: WorkspaceContext, journeyId: string, customerIds: readonly number[], occurrence?: string) {
    const j = await repo.findJourney(db, ctx.workspaceId, journeyId);
    if (!j) throw notFound('journey.not_found', 'Journey not found');
    if (j.status !== 'active' || !j.live_version) throw conflict('journey.not_active', 'Only an active journey takes customers', { status: j.status });
    const def: JourneyDefinition = (await repo.findVersion(db, ctx.workspaceId, journeyId, j.live_version))!.definition;
    const now = clock.now();
    const tag = occurrence ?? now.toISOString();
    const distinct = [...new Set(customerIds)];
    const ids = await db.transaction().execute(async (trx) => {
      const created = await enr.enroll(trx, {
        workspaceId: ctx.workspaceId, journeyId, version: j.live_version!, startStep: startStepId(def), reentry: def.reentry, now,
        candidates: distinct.map((id) => ({ customerId: id, groupId: null, occurrence: `manual:${tag}`, trigger: { type: 'manual', by: ctx.actor.label }, at: now })),
      });
      await recordAudit(trx, ctx, { action: 'journey.enroll', targetType: 'journey', targetId: journeyId, details: { requested: distinct.length, enrolled: created.length } });
      return created;
    });
    if (ids.length) await runner.runNow(ctx.workspaceId, journeyId, ids);
    const entered = new Set(
      ids.length ? (await db.selectFrom('journey_enrollments').select('customer_id').where('workspace_id', '=', ctx.workspaceId).where('id', 'in', ids).execute()).map((r) => Number(r.customer_id)) : [],
    );
    return { requested: distinct.length, enrolled: ids.length, skipped: distinct.filter((id) => !entered.has(id)) };
  }

  return { ofCustomer, ofJourney, enroll };
}

export type EnrollmentsService = ReturnType<typeof createEnrollmentsService>;
