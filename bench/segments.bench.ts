/**
 * segments: the demo brand at benchmark scale (default 1,000,000 customers, 10,000,000 orders,
 * bulk-loaded and cached by bench/support/demo-data.ts), on PostgreSQL and embedded:
 *
 * 1. `rfm_recompute_s` — an RFM + lifecycle + value layer + tier recompute of every customer
 *    (the scoring run a manual "recompute" or the nightly schedule queues), in four scenarios:
 *    first on unscored customers (full: every customer read and written); again on the same
 *    day and a day later (by changes: only the customers whose scores can have moved; the day
 *    later after the worker refreshed and re-scored the windows time changed, and re-scored the
 *    customers whose stage or tier turned with the day — `day_turn_rescore_s`); and again
 *    reading every customer (full, asked for), which must find nothing left to write. Baseline
 *    in the same database: one hand-written statement that aggregates the raw paid orders per
 *    customer and scores R, F and M with NTILE(5) into a table — RFM only, so the baseline does
 *    less work.
 * 2. `preview_count_p50_ms` — the live count of a three-condition segment while editing (RFM
 *    class, "no order in the last 30 days", product views in 90 days), median of 9. Baseline:
 *    the same count from the raw orders and events tables in one hand-written statement.
 * 3. `membership_latency_p99_ms` — saved segments kept live by the worker while events arrive
 *    at a sustained rate (default 1,000 events/s for 30 s, batches of 100 every 100 ms through
 *    the ingestion service, to existing customers). One in ten events is a `custom.bench_signal` to a
 *    customer not signalled before, which puts that customer into a watched segment; the
 *    latency is from the ingest call's return (accepted) to a poll (every 25 ms) that sees the
 *    member. Baseline: the preview segment rebuilt from the sources (customers, order
 *    aggregates, scores), compared only — what a scheduled recompute does before it can see any
 *    change.
 *
 * The benchmark runs on the cached database itself (a copy of 30 GB per run would not fit most
 * disks): it deletes every score first (so the first recompute writes every customer), removes
 * the segments it created when it ends, and leaves its events (30,000 per run at the defaults,
 * against 42 million) in the cache.
 *
 *   npm run bench -- segments [--json] [--customers N] [--orders N] [--rate EV_PER_S] [--seconds S] [--only postgres|embedded] [--latency-only] [--reconcile]
 *
 * `--latency-only` measures only (3), on the scores and facts an earlier full run left in the cache.
 * `--reconcile` runs the hourly reconcile of segment facts (every customer compared with the
 * sources) through the latency phase, as happens once an hour.
 */
import { sql } from 'kysely';
import type { Siyu } from '../src/composition.ts';
import type { Clock } from '../src/platform/clock.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { newId } from '../src/platform/ids.ts';
import { RFM_CLASSES } from '../src/modules/scoring/scoring.schemas.ts';
import { localDayNumber } from '../src/modules/scoring/days.ts';
import type { Rule } from '../src/modules/segments/segments.schemas.ts';
import { openDemoDatabase, type DemoData } from './support/demo-data.ts';
import { openBenchSiyu } from './support/siyu.ts';
import { argValue, median, percentile, result, round, type BenchContext, type BenchResult, type Benchmark } from './support/harness.ts';

const AT_RISK: (typeof RFM_CLASSES)[number][] = ['important_keep', 'important_retain', 'general_keep', 'general_retain'];
const CHANNELS = ['ecom_package_card', 'content_xiaohongshu', 'content_douyin'];

/** Customers at risk from the e-commerce and content channels: the segment an operator would target. */
export const PREVIEW_RULE: Rule = {
  type: 'and',
  children: [
    { type: 'rfm_class', op: 'in', value: AT_RISK },
    { type: 'time', field: 'last_order_at', op: 'more_than_days_ago', value: 30 },
    { type: 'source_channel', op: 'in', value: CHANNELS },
  ],
};

/** The same with behaviour in a window instead of the channel (events are not pre-aggregated). */
const EVENT_PREVIEW_RULE: Rule = {
  type: 'and',
  children: [
    { type: 'rfm_class', op: 'in', value: AT_RISK },
    { type: 'time', field: 'last_order_at', op: 'more_than_days_ago', value: 30 },
    { type: 'event', eventType: 'product.viewed', measure: 'count', op: 'gte', value: 2, window: { lastDays: 90 } },
  ],
};

