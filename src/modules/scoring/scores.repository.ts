/**
 * Writing scores: changed rows are applied set-based — from the staging table (full
 * recompute) or from unnest arrays (incremental, small stages) — with the history of classes
 * and stages in the same statement. A row read earlier is only overwritten if nobody
 * re-scored the customer since (its scored_at is unchanged).
 */
import { sql, type RawBuilder } from 'kysely';
import type pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { ScoreChange, ValueRange } from './changes.ts';
import { locate, totalOf, type Distribution } from './rfm.ts';
import type { Executor } from './scoring.deps.ts';

/** Score columns in staging and customer_scores order. */
const SCORE_COLUMNS = [
  'rfm_recency_days', 'rfm_frequency', 'rfm_monetary_fen', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_class',
  'lifecycle_days_stage', 'lifecycle_stage_stage', 'lifecycle_business_stage', 'lifecycle_stage', 'value_layer', 'consumption_tier',
  'last_order_day', 'rescore_on_day',
] as const;
const HISTORY_COLUMNS = ['rfm_class', 'lifecycle_days_stage', 'lifecycle_stage_stage', 'lifecycle_business_stage', 'value_layer', 'consumption_tier'] as const;
const TYPES = ['int', 'int', 'bigint', 'smallint', 'smallint', 'smallint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int', 'int'];
const STAGING_COLUMNS = ['customer_id', ...SCORE_COLUMNS, 'is_new', 'prev_scored_us', 'class_changed', 'notify'];

function scoreValues(c: ScoreChange): (string | number | boolean | null)[] {
  const s = c.score;
  return [c.customerId, s.recencyDays, s.frequency, s.monetaryFen, s.r, s.f, s.m, s.rfmClass, s.daysStage, s.stageStage, s.businessStage, s.primaryStage, s.valueLayer, s.tier, c.lastOrderDay, c.rescoreOnDay, c.isNew, c.prevScoredUs, c.classChanged, c.notify];
}

