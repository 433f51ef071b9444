/** SQL of enrollments: entering (with re-entry rules), claiming due rows, saving progress, exits and goals. */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './journeys.deps.ts';
import type { Enrollment, LogEntry } from './step-engine.ts';
import type { JourneyDefinition } from './journeys.schemas.ts';

export interface Candidate {
  customerId: number | null;
  groupId: string | null;
  occurrence: string;
  trigger: Record<string, unknown>;
  /** When the first step is due (normally now). */
  at: Date;
}

function reentryPredicate(workspaceId: string, journeyId: string, reentry: JourneyDefinition['reentry'], now: Date): RawBuilder<boolean> {
  if (reentry.mode === 'always') return sql<boolean>`true`;
  const since = reentry.mode === 'after_days' ? sql`and x.entered_at > ${now}::timestamptz - make_interval(days => ${reentry.days}::int)` : sql``;
  return sql<boolean>`not exists (
    select 1 from journey_enrollments x
    where x.workspace_id = ${workspaceId} and x.journey_id = ${journeyId}
      and x.subject = coalesce(c.customer_id::text, 'group:' || c.group_id) ${since})`;
}

/**
 * Enrolls candidates on the start step, set-based. Skipped without error: a trigger
 * occurrence seen before, a customer already in the journey (never twice at once), one the
 * re-entry rule keeps out, and unknown or merged-away customers. Returns the new ids.
 *
 * Nobody enters unless the journey is active when the rows are written: the journey row is
 * read FOR SHARE first, so a pause or stop (which lock it FOR UPDATE) either waits for this
 * entry — and a stop then exits it with everyone else — or has committed, and no one enters.
 * A trigger that read the journey while it was active therefore cannot leave a customer
 * stranded in a stopped journey.
 */
export async function enroll(
  db: Executor,
  p: { workspaceId: string; journeyId: string; version: number; startStep: string; reentry: JourneyDefinition['reentry']; now: Date; candidates: readonly Candidate[] },
): Promise<number[]> {
  if (!p.candidates.length) return [];
  const { rows: live } = await sql<{ status: string }>`
    select status from journeys where workspace_id = ${p.workspaceId} and id = ${p.journeyId} for share`.execute(db);
  if (live[0]?.status !== 'active') return [];
  const c = p.candidates;
  const { rows } = await sql<{ id: number }>`
    insert into journey_enrollments (workspace_id, journey_id, version, customer_id, group_id, occurrence, state, current_step, is_waiting,
      next_run_at, visits, log, trigger, entered_at, updated_at)
    select ${p.workspaceId}, ${p.journeyId}, ${p.version}, c.customer_id, c.group_id, c.occurrence, 'active', ${p.startStep}, false,
      c.at, jsonb_build_object(${p.startStep}::text, 1),
      jsonb_build_array(jsonb_build_object('at', ${p.now.toISOString()}::text, 'step', ${p.startStep}::text, 'type', 'enter', 'outcome', 'entered')),
      c.trigger::jsonb, ${p.now}, ${p.now}
    from unnest(${c.map((x) => x.customerId)}::bigint[], ${c.map((x) => x.groupId)}::text[], ${c.map((x) => x.occurrence)}::text[],
      ${c.map((x) => JSON.stringify(x.trigger))}::text[], ${c.map((x) => x.at.toISOString())}::timestamptz[]) as c(customer_id, group_id, occurrence, trigger, at)
    where (c.customer_id is null or exists (
        select 1 from journey_customer_facts f where f.workspace_id = ${p.workspaceId} and f.id = c.customer_id and f.merged_into is null))
      and ${reentryPredicate(p.workspaceId, p.journeyId, p.reentry, p.now)}
    on conflict do nothing
    returning id`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * Analyzes journey_enrollments when a tenth of it (and at least 1,000 rows) changed since the
 * last ANALYZE. Enrolment checks every candidate against the journey's earlier entries by
 * index; on statistics from when the table was nearly empty the planner scans the table for
 * each candidate instead (a 100,000-customer fire took minutes, page after page).
 */
export async function analyzeIfStale(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ changed: string; rows: number }>`
    select s.n_mod_since_analyze as changed, c.reltuples as rows
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'journey_enrollments'`.execute(db);
  const r = rows[0];
  if (!r || Number(r.changed) < Math.max(1000, 0.1 * Math.max(0, Number(r.rows)))) return false;
  await sql`analyze journey_enrollments`.execute(db);
  return true;
}

