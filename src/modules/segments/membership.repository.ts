/**
 * Membership writes: one statement per segment diffs who matches now against who is stored,
 * inserts entries, deletes exits and records both in the history. Writers of a workspace
 * hold its segments lock, so evaluations never interleave.
 */
import { sql, type RawBuilder } from 'kysely';
import type { EvaluationCause, Executor, MembershipChange } from './segments.deps.ts';
import type { FactScope } from './facts.repository.ts';

/** Serialises facts and membership writes of a workspace until the transaction ends. */
export async function lockWorkspaceSegments(db: Executor, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`segments:${workspaceId}`}::text, 0))`.execute(db);
}

export interface ActiveSegment {
  id: string;
  rule: unknown;
  isTimeRelative: boolean;
  updatedAt: Date;
}

export async function activeSegments(db: Executor, workspaceId: string, onlyTimeRelative = false): Promise<ActiveSegment[]> {
  let q = db.selectFrom('segments').select(['id', 'rule', 'is_time_relative', 'updated_at']).where('workspace_id', '=', workspaceId).where('status', '=', 'active');
  if (onlyTimeRelative) q = q.where('is_time_relative', '=', true);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, rule: r.rule, isTimeRelative: r.is_time_relative, updatedAt: r.updated_at }));
}

export interface Change {
  segmentId: string;
  customerId: number;
  change: MembershipChange;
}

const scoped = (column: RawBuilder<unknown>, scope: FactScope) =>
  'ids' in scope
    ? sql`${column} = any(${[...scope.ids]}::bigint[])`
    : scope.upTo === null
      ? sql`${column} > ${scope.after}::bigint`
      : sql`${column} > ${scope.after}::bigint and ${column} <= ${scope.upTo}::bigint`;

/**
 * Re-evaluates one segment for the customers of `scope`: matching customers not stored enter,
 * stored ones no longer matching exit, each recorded in the history at `now`.
 */
export async function applyMembership(
  db: Executor,
  input: { workspaceId: string; segmentId: string; condition: RawBuilder<boolean>; scope: FactScope; now: Date; cause: EvaluationCause },
): Promise<Change[]> {
  const { workspaceId: ws, segmentId: seg, scope, now, cause } = input;
  if ('ids' in scope && !scope.ids.length) return [];
  const { rows } = await sql<{ customer_id: number; change: MembershipChange }>`
    with matched as (
      select f.customer_id from segment_facts f where f.workspace_id = ${ws}::uuid and ${scoped(sql.ref('f.customer_id'), scope)} and ${input.condition}),
    entered as (
      insert into segment_members (workspace_id, segment_id, customer_id, entered_at)
      select ${ws}::uuid, ${seg}::uuid, customer_id, ${now}::timestamptz from matched order by customer_id
      on conflict do nothing
      returning customer_id),
    exited as (
      delete from segment_members m where m.workspace_id = ${ws}::uuid and m.segment_id = ${seg}::uuid and ${scoped(sql.ref('m.customer_id'), scope)}
        and not exists (select 1 from matched x where x.customer_id = m.customer_id)
      returning m.customer_id),
    changes as (
      select customer_id, 'entered' as change from entered union all select customer_id, 'exited' from exited),
    recorded as (
      insert into segment_membership_history (workspace_id, segment_id, customer_id, change, at, cause)
      select ${ws}::uuid, ${seg}::uuid, customer_id, change, ${now}::timestamptz, ${cause}::text from changes order by customer_id)
    select customer_id, change from changes`.execute(db);
  return rows.map((r) => ({ segmentId: seg, customerId: Number(r.customer_id), change: r.change }));
}

/**
 * Who would enter and exit if the segment were evaluated from the sources themselves
 * (segment_customer_source, not the stored facts): the rebuild's dry run.
 */
export async function diffFromSources(
  db: Executor,
  input: { workspaceId: string; segmentId: string; condition: RawBuilder<boolean>; scope: FactScope },
): Promise<{ entered: number; exited: number; members: number }> {
  const { workspaceId: ws, segmentId: seg, scope } = input;
  const { rows } = await sql<{ entered: number; exited: number; members: number }>`
    with matched as (
      select f.customer_id from segment_customer_source f where f.workspace_id = ${ws}::uuid and ${scoped(sql.ref('f.customer_id'), scope)} and ${input.condition}),
    stored as (
      select m.customer_id from segment_members m where m.workspace_id = ${ws}::uuid and m.segment_id = ${seg}::uuid and ${scoped(sql.ref('m.customer_id'), scope)})
    select (select count(*) from matched where customer_id not in (select customer_id from stored))::int as entered,
      (select count(*) from stored where customer_id not in (select customer_id from matched))::int as exited,
      (select count(*) from matched)::int as members`.execute(db);
  return rows[0]!;
}

/** Moves a segment's count by the changes just applied and stamps the last change. */
export async function bumpCounts(db: Executor, workspaceId: string, changes: readonly Change[], now: Date): Promise<void> {
  const delta = new Map<string, number>();
  for (const c of changes) delta.set(c.segmentId, (delta.get(c.segmentId) ?? 0) + (c.change === 'entered' ? 1 : -1));
  for (const [segmentId, d] of delta) {
    await db
      .updateTable('segments')
      .set({ member_count: sql`member_count + ${d}::int`, last_change_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', segmentId)
      .execute();
  }
}

/** After a full evaluation: the exact count and when (and for which local day) it was made. */
export async function markEvaluated(db: Executor, workspaceId: string, segmentId: string, at: Date, localDate: string): Promise<void> {
  await sql`
    update segments set evaluated_at = ${at}::timestamptz, evaluated_for_date = ${localDate}::date,
      member_count = (select count(*) from segment_members m where m.workspace_id = ${workspaceId}::uuid and m.segment_id = ${segmentId}::uuid)
    where workspace_id = ${workspaceId}::uuid and id = ${segmentId}::uuid`.execute(db);
}

/**
 * Active segments due for a full evaluation: time-relative ones not yet evaluated for the
 * local today of their workspace, and any never evaluated (a lost evaluation job).
 */
export async function segmentsDue(db: Executor, now: Date): Promise<{ workspaceId: string; segmentId: string }[]> {
  const { rows } = await sql<{ workspace_id: string; id: string }>`
    select s.workspace_id, s.id from segments s join segment_workspace_zones w on w.workspace_id = s.workspace_id
    where s.status = 'active' and (s.evaluated_at is null
      or (s.is_time_relative and s.evaluated_for_date is distinct from (${now}::timestamptz at time zone w.time_zone)::date))
    order by s.workspace_id, s.id`.execute(db);
  return rows.map((r) => ({ workspaceId: r.workspace_id, segmentId: r.id }));
}

export async function timeZoneOf(db: Executor, workspaceId: string): Promise<string> {
  const { rows } = await sql<{ time_zone: string }>`select time_zone from segment_workspace_zones where workspace_id = ${workspaceId}::uuid`.execute(db);
  return rows[0]?.time_zone ?? 'Asia/Shanghai';
}

/**
 * Every workspace with customers: previews read the facts whether or not the workspace has
 * saved segments, so facts of rows written without the change feed (bulk loads) must be
 * reconciled everywhere.
 */
export async function workspacesWithCustomers(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select z.workspace_id as id from segment_workspace_zones z where exists (select 1 from segment_attribute_facts a where a.workspace_id = z.workspace_id)`.execute(db);
  return rows.map((r) => r.id);
}