/** The changes as a row set of unnest arrays. */
function unnestRowset(changes: readonly ScoreChange[]): RawBuilder<unknown> {
  const rows = changes.map(scoreValues);
  const types = ['bigint', ...TYPES, 'boolean', 'bigint', 'boolean', 'boolean'];
  const arrays = types.map((t, i) => sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(t)}[]`);
  return sql`select * from unnest(${sql.join(arrays)}) as t(${sql.raw(STAGING_COLUMNS.join(', '))})`;
}

function stagingRowset(workspaceId: string, runId: string, fromId: number, toId: number): RawBuilder<unknown> {
  return sql`select ${sql.raw(STAGING_COLUMNS.join(', '))} from scoring_staging
    where workspace_id = ${workspaceId} and run_id = ${runId} and customer_id between ${fromId} and ${toId}`;
}

/**
 * Applies a row set of changes: updates rows nobody re-scored since they were read, inserts
 * new ones, closes and opens history periods for class changes. Returns the customers whose
 * change was applied and should be announced.
 */
async function applyRowset(db: Executor, workspaceId: string, now: Date, rowset: RawBuilder<unknown>, keepDistribution: boolean): Promise<{ applied: number; notify: number[]; classChanged: number }> {
  const cols = sql.raw(SCORE_COLUMNS.join(', '));
  const sets = sql.raw(SCORE_COLUMNS.map((c) => `${c} = t.${c}`).join(', '));
  const hist = sql.raw(HISTORY_COLUMNS.join(', '));
  const { rows } = await sql<{ customer_id: number; notify: boolean; class_changed: boolean }>`
    with t as materialized (${rowset}),
    -- The stored values before this statement (every part of it reads the same snapshot).
    old as materialized (
      select s.customer_id, s.last_order_day, s.rfm_frequency, s.rfm_monetary_fen
      from t cross join lateral (
        select customer_id, last_order_day, rfm_frequency, rfm_monetary_fen from customer_scores
        where workspace_id = ${workspaceId} and customer_id = t.customer_id) s),
    upd as (
      update customer_scores s set ${sets}, scored_at = ${now}
      from t
      where s.workspace_id = ${workspaceId} and s.customer_id = t.customer_id and not t.is_new
        and (t.prev_scored_us is null or (extract(epoch from s.scored_at) * 1000000)::bigint = t.prev_scored_us)
      returning s.customer_id),
    ins as (
      insert into customer_scores (workspace_id, customer_id, ${cols}, scored_at)
      select ${workspaceId}, t.customer_id, ${sql.raw(SCORE_COLUMNS.map((c) => `t.${c}`).join(', '))}, ${now} from t where t.is_new
      on conflict (workspace_id, customer_id) do nothing
      returning customer_id),
    applied as (select customer_id from upd union all select customer_id from ins),
    closed as (
      update customer_score_history h set valid_to = ${now}
      from applied a join t on t.customer_id = a.customer_id
      where t.class_changed and h.workspace_id = ${workspaceId} and h.customer_id = a.customer_id and h.valid_to is null and h.valid_from < ${now}
      returning h.customer_id),
    opened as (
      insert into customer_score_history (workspace_id, customer_id, valid_from, ${hist})
      select ${workspaceId}, t.customer_id, ${now}, ${sql.raw(HISTORY_COLUMNS.map((c) => `t.${c}`).join(', '))}
      from applied a join t on t.customer_id = a.customer_id where t.class_changed
      on conflict (workspace_id, customer_id, valid_from) do update set ${sql.raw(HISTORY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', '))}, valid_to = null
      returning customer_id),
    -- Only rows whose counted values moved (a rewrite that keeps them would add -1 and +1).
    moved as (
      select o.last_order_day, o.rfm_frequency, o.rfm_monetary_fen, -1 as d
      from upd u join old o on o.customer_id = u.customer_id join t on t.customer_id = u.customer_id
      where (o.last_order_day, o.rfm_frequency, o.rfm_monetary_fen) is distinct from (t.last_order_day, t.rfm_frequency, t.rfm_monetary_fen)
      union all
      select t.last_order_day, t.rfm_frequency, t.rfm_monetary_fen, 1
      from applied a join t on t.customer_id = a.customer_id left join old o on o.customer_id = a.customer_id
      where o.customer_id is null or (o.last_order_day, o.rfm_frequency, o.rfm_monetary_fen) is distinct from (t.last_order_day, t.rfm_frequency, t.rfm_monetary_fen)),
    counted as (${keepDistribution ? distributionUpsert(workspaceId, sql`moved`) : sql`select 1`})
    select a.customer_id, t.notify, t.class_changed
    from applied a join t on t.customer_id = a.customer_id`.execute(db);
  return { applied: rows.length, notify: rows.filter((r) => r.notify).map((r) => r.customer_id), classChanged: rows.filter((r) => r.class_changed).length };
}

/**
 * Adds moves — rows of (last_order_day, rfm_frequency, rfm_monetary_fen, d): d = −1 for a stored
 * row's values leaving, +1 for a written row's values arriving — to scoring_distribution:
 * dimension 0 counts the scored customers, 1–4 the values (3: monetary buckets, 4: monetary values) of those with orders.
 */
function distributionUpsert(workspaceId: string, moves: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into scoring_distribution (workspace_id, dimension, value, customers)
    select ${workspaceId}, v.dimension, v.value, sum(m.d)::int
    from ${moves} m
    cross join lateral (values (0::int2, 0::int8), (1::int2, m.last_order_day::int8), (2::int2, m.rfm_frequency::int8), (3::int2, scoring_monetary_bucket(m.rfm_monetary_fen::int8)), (4::int2, m.rfm_monetary_fen::int8)) v(dimension, value)
    where v.value is not null
    group by v.dimension, v.value
    having sum(m.d) <> 0
    on conflict (workspace_id, dimension, value) do update set customers = scoring_distribution.customers + excluded.customers
    returning 1`;
}

/** Applies a few changes directly (incremental re-scoring, small recomputes). */
export function applyChanges(db: Executor, workspaceId: string, now: Date, changes: readonly ScoreChange[]) {
  return applyRowset(db, workspaceId, now, unnestRowset(changes), true);
}

/**
 * Applies the staged changes of a run for customers in [fromId, toId]. The distribution is not
 * kept chunk by chunk (that cost a fifth of a million-row write): the run counts it again.
 */
export function applyStaged(db: Executor, workspaceId: string, runId: string, now: Date, fromId: number, toId: number) {
  return applyRowset(db, workspaceId, now, stagingRowset(workspaceId, runId, fromId, toId), false);
}