interface EnrollmentRow {
  id: number;
  journey_id: string;
  version: number;
  customer_id: number | null;
  group_id: string | null;
  occurrence: string;
  state: string;
  current_step: string | null;
  is_waiting: boolean;
  next_run_at: Date | null;
  variant: string | null;
  visits: Record<string, number>;
  log: LogEntry[];
  last_step_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
}

const toEnrollment = (r: EnrollmentRow): Enrollment => ({
  id: Number(r.id),
  journeyId: r.journey_id,
  version: r.version,
  customerId: r.customer_id === null ? null : Number(r.customer_id),
  groupId: r.group_id,
  occurrence: r.occurrence,
  state: r.state as Enrollment['state'],
  currentStep: r.current_step,
  isWaiting: r.is_waiting,
  nextRunAt: r.next_run_at,
  variant: r.variant,
  visits: r.visits,
  log: r.log,
  lastStepAt: r.last_step_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

/**
 * Claims up to `limit` due enrollments of a journey for this transaction. Rows another
 * worker holds are skipped, so workers share the work and no row runs twice at once.
 */
export async function claimDue(db: Executor, workspaceId: string, journeyId: string, now: Date, limit: number, ids?: readonly number[]): Promise<Enrollment[]> {
  const only = ids ? sql`and id = any(${ids}::bigint[])` : sql``;
  const { rows } = await sql<EnrollmentRow>`
    select id, journey_id, version, customer_id, group_id, occurrence, state, current_step, is_waiting, next_run_at, variant, visits, log,
      last_step_at, ended_at, end_reason
    from journey_enrollments
    where workspace_id = ${workspaceId} and journey_id = ${journeyId} and state = 'active' and next_run_at <= ${now} ${only}
    order by next_run_at
    limit ${limit}
    for update skip locked`.execute(db);
  return rows.map(toEnrollment);
}

/** Writes the batch's progress, set-based. */
export async function saveProgress(db: Executor, workspaceId: string, list: readonly Enrollment[], now: Date): Promise<void> {
  if (!list.length) return;
  const col = <T>(f: (e: Enrollment) => T) => list.map(f);
  await sql`
    update journey_enrollments e set state = u.state, current_step = u.current_step, is_waiting = u.is_waiting, next_run_at = u.next_run_at,
      variant = u.variant, visits = u.visits::jsonb, log = u.log::jsonb, last_step_at = u.last_step_at, ended_at = u.ended_at,
      end_reason = u.end_reason, updated_at = ${now}
    from unnest(${col((e) => e.id)}::bigint[], ${col((e) => e.state)}::text[], ${col((e) => e.currentStep)}::text[], ${col((e) => e.isWaiting)}::boolean[],
      ${col((e) => e.nextRunAt?.toISOString() ?? null)}::timestamptz[], ${col((e) => e.variant)}::text[], ${col((e) => JSON.stringify(e.visits))}::text[],
      ${col((e) => JSON.stringify(e.log))}::text[], ${col((e) => e.lastStepAt?.toISOString() ?? null)}::timestamptz[],
      ${col((e) => e.endedAt?.toISOString() ?? null)}::timestamptz[], ${col((e) => e.endReason)}::text[])
      as u(id, state, current_step, is_waiting, next_run_at, variant, visits, log, last_step_at, ended_at, end_reason)
    where e.workspace_id = ${workspaceId} and e.id = u.id`.execute(db);
}

/** Active journeys with at least one due enrollment. */
export async function journeysWithDueWork(db: Executor, now: Date): Promise<{ workspaceId: string; journeyId: string }[]> {
  const { rows } = await sql<{ workspace_id: string; id: string }>`
    select j.workspace_id, j.id from journeys j
    where j.status = 'active' and exists (
      select 1 from journey_enrollments e
      where e.workspace_id = j.workspace_id and e.journey_id = j.id and e.state = 'active' and e.next_run_at <= ${now})`.execute(db);
  return rows.map((r) => ({ workspaceId: r.workspace_id, journeyId: r.id }));
}

const exitSet = (reason: RawBuilder<unknown>, now: Date) => sql`
  state = 'exited', end_reason = ${reason}, ended_at = ${now}, is_waiting = false, next_run_at = null, updated_at = ${now},
  log = e.log || jsonb_build_array(jsonb_build_object('at', ${now.toISOString()}::text, 'step', coalesce(e.current_step, ''), 'type', 'exit', 'outcome', 'exited', 'reason', ${reason})),
  current_step = null`;

/** Exits active enrollments of (journey, customer) that entered no later than `at`. */
export async function exitMatching(db: Executor, workspaceId: string, rows: readonly { journeyId: string; customerId: number; at: Date; reason: string }[], now: Date): Promise<number> {
  if (!rows.length) return 0;
  const result = await sql`
    update journey_enrollments e set ${exitSet(sql`u.reason`, now)}
    from unnest(${rows.map((r) => r.journeyId)}::uuid[], ${rows.map((r) => r.customerId)}::bigint[], ${rows.map((r) => r.at.toISOString())}::timestamptz[],
      ${rows.map((r) => r.reason)}::text[]) as u(journey_id, customer_id, at, reason)
    where e.workspace_id = ${workspaceId} and e.journey_id = u.journey_id and e.customer_id = u.customer_id and e.state = 'active' and e.entered_at <= u.at`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Exits active enrollments in `journeyIds` of customers who opted out (consent denied). */
export async function exitOptedOut(db: Executor, workspaceId: string, journeyIds: readonly string[], customerIds: readonly number[], now: Date): Promise<number> {
  if (!journeyIds.length || !customerIds.length) return 0;
  const result = await sql`
    update journey_enrollments e set ${exitSet(sql`'opted_out'::text`, now)}
    where e.workspace_id = ${workspaceId} and e.journey_id = any(${journeyIds}::uuid[]) and e.customer_id = any(${customerIds}::bigint[]) and e.state = 'active'
      and exists (select 1 from journey_customer_facts f where f.workspace_id = e.workspace_id and f.id = e.customer_id and f.consent_status = 'denied')`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A stop: everyone in flight exits with `reason`. */
export async function exitAll(db: Executor, workspaceId: string, journeyId: string, reason: string, now: Date): Promise<number> {
  const result = await sql`
    update journey_enrollments e set ${exitSet(sql`${reason}::text`, now)}
    where e.workspace_id = ${workspaceId} and e.journey_id = ${journeyId} and e.state = 'active'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Merges: the merged-away customers' journeys end (each survivor enters on its own triggers). */
export async function exitCustomers(db: Executor, workspaceId: string, customerIds: number[], reason: string, now: Date): Promise<number> {
  if (!customerIds.length) return 0;
  const result = await sql`
    update journey_enrollments e set ${exitSet(sql`${reason}::text`, now)}
    where e.workspace_id = ${workspaceId} and e.customer_id = any(${customerIds}::bigint[]) and e.state = 'active'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Goals: marks enrollments converted at the earliest goal event that lies within their window
 * (entered_at ≤ at ≤ entered_at + days). Enrollments converted already keep their time.
 */
export async function markConverted(db: Executor, workspaceId: string, rows: readonly { journeyId: string; customerId: number; at: Date; days: number }[]): Promise<number> {
  if (!rows.length) return 0;
  const result = await sql`
    update journey_enrollments e set converted_at = m.at
    from (
      select x.id, min(u.at) as at
      from unnest(${rows.map((r) => r.journeyId)}::uuid[], ${rows.map((r) => r.customerId)}::bigint[], ${rows.map((r) => r.at.toISOString())}::timestamptz[],
        ${rows.map((r) => r.days)}::int[]) as u(journey_id, customer_id, at, days)
      join journey_enrollments x on x.workspace_id = ${workspaceId} and x.journey_id = u.journey_id and x.customer_id = u.customer_id
      where x.converted_at is null and x.entered_at <= u.at and u.at <= x.entered_at + make_interval(days => u.days)
      group by x.id
    ) m
    where e.workspace_id = ${workspaceId} and e.id = m.id and e.converted_at is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Which of these customers have an active enrollment in which journeys (to skip work early). */
export async function activeJourneysOf(db: Executor, workspaceId: string, customerIds: readonly number[]): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (!customerIds.length) return out;
  const rows = await db
    .selectFrom('journey_enrollments')
    .select(['customer_id', 'journey_id'])
    .where('workspace_id', '=', workspaceId)
    .where('customer_id', 'in', [...new Set(customerIds)])
    .where('state', '=', 'active')
    .execute();
  for (const r of rows) {
    const id = Number(r.customer_id);
    if (!out.has(id)) out.set(id, new Set());
    out.get(id)!.add(r.journey_id);
  }
  return out;
}

export async function activeCount(db: Executor, workspaceId: string, journeyId: string): Promise<number> {
  const row = await db
    .selectFrom('journey_enrollments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('journey_id', '=', journeyId)
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