const SIGNAL_RULE: Rule = { type: 'event', eventType: 'custom.bench_signal', measure: 'count', op: 'gte', value: 1, window: { lastDays: 1 } };

/** More live segments the worker keeps current for every changed customer. */
const OTHER_RULES: { name: string; rule: Rule }[] = [
  { name: '近30天购买', rule: { type: 'order_stat', metric: 'orders_30d', op: 'gte', value: 1 } },
  { name: '高价值未流失', rule: { type: 'and', children: [{ type: 'value_layer', op: 'eq', value: 'vip' }, { type: 'not', child: { type: 'lifecycle_stage', model: 'stage', op: 'eq', value: 'churned' } }] } },
];

/** The demo's "now" moving forward in real time (windows hold data, and latency is real), and by whole days on request. */
function anchoredClock(anchor: Date): Clock & { advance(ms: number): void } {
  let offset = anchor.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => {
      offset += ms;
    },
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

/** One statement over the raw orders: per-customer R, F, M and NTILE(5) scores and class, into a table. */
async function ntileBaseline(siyu: Siyu, workspaceId: string, now: Date, timeZone: string): Promise<number> {
  await sql`drop table if exists bench_rfm_baseline`.execute(siyu.db);
  const [, seconds] = await timed(() =>
    sql`
      create unlogged table bench_rfm_baseline as
      with per as (
        select customer_id,
          ((${now}::timestamptz at time zone ${timeZone})::date - (max(paid_at) at time zone ${timeZone})::date) as recency,
          count(*) filter (where paid_at > ${now}::timestamptz - interval '365 days' and refunded_fen < paid_fen) as frequency,
          coalesce(sum(paid_fen - refunded_fen) filter (where paid_at > ${now}::timestamptz - interval '365 days'), 0) as monetary
        from orders
        where workspace_id = ${workspaceId} and paid_at is not null and paid_at <= ${now}::timestamptz and status not in ('pending', 'cancelled')
        group by customer_id),
      scored as (
        select customer_id, recency, frequency, monetary,
          ntile(5) over (order by recency desc) as r, ntile(5) over (order by frequency) as f, ntile(5) over (order by monetary) as m
        from per)
      select customer_id, recency, frequency, monetary, r, f, m,
        (${[...RFM_CLASSES]}::text[])[1 + (case when m >= 3 then 0 else 4 end) + (case when r >= 3 then 0 else 2 end) + (case when f >= 3 then 0 else 1 end)] as rfm_class
      from scored`.execute(siyu.db),
  );
  const rows = Number((await sql<{ n: string }>`select count(*) as n from bench_rfm_baseline`.execute(siyu.db)).rows[0]!.n);
  await sql`drop table bench_rfm_baseline`.execute(siyu.db);
  if (rows === 0) throw new Error('the NTILE baseline scored no customer');
  return seconds;
}

/** The preview rule's count from the raw tables (stored class; last order from the orders, channel from customers). */
async function rawPreviewCount(siyu: Siyu, workspaceId: string, now: Date, timeZone: string): Promise<number> {
  const r = await sql<{ n: string }>`
    with today as (select (${now}::timestamptz at time zone ${timeZone})::date as d)
    select count(*) as n
    from customer_scores s
    join customers c on c.workspace_id = s.workspace_id and c.id = s.customer_id and c.merged_into is null
    where s.workspace_id = ${workspaceId} and s.rfm_class = any(${AT_RISK}::text[]) and c.source_channel = any(${CHANNELS}::text[])
      and (select (max(o.paid_at) at time zone ${timeZone})::date from orders o
           where o.workspace_id = s.workspace_id and o.customer_id = s.customer_id and o.paid_at is not null and o.status not in ('pending', 'cancelled'))
          < (select d from today) - 30`.execute(siyu.db);
  return Number(r.rows[0]!.n);
}

interface Target {
  customerId: number;
  identity: { type: string; scope?: string; value: string };
}

/** Existing customers with one of their identities, in random order. */
async function sampleCustomers(siyu: Siyu, workspaceId: string, n: number): Promise<Target[]> {
  const rows = await sql<{ customer_id: string; type: string; scope: string; value: string }>`
    select distinct on (i.customer_id) i.customer_id, i.type, i.scope, i.value
    from customer_identities i
    where i.workspace_id = ${workspaceId} and i.customer_id in (
      select id from customers where workspace_id = ${workspaceId} and merged_into is null order by random() limit ${n})
    order by i.customer_id, i.type`.execute(siyu.db);
  const out = rows.rows.map((r) => ({ customerId: Number(r.customer_id), identity: { type: r.type, ...(r.scope ? { scope: r.scope } : {}), value: r.value } }));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Waits until no job is queued or running (the worker has caught up). */
async function drained(siyu: Siyu, timeoutMs = 3_600_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const { rows } = await siyu.database.pool.query<{ n: number }>(`select count(*)::int as n from pgboss.job where state in ('created', 'retry', 'active') and start_after <= now()`);
    if (rows[0]!.n === 0) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${rows[0]!.n} jobs still queued after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function latencyPhase(ctx: BenchContext, kind: string, siyu: Siyu, workspaceId: string, segmentId: string, rate: number, seconds: number, reconcile: boolean) {
  const wctx = systemContext(workspaceId, 'bench');
  const perTick = Math.max(1, Math.round(rate / 10));
  const ticks = Math.round(seconds * 10);
  const signals = Math.ceil((ticks * perTick) / 10);
  const people = await sampleCustomers(siyu, workspaceId, signals + 20_000);
  const signalled = people.slice(0, signals);
  const others = people.slice(signals);
  if (signalled.length < signals || !others.length) throw new Error('not enough customers for the latency phase');
  const pending = new Map<number, number>();
  const latencies: number[] = [];
  /** Latencies by the 5-second slice of the phase their event was accepted in. */
  const bySlice = new Map<number, number[]>();
  const started = performance.now();
  let polling = true;
  let stoppedAt = Infinity;
  const poller = (async () => {
    while (polling || pending.size) {
      if (pending.size) {
        const ids = [...pending.keys()];
        const seen = await siyu.database.pool.query<{ customer_id: string }>(
          'select customer_id from segment_members where workspace_id = $1 and segment_id = $2 and customer_id = any($3::bigint[])',
          [workspaceId, segmentId, ids],
        );
        const at = performance.now();
        for (const r of seen.rows) {
          const id = Number(r.customer_id);
          const accepted = pending.get(id);
          if (accepted !== undefined) {
            latencies.push(at - accepted);
            const slice = Math.floor((accepted - started) / 5000);
            const list = bySlice.get(slice) ?? [];
            list.push(at - accepted);
            bySlice.set(slice, list);
            pending.delete(id);
          }
        }
      }
      if (!polling && performance.now() - stoppedAt > 60_000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  // The hourly reconcile, when asked for, runs through the phase as it would at minute 17.
  const reconciling = reconcile
    ? timed(() => siyu.segments.membership.reconcile(workspaceId)).then(([r, s]) => ctx.log(`${kind}: the reconcile during the phase checked every customer in ${s.toFixed(1)} s (${r.customers} drifted)`))
    : Promise.resolve();
  const runId = newId().slice(-8);
  let sent = 0;
  let nextSignal = 0;
  let late = 0;
  const inFlight = new Set<Promise<void>>();
  const failures: string[] = [];
  for (let k = 0; k < ticks; k++) {
    const due = started + k * 100;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -100) late++;
    while (inFlight.size >= 4) await Promise.race(inFlight);
    const batch: object[] = [];
    const signalIds: number[] = [];
    const occurredAt = siyu.clock.now().toISOString();
    for (let i = 0; i < perTick; i++) {
      const n = sent + i;
      if (n % 10 === 0 && nextSignal < signalled.length) {
        const who = signalled[nextSignal++]!;
        signalIds.push(who.customerId);
        batch.push({ id: `seg-${runId}-${n}`, type: 'custom.bench_signal', occurredAt, identities: [who.identity], properties: { n } });
      } else {
        const who = others[Math.floor(Math.random() * others.length)]!;
        const view = Math.random() < 0.5;
        batch.push({
          id: `seg-${runId}-${n}`,
          type: view ? 'product.viewed' : 'page.viewed',
          occurredAt,
          identities: [who.identity],
          properties: view ? { productId: `SKU-${n % 300}`, category: '精华' } : { url: `https://mall.example/p/${n % 500}` },
        });
      }
    }
    sent += batch.length;
    const p: Promise<void> = siyu.events
      .ingestEvents(wctx, batch)
      .then((r) => {
        if (r.rejected) throw new Error(`ingest rejected ${r.rejected} events: ${JSON.stringify(r.results.find((x) => x.status === 'rejected'))}`);
        const at = performance.now();
        for (const id of signalIds) pending.set(id, at);
      })
      .catch((err: unknown) => {
        failures.push((err as Error).message);
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1000;
  await reconciling;
  stoppedAt = performance.now();
  polling = false;
  await poller;
  const missing = pending.size;
  if (failures.length) throw new Error(`${failures.length} ingest calls failed; the first: ${failures[0]}`);
  const slices = [...bySlice].sort(([a], [b]) => a - b).map(([k, v]) => `${k * 5}s p50 ${percentile(v, 50).toFixed(0)} max ${Math.max(...v).toFixed(0)}`);
  ctx.log(`${kind}: latency by 5 s slice of acceptance (ms): ${slices.join('; ')}`);
  ctx.log(`${kind}: sent ${sent} events in ${sendSeconds.toFixed(1)} s (${(sent / sendSeconds).toFixed(0)} ev/s, ${late} ticks late); ${latencies.length} entries seen, ${missing} not within 60 s`);
  return { sent, sendSeconds, latencies, missing, late };
}

async function runOne(ctx: BenchContext, kind: 'postgres' | 'embedded', o: { customers: number; orders: number; rate: number; seconds: number; latencyOnly: boolean; reconcile: boolean }): Promise<BenchResult[]> {
  const demo: DemoData = await openDemoDatabase({ target: kind, postgresUrl: ctx.postgresUrl, customers: o.customers, orders: o.orders, shared: true, log: (s) => ctx.log(`${kind}: ${s}`) });
  let siyu: Siyu | undefined;
  const scale = `${demo.customers.toLocaleString('en')} customers, ${demo.orders.toLocaleString('en')} orders`;
  try {
    ctx.log(`${kind}: database ready (${demo.cached ? 'cached' : `built in ${demo.seconds.build.toFixed(0)} s`}, copy opened in ${demo.seconds.open.toFixed(0)} s)`);
    const clock = anchoredClock(demo.anchor);
    siyu = await openBenchSiyu(demo.database, clock, 'worker');
    const ws = demo.workspaceId;
    const wctx = systemContext(ws, 'bench');
    const timeZone = (await siyu.db.selectFrom('workspaces').select('time_zone').where('id', '=', ws).executeTakeFirstOrThrow()).time_zone;
    // Each run's "next day" moves the cache's 365-day windows a day on: start on the day of the
    // first window still to refresh (the anchor is a local midnight), so that every run's next
    // day has a day's worth of them.
    const firstDue = (await sql<{ at: Date | null }>`select min(windows_valid_until) as at from customer_stats where workspace_id = ${ws}`.execute(siyu.db)).rows[0]?.at ?? null;
    const daysOn = firstDue === null ? 0 : Math.max(0, localDayNumber(firstDue, timeZone) - localDayNumber(demo.anchor, timeZone));
    clock.advance(daysOn * 86_400_000);
    if (daysOn) ctx.log(`${kind}: starting ${daysOn} day(s) after the demo's anchor, where an earlier run left the cache`);
    await sql`delete from segments where workspace_id = ${ws}`.execute(siyu.db);
    // An earlier run that was interrupted leaves its recompute "running" and its staged rows.
    await sql`update scoring_runs set status = 'failed', error = 'interrupted benchmark', finished_at = now() where workspace_id = ${ws} and status in ('queued', 'running')`.execute(siyu.db);
    const results: BenchResult[] = [];
    if (o.latencyOnly) {
      // Scores and facts from an earlier run of this benchmark on the same cache.
      const scored = await sql<{ n: string }>`select count(*) as n from customer_scores where workspace_id = ${ws}`.execute(siyu.db);
      if (Number(scored.rows[0]!.n) === 0) throw new Error('--latency-only needs the scores of an earlier full run');
      await siyu.jobs.work();
      await drained(siyu);
    } else {
      await sql`delete from scoring_staging where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from customer_scores where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from segment_facts where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from customer_score_history where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from scoring_distribution where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from scoring_state where workspace_id = ${ws}`.execute(siyu.db);
      await sql`delete from scoring_runs where workspace_id = ${ws}`.execute(siyu.db);
      // A workspace scored for the first time has no dead rows: clear what the deletes left, so
      // that every run on the cache starts from the same state.
      await siyu.database.pool.query('vacuum customer_scores, customer_score_history, segment_facts, scoring_distribution');
      await sql`analyze`.execute(siyu.db);

      const recompute = async (label: string, expected: 'full' | 'changes', full = false) => {
        const { run } = await siyu!.scoring.recompute.request(wctx, 'manual', { full });
        let [done, s] = await timed(() => siyu!.scoring.recompute.run({ workspaceId: ws, runId: run.id }));
        if (!done) {
          // The worker took the queued job first: its run's own duration.
          for (;;) {
            done = await siyu!.scoring.recompute.getRun(wctx, run.id);
            if (done.status === 'completed' || done.status === 'failed') break;
            await new Promise((r) => setTimeout(r, 100));
          }
          s = done.seconds ?? NaN;
        }
        if (done.status !== 'completed') throw new Error(`recompute did not complete: ${JSON.stringify(done)}`);
        if (done.mode !== expected) throw new Error(`the ${label} recompute ran as ${done.mode}, expected ${expected}`);
        ctx.log(`${kind}: ${label} recompute ${s.toFixed(2)} s (${done.mode}: ${done.customers} customers scored, ${done.changed} written, ${done.classChanged} changed class; ${Object.entries(done.timings ?? {}).map(([k, v]) => `${k} ${v} ms`).join(', ')})`);
        return { seconds: s, run: done };
      };
      // The first scoring of every customer (a new workspace, or after an import).
      const first = await recompute('first', 'full');

      // The first recompute announced every customer on customers.changed; the worker brings the
      // segment facts (what previews and segments read) up to date from that feed.
      await siyu.jobs.work();
      const [, drain] = await timed(() => drained(siyu!));
      ctx.log(`${kind}: change feed of the first recompute drained in ${drain.toFixed(1)} s`);
      results.push(result('change_feed_drain_s', round(drain, 1), 's', kind, null, { notes: `${scale}; every customer's scores announced by the first recompute, through the worker (segment facts, tag rules)` }));

      // The usual run: by changes, on the same day and on the next (the nightly run), where
      // time alone moves stages, tiers and recency, and 365-day windows lose their oldest orders
      // (refreshed and re-scored live by the worker first, as it would through the day).
      const again = await recompute('repeat', 'changes');
      clock.advance(86_400_000);
      let refreshed = 0;
      const [, windowsS] = await timed(async () => {
        for (let n = -1; n !== 0; refreshed += n) n = await siyu!.customers.stats.refreshStaleWindows({ limit: 5000 });
        await drained(siyu!);
      });
      // After local midnight the worker re-scores the customers whose stage or tier turned with the day.
      const [due, dueS] = await timed(() => siyu!.scoring.incremental.rescoreDue(ws, null));
      await drained(siyu);
      ctx.log(`${kind}: a day later: ${refreshed} customers' windows refreshed and re-scored live (${windowsS.toFixed(1)} s with the feed); ${due.rescored} customers due re-scored as the day turned, ${due.changed} written (${dueS.toFixed(2)} s)`);
      results.push(result('day_turn_rescore_s', round(dueS, 2), 's', kind, null, { notes: `${scale}; the worker's re-scoring after local midnight of the customers whose stage or tier changed with the day: ${due.rescored} re-scored, ${due.changed} written` }));
      const nextDay = await recompute('next-day', 'changes');
      // For comparison: the same run reading every customer.
      const fullAgain = await recompute('full repeat', 'full', true);
      if (fullAgain.run.changed !== 0) throw new Error(`a full recompute after one by changes wrote ${fullAgain.run.changed} rows`);
      await drained(siyu);

      const now = siyu.clock.now();
      const baselineRuns = [await ntileBaseline(siyu, ws, now, timeZone), await ntileBaseline(siyu, ws, now, timeZone)];
      const baselineS = Math.min(...baselineRuns);
      ctx.log(`${kind}: NTILE baseline ${baselineRuns.map((s) => s.toFixed(1)).join(' s, ')} s`);
      const rfmBaseline = { name: 'ntile_sql_s', value: round(baselineS, 2) };
      const scenario = (label: string, r: typeof first) =>
        result('rfm_recompute_s', round(r.seconds, 2), 's', kind, rfmBaseline, {
          scenario: label,
          notes: `${scale}; ${r.run.mode}: ${r.run.customers} customers scored, ${r.run.changed} rows written; ${round(baselineS / r.seconds, 1)}× faster than the baseline`,
        });
      results.push(
        scenario('first (every customer scored and written)', first),
        scenario('repeat, same day (by changes)', again),
        scenario('next day (by changes)', nextDay),
        scenario('repeat reading every customer (full)', fullAgain),
      );

      // Preview count while editing.
      const counts: number[] = [];
      const samples: number[] = [];
      for (let i = 0; i < 9; i++) {
        const [p, s] = await timed(() => siyu!.segments.segments.preview(wctx, PREVIEW_RULE, 0));
        counts.push(p.count);
        samples.push(s * 1000);
      }
      const raw: number[] = [];
      let rawCount = 0;
      for (let i = 0; i < 3; i++) {
        const [n, s] = await timed(() => rawPreviewCount(siyu!, ws, now, timeZone));
        rawCount = n;
        raw.push(s * 1000);
      }
      if (!counts.every((c) => c === rawCount)) throw new Error(`preview count ${counts[0]} differs from the raw-table count ${rawCount}`);
      ctx.log(`${kind}: preview count ${counts[0]} in ${median(samples).toFixed(0)} ms (raw tables ${median(raw).toFixed(0)} ms) right after the recompute's feed`);
      results.push(result('preview_count_p50_ms', round(median(samples), 1), 'ms', kind, { name: 'raw_tables_sql_ms', value: round(median(raw), 1) }, { scenario: 'class, last order, channel; right after the full recompute rewrote every customer\'s facts', notes: `${scale}; count ${counts[0]} (equal to the raw-table count); the facts table still holds a million dead row versions` }));
      // The same once the database has settled: the facts table vacuumed (what autovacuum does
      // within minutes of the recompute), the state an operator editing a segment normally meets.
      const [, vacuumS] = await timed(() => siyu!.database.pool.query('vacuum (analyze) segment_facts'));
      const settled: number[] = [];
      for (let i = 0; i < 9; i++) settled.push((await timed(() => siyu!.segments.segments.preview(wctx, PREVIEW_RULE, 0)))[1] * 1000);
      ctx.log(`${kind}: preview count ${median(settled).toFixed(0)} ms once settled (vacuum ${vacuumS.toFixed(1)} s)`);
      results.push(result('preview_count_p50_ms', round(median(settled), 1), 'ms', kind, { name: 'raw_tables_sql_ms', value: round(median(raw), 1) }, { scenario: 'class, last order, channel; settled (facts vacuumed)', notes: `${scale}; count ${counts[0]}` }));
      // With an event window: the events of 90 days are aggregated per preview.
      try {
        const [p, s] = await timed(() => siyu!.segments.segments.preview(wctx, EVENT_PREVIEW_RULE, 0));
        ctx.log(`${kind}: preview with an event window: count ${p.count} in ${(s * 1000).toFixed(0)} ms`);
        results.push(result('preview_count_ms', round(s * 1000, 0), 'ms', kind, null, { scenario: 'class, last order, product views in 90 days', notes: `${scale}; one run; count ${p.count}` }));
      } catch (err) {
        ctx.log(`${kind}: preview with an event window failed: ${(err as Error).message}`);
        results.push(result('preview_count_ms', 60_000, 'ms', kind, null, { scenario: 'class, last order, product views in 90 days', notes: `${scale}; did not finish within the preview's 60 s statement timeout (${(err as Error).message})` }));
      }
    }

    // Live membership under sustained ingestion.
    const signal = await siyu.segments.segments.create(wctx, { name: '基准信号', rule: SIGNAL_RULE, status: 'active' });
    const preview = await siyu.segments.segments.create(wctx, { name: '重要客户待唤醒', rule: PREVIEW_RULE, status: 'active' });
    for (const r of OTHER_RULES) await siyu.segments.segments.create(wctx, { ...r, status: 'active' });
    const [, initial] = await timed(() => drained(siyu!));
    // What a scheduled recompute needs at least before it sees any change: one full evaluation.
    const [reevaluated, fullEval] = await timed(() => siyu!.segments.membership.evaluateSegment(ws, preview.id, 'rule'));
    if (!reevaluated || reevaluated.entered || reevaluated.exited) throw new Error(`live membership differs from a full evaluation: ${JSON.stringify(reevaluated)}`);
    // A scheduled recompute starts from the sources: the segment rebuilt from them, compared only.
    const [fromSources, rebuildS] = await timed(() => siyu!.segments.membership.rebuild(ws, { segmentId: preview.id, dryRun: true }));
    if (fromSources.entered || fromSources.exited) throw new Error(`live membership differs from the sources: ${JSON.stringify(fromSources)}`);
    ctx.log(`${kind}: ${OTHER_RULES.length + 2} segments evaluated by the worker in ${initial.toFixed(1)} s; the preview segment evaluated over the facts in ${fullEval.toFixed(1)} s, rebuilt from the sources in ${rebuildS.toFixed(1)} s`);
    const live = await latencyPhase(ctx, kind, siyu, ws, signal.id, o.rate, o.seconds, o.reconcile);
    const p99 = percentile(live.latencies, 99);
    const evalBaseline = { name: 'rebuild_from_sources_ms', value: round(rebuildS * 1000, 0) };
    const notes = `${scale}; ${live.sent} events at ${round(live.sent / live.sendSeconds, 0)} ev/s for ${round(live.sendSeconds, 1)} s, ${OTHER_RULES.length + 2} live segments; ${live.latencies.length} entries measured, ${live.missing} missed`;
    results.push(
      result('membership_latency_p50_ms', round(percentile(live.latencies, 50), 0), 'ms', kind, evalBaseline, { notes }),
      result('membership_latency_p99_ms', round(p99, 0), 'ms', kind, evalBaseline, { notes }),
      result('membership_latency_max_ms', round(Math.max(...live.latencies), 0), 'ms', kind, evalBaseline, { notes }),
    );
    if (live.missing) results.push(result('membership_missed', live.missing, 'customers', kind, null, { notes }));
    return results;
  } finally {
    await siyu?.jobs.stop();
    await sql`delete from segments where workspace_id = ${demo.workspaceId}`.execute(demo.database.db).catch(() => {});
    await demo.close();
  }
}

const bench: Benchmark = {
  name: 'segments',
  description: 'RFM recompute vs one NTILE statement over the raw orders; preview count; event-to-membership latency under sustained ingestion',
  async run(ctx) {
    const arg = (name: string) => argValue(ctx.args, name);
    const o = {
      customers: Number(arg('--customers') ?? 1_000_000),
      orders: Number(arg('--orders') ?? 10_000_000),
      rate: Number(arg('--rate') ?? 1000),
      seconds: Number(arg('--seconds') ?? 30),
      latencyOnly: ctx.args.includes('--latency-only'),
      reconcile: ctx.args.includes('--reconcile'),
    };
    const only = arg('--only');
    const results: BenchResult[] = [];
    if (only !== 'embedded') {
      if (ctx.postgresUrl) results.push(...(await runOne(ctx, 'postgres', o)));
      else ctx.log('PostgreSQL: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; PostgreSQL run skipped');
    }
    if (only !== 'postgres') results.push(...(await runOne(ctx, 'embedded', o)));
    return results;
  },
};

export default bench;