/** Stages changes with unnest, in batches (both engines). */
export async function stageWithInsert(db: Executor, workspaceId: string, runId: string, changes: readonly ScoreChange[], batch = 10_000): Promise<void> {
  for (let i = 0; i < changes.length; i += batch) {
    await sql`insert into scoring_staging (workspace_id, run_id, ${sql.raw(STAGING_COLUMNS.join(', '))})
      select ${workspaceId}, ${runId}, t.* from (${unnestRowset(changes.slice(i, i + batch))}) t`.execute(db);
  }
}

const copyText = (v: string | number | boolean | null) => (v === null ? '\\N' : v === true ? 't' : v === false ? 'f' : String(v));

/** Stages changes with COPY FROM STDIN (PostgreSQL; values are integers and fixed keys, nothing to escape). */
export async function stageWithCopy(pool: pg.Pool, workspaceId: string, runId: string, changes: readonly ScoreChange[]): Promise<void> {
  const client = await pool.connect();
  try {
    const prefix = `${workspaceId}\t${runId}\t`;
    async function* lines() {
      let chunk = '';
      for (const c of changes) {
        chunk += `${prefix}${scoreValues(c).map(copyText).join('\t')}\n`;
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await pipeline(Readable.from(lines()), client.query(copyStreams.from(`copy scoring_staging (workspace_id, run_id, ${STAGING_COLUMNS.join(', ')}) from stdin`)));
  } finally {
    client.release();
  }
}

/**
 * Planner statistics after a large write: the staging table just filled (else the planner
 * expects one row and joins 50,000 staged changes with each other in nested loops: measured
 * minutes per chunk at 1,000,000 customers), or the scores after a recompute that wrote many.
 */
export async function analyzeTables(db: Executor, tables: 'staging' | 'scores'): Promise<void> {
  if (tables === 'staging') await sql`analyze scoring_staging`.execute(db);
  else await sql`analyze customer_scores, customer_score_history`.execute(db);
}

export async function clearStaging(db: Executor, workspaceId: string, runId?: string): Promise<void> {
  await db.deleteFrom('scoring_staging').where('workspace_id', '=', workspaceId).$if(!!runId, (q) => q.where('run_id', '=', runId!)).execute();
}

/** Removes the scores of customers merged into another (all of the workspace, or among `ids`) and closes their history. */
export async function removeMerged(db: Executor, workspaceId: string, now: Date, ids?: readonly number[]): Promise<number[]> {
  const { rows } = await sql<{ customer_id: number }>`
    with gone as (
      delete from customer_scores s using scoring_customer_inputs i
      where s.workspace_id = ${workspaceId} and i.workspace_id = ${workspaceId} and i.customer_id = s.customer_id and i.merged_into is not null
        ${ids ? sql`and s.customer_id = any(${[...ids]}::bigint[])` : sql``}
      returning s.customer_id, s.last_order_day, s.rfm_frequency, s.rfm_monetary_fen),
    closed as (
      update customer_score_history h set valid_to = ${now} from gone g
      where h.workspace_id = ${workspaceId} and h.customer_id = g.customer_id and h.valid_to is null
      returning h.customer_id),
    counted as (${distributionUpsert(workspaceId, sql`(select last_order_day, rfm_frequency, rfm_monetary_fen, -1 as d from gone)`)})
    select customer_id from gone`.execute(db);
  return rows.map((r) => r.customer_id);
}

/** Serialises writers of one workspace's scores until the transaction ends. */
export async function lockScores(trx: Executor, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(7321, hashtext(${workspaceId}))`.execute(trx);
}

/** Recounts a workspace's distribution from its stored scores (one scan, one grouping set per dimension). */
export async function rebuildDistribution(db: Executor, workspaceId: string): Promise<void> {
  await sql`delete from scoring_distribution where workspace_id = ${workspaceId}`.execute(db);
  await sql`
    insert into scoring_distribution (workspace_id, dimension, value, customers)
    select ${workspaceId}, dimension, value, customers from (
      select 0::int2 as dimension, 0::int8 as value, count(*)::int as customers from customer_scores where workspace_id = ${workspaceId}
      union all
      select case when grouping(last_order_day) = 0 then 1 when grouping(rfm_frequency) = 0 then 2 when grouping(bucket) = 0 then 3 else 4 end::int2,
        coalesce(last_order_day::int8, rfm_frequency::int8, bucket, rfm_monetary_fen::int8), count(*)::int
      from (
        select last_order_day, rfm_frequency, rfm_monetary_fen, scoring_monetary_bucket(rfm_monetary_fen::int8) as bucket
        from customer_scores where workspace_id = ${workspaceId}) s
      group by grouping sets ((last_order_day), (rfm_frequency), (bucket), (rfm_monetary_fen))) c
    where value is not null and customers > 0`.execute(db);
}

/** The distribution of one workspace: last order days, frequencies and monetary buckets ascending with their counts (rows at zero left out); null if a count went below zero. */
export async function readDistribution(db: Executor, workspaceId: string): Promise<{ scored: number; dimensions: Distribution[] } | null> {
  const { rows } = await sql<{ dimension: number; value: string; customers: number }>`
    select dimension, value, customers from scoring_distribution
    where workspace_id = ${workspaceId} and dimension <= 3 and customers <> 0 order by dimension, value`.execute(db);
  const dimensions: Distribution[] = [1, 2, 3].map(() => ({ values: [], counts: [] }));
  let scored = 0;
  for (const r of rows) {
    if (r.customers < 0) return null;
    if (r.dimension === 0) scored = r.customers;
    else {
      dimensions[r.dimension - 1]!.values.push(Number(r.value));
      dimensions[r.dimension - 1]!.counts.push(r.customers);
    }
  }
  return { scored, dimensions };
}

/**
 * The monetary value at `offset` (0-based, ascending) among the customers with orders whose value
 * lies in [from, to) — one bucket of the distribution; to null: no upper bound. Read from the
 * distinct values the distribution counts in that bucket.
 */
export async function monetaryAt(db: Executor, workspaceId: string, from: number, to: number | null, offset: number): Promise<number | null> {
  const { rows } = await sql<{ value: string; customers: number }>`
    select value, customers from scoring_distribution
    where workspace_id = ${workspaceId} and dimension = 4 and value >= ${from} ${to === null ? sql`` : sql`and value < ${to}`} and customers <> 0
    order by value`.execute(db);
  const inBucket = { values: rows.map((r) => Number(r.value)), counts: rows.map((r) => r.customers) };
  if (offset >= totalOf(inBucket)) return null;
  return inBucket.values[locate(inBucket, offset).index]!;
}

/**
 * Scored customers whose re-score day has come, whose stored value lies in one of the ranges
 * (`liveRanges`: only rows written at or after `liveSince`, the last run's end), or whose last
 * order is dated after the last run's day (`sinceDay`: such an order counted as that day's
 * until its own day came) — one parallel scan of the workspace's scores (no index on these
 * columns keeps score writes HOT; migration 0065).
 */
export async function findRescoreCandidates(
  db: Executor,
  workspaceId: string,
  q: { today: number; sinceDay: number; liveSince: Date; ranges: readonly ValueRange[]; liveRanges: readonly ValueRange[] },
): Promise<number[]> {
  const inRange = (r: ValueRange) => sql`(s.${sql.ref(r.column)} >= ${r.from} and s.${sql.ref(r.column)} < ${r.to})`;
  const conditions = [
    sql`s.rescore_on_day <= ${q.today}`,
    sql`s.last_order_day > ${q.sinceDay}`,
    ...q.ranges.map(inRange),
    ...q.liveRanges.map((r) => sql`(${inRange(r)} and s.scored_at >= ${q.liveSince})`),
  ];
  const { rows } = await sql<{ customer_id: string }>`
    select s.customer_id from customer_scores s
    where s.workspace_id = ${workspaceId} and (${sql.join(conditions, sql` or `)})`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}

/** Scored customers whose re-score day has come by `today` (one parallel scan, as findRescoreCandidates). */
export async function dueCustomers(db: Executor, workspaceId: string, today: number): Promise<number[]> {
  const { rows } = await sql<{ customer_id: string }>`
    select customer_id from customer_scores where workspace_id = ${workspaceId} and rescore_on_day <= ${today} order by customer_id`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}

/** Active customers of the workspace (to find any not scored yet). */
export async function countActiveCustomers(db: Executor, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from customers where workspace_id = ${workspaceId} and merged_into is null`.execute(db);
  return Number(rows[0]!.n);
}

/** Scored customers written after `at` (by incremental re-scoring while a full run was under way). */
export async function rescoredSince(db: Executor, workspaceId: string, at: Date): Promise<number[]> {
  const { rows } = await sql<{ customer_id: string }>`select customer_id from customer_scores where workspace_id = ${workspaceId} and scored_at > ${at}`.execute(db);
  return rows.map((r) => Number(r.customer_id));
}