/** Which of `customerIds` match, evaluated over the sources (segment_customer_source), not the stored facts. */
export async function matchingAmong(db: Executor, workspaceId: string, condition: RawBuilder<boolean>, customerIds: readonly number[]): Promise<Set<number>> {
  const { rows } = await sql<{ customer_id: number }>`
    select f.customer_id from segment_customer_source f
    where f.workspace_id = ${workspaceId}::uuid and f.customer_id = any(${[...customerIds]}::bigint[]) and ${condition}`.execute(db);
  return new Set(rows.map((r) => Number(r.customer_id)));
}

/** Customers matching `condition`, ids ascending after `afterId` (the condition should be compiled with the same range). */
export async function matchingPageAfter(db: Executor, workspaceId: string, condition: RawBuilder<boolean>, afterId: number, limit: number): Promise<number[]> {
  const { rows } = await sql<{ customer_id: number }>`
    select f.customer_id from segment_customer_source f
    where f.workspace_id = ${workspaceId}::uuid and f.customer_id > ${afterId} and ${condition}
    order by f.customer_id limit ${limit}`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}

/** Members of a segment, ids ascending after `afterId`. */
export async function membersAfter(db: Executor, workspaceId: string, segmentId: string, afterId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('segment_members').select('customer_id')
    .where('workspace_id', '=', workspaceId).where('segment_id', '=', segmentId).where('customer_id', '>', afterId)
    .orderBy('customer_id').limit(limit).execute();
  return rows.map((r) => Number(r.customer_id));
}
