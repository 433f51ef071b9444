/**
 * journeys: how fast journeys move customers through the guarded send path, on PostgreSQL
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL) and on the embedded engine.
 *
 * sends_per_s — N customers (default 100,000) enter a journey whose first step sends a
 * template message: the schedule trigger fires (its audience enrolled page by page), and the
 * worker's runner claims batches and sends each through consent, frequency caps, quiet hours,
 * the channel quota (a global counter), template rendering, the advertising-law check and
 * the ledger, delivered by the outbox driver. Timed from the fire until every send is in the
 * ledger. Baseline in the same database: pg-boss alone moving N no-op jobs (inserted in
 * batches of 1,000, worked in batches of 100 by two concurrent fetchers that fetch again at
 * once while batches come back full — the queue's fast path), from the first insert to the
 * last completion.
 *
 * trigger_latency — events arrive at a sustained rate (default 200/s, batches every 100 ms)
 * through the ingestion service, each from a new customer, with a journey triggered by that
 * event type whose first step sends; the worker runs in the same process with every other
 * subscriber (scoring, segments, tags). Latency is from the moment a batch was handed to
 * ingestion to the send's ledger time.
 *
 *   npm run bench -- journeys [--only postgres|embedded] [--customers N] [--rate R] [--seconds S]
 *                              [--sends-only | --latency-only]
 */
import type { Job } from 'pg-boss';
import type { Siyu } from '../src/composition.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Database } from '../src/platform/db/database.ts';
import { systemContext, type WorkspaceContext } from '../src/platform/http/context.ts';
import { DEFAULT_SETTINGS } from '../src/modules/messaging/index.ts';
import { openTarget } from './ingest.bench.ts';
import { argValue, percentile, result, round, type BenchContext, type BenchResult, type Benchmark } from './support/harness.ts';
import { benchWorkspace, openBenchSiyu } from './support/siyu.ts';

const INGEST_BATCH = 1000;

/**
 * The system clock shifted so that the run starts at 11:00 in Shanghai: quiet hours stay on
 * (22:00–08:00) and are checked for every message, without holding any.
 */
function daytimeClock(): Clock {
  const start = new Date();
  const elevenShanghai = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate(), 3, 0, 0);
  const offset = elevenShanghai - start.getTime();
  return { now: () => new Date(Date.now() + offset) };
}

async function count(database: Database, text: string, values: unknown[]): Promise<number> {
  return Number((await database.pool.query(text, values)).rows[0].n);
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Guard rails on, as a brand would have them: caps, quiet hours, a quota on the channel. */
async function configureMessaging(siyu: Siyu, ctx: WorkspaceContext): Promise<string> {
  await siyu.messaging.settings.put(ctx, { ...DEFAULT_SETTINGS, quotas: { wecom: { perMinute: 1_000_000, perHour: null, perDay: null } } });
  const template = await siyu.messaging.templates.create(ctx, { name: '会员日提醒', channel: 'wecom', body: '{nickname|亲爱的会员}，本周六会员日全场满 199 减 30，记得来逛逛～' });
  return template.id;
}

/** Customers through the ingestion service, then the change feed they queued is dropped so the timed part runs alone. */
async function seedCustomers(ctx: BenchContext, siyu: Siyu, wctx: WorkspaceContext, n: number, prefix: string): Promise<void> {
  const started = performance.now();
  const at = siyu.clock.now().toISOString();
  for (let i = 0; i < n; i += INGEST_BATCH) {
    const events = Array.from({ length: Math.min(INGEST_BATCH, n - i) }, (_, k) => ({
      id: `${prefix}-${i + k}`,
      type: 'custom.registered',
      occurredAt: at,
      identities: [{ type: 'mobile', value: `+86137${String(i + k).padStart(8, '0')}` }],
      ...((i + k) % 3 ? { profile: { nickname: `会员${i + k}` } } : {}),
    }));
    await siyu.events.ingestEvents(wctx, events);
  }
  await siyu.database.pool.query(`delete from pgboss.job where state in ('created', 'retry')`);
  ctx.log(`  ${n} customers in ${round((performance.now() - started) / 1000, 1)} s`);
}

async function sendsScenario(ctx: BenchContext, kind: 'postgres' | 'embedded', customers: number): Promise<BenchResult[]> {
  const { database, drop } = await openTarget(kind, ctx.postgresUrl);
  try {
    const siyu = await openBenchSiyu(database, daytimeClock(), 'worker');
    const { workspaceId } = await benchWorkspace(siyu);
    const wctx = systemContext(workspaceId, 'bench');
    const templateId = await configureMessaging(siyu, wctx);
    ctx.log(`[${kind}] seeding ${customers} customers`);
    await seedCustomers(ctx, siyu, wctx, customers, 'reg');
    const journey = await siyu.journeys.journeys.create(wctx, {
      name: '会员日提醒',
      definition: {
        trigger: { type: 'schedule', cron: '0 10 * * 6', audience: { type: 'condition', condition: { type: 'consent', op: 'neq', value: 'denied' } } },
        steps: [{ id: 'remind', type: 'send', channel: 'wecom', templateId }],
        reentry: { mode: 'never' },
        exits: [],
        goal: null,
      },
    });
    await siyu.journeys.journeys.activate(wctx, journey.id);
    await siyu.jobs.work();
    // The fire is due now: what the minute tick does when the schedule comes round.
    await database.pool.query(`update journeys set next_fire_at = $1 where workspace_id = $2 and id = $3`, [new Date(siyu.clock.now().getTime() - 1000), workspaceId, journey.id]);
    const sent = () => count(database, `select count(*) as n from messages where workspace_id = $1 and source_id = $2`, [workspaceId, journey.id]);
    ctx.log(`[${kind}] firing the journey for ${customers} customers`);
    const started = performance.now();
    const fired = await siyu.journeys.triggers.tick();
    const enrolledMs = performance.now() - started;
    await until(async () => (await sent()) >= customers, 30 * 60_000, 'every send');
    const seconds = (performance.now() - started) / 1000;
    const states = (await database.pool.query(`select status, reason, count(*)::int as n from messages where workspace_id = $1 and source_id = $2 group by 1, 2`, [workspaceId, journey.id])).rows;
    ctx.log(`  enrolled ${fired.enrolled} in ${round(enrolledMs / 1000, 1)} s; all ${customers} sends in ${round(seconds, 1)} s: ${JSON.stringify(states)}`);
    await siyu.jobs.stop();

    const baseline = await pgBossBaseline(ctx, database, customers);
    const rate = customers / seconds;
    return [
      result('sends_per_s', rate, 'sends/s', kind, { name: 'pg-boss no-op jobs/s', value: customers / baseline }, {
        scenario: `${customers} customers, first step sends (template, caps, quiet hours, quota, ad-law, ledger, outbox)`,
        notes: `all sends ${round(seconds, 1)} s (enrolment ${round(enrolledMs / 1000, 1)} s); pg-boss alone ${round(baseline, 1)} s`,
      }),
    ];
  } finally {
    await database.close();
    await drop();
  }
}

/** Seconds for pg-boss alone to take in and complete `n` no-op jobs in the same database. */
async function pgBossBaseline(ctx: BenchContext, database: Database, n: number): Promise<number> {
  const siyu = await openBenchSiyu(database, undefined, 'client');
  const boss = siyu.jobs.boss;
  const queue = 'bench.noop';
  await boss.createQueue(queue);
  let done = 0;
  const started = performance.now();
  await boss.work(queue, { batchSize: 100, localConcurrency: 2, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true }, async (jobs: Job<object>[]) => {
    done += jobs.length;
  });
  for (let i = 0; i < n; i += 1000) await boss.insert(queue, Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ data: { n: i + k } })));
  await until(async () => done >= n, 30 * 60_000, 'the no-op jobs');
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`  pg-boss alone: ${n} no-op jobs in ${round(seconds, 1)} s`);
  await siyu.jobs.stop();
  return seconds;
}

async function latencyScenario(ctx: BenchContext, kind: 'postgres' | 'embedded', rate: number, seconds: number): Promise<BenchResult[]> {
  const { database, drop } = await openTarget(kind, ctx.postgresUrl);
  try {
    const clock = daytimeClock();
    const siyu = await openBenchSiyu(database, clock, 'worker');
    const { workspaceId } = await benchWorkspace(siyu);
    const wctx = systemContext(workspaceId, 'bench');
    const templateId = await configureMessaging(siyu, wctx);
    // A populated workspace: the trigger's customers join 20,000 others.
    await seedCustomers(ctx, siyu, wctx, 20_000, 'old');
    const journey = await siyu.journeys.journeys.create(wctx, {
      name: '新客欢迎',
      definition: { trigger: { type: 'event', eventType: 'custom.joined_club' }, steps: [{ id: 'welcome', type: 'send', channel: 'wecom', templateId }], reentry: { mode: 'never' }, exits: [], goal: null },
    });
    await siyu.journeys.journeys.activate(wctx, journey.id);
    await siyu.jobs.work();

    const perTick = Math.max(1, Math.round(rate / 10));
    const total = Math.round(rate * seconds);
    const sentAt = new Map<string, number>();
    ctx.log(`[${kind}] ${rate} events/s for ${seconds} s (${perTick} every 100 ms)`);
    const started = Date.now();
    let n = 0;
    let lagging = 0;
    while (n < total) {
      const due = started + (n / perTick) * 100;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -1000) lagging++;
      const at = Date.now();
      const events = Array.from({ length: Math.min(perTick, total - n) }, (_, k) => ({
        id: `join-${n + k}`,
        type: 'custom.joined_club',
        occurredAt: clock.now().toISOString(),
        identities: [{ type: 'mobile', value: `+86138${String(n + k).padStart(8, '0')}` }],
      }));
      for (const e of events) sentAt.set(e.id, at);
      n += events.length;
      await siyu.events.ingestEvents(wctx, events);
    }
    const sendSeconds = (Date.now() - started) / 1000;
    const sent = () => count(database, `select count(*) as n from messages where workspace_id = $1 and source_id = $2`, [workspaceId, journey.id]);
    await until(async () => (await sent()) >= total, 10 * 60_000, 'every triggered send');
    const rows = (
      await database.pool.query(
        `select ev.client_id, m.requested_at from messages m
         join journey_enrollments je on je.workspace_id = m.workspace_id and je.journey_id = m.source_id::uuid and je.customer_id = m.customer_id
         join events ev on ev.workspace_id = je.workspace_id and ev.id = (je.trigger->>'eventId')::bigint
         where m.workspace_id = $1 and m.source_id = $2`,
        [workspaceId, journey.id],
      )
    ).rows as { client_id: string; requested_at: Date }[];
    // The runner's clock is shifted to daytime: take the shift back out.
    const shift = clock.now().getTime() - Date.now();
    const latencies = rows.map((r) => r.requested_at.getTime() - shift - sentAt.get(r.client_id)!);
    await siyu.jobs.stop();
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const max = Math.max(...latencies);
    ctx.log(`  sent ${total} events in ${round(sendSeconds, 1)} s (${round(total / sendSeconds)} ev/s, ${lagging} late batches); p50 ${p50} ms, p99 ${p99} ms, max ${max} ms over ${rows.length} sends`);
    const scenario = `${rate} events/s for ${seconds} s, each a new customer; worker with every subscriber in the same process`;
    return [
      result('trigger_latency_p50_ms', p50, 'ms', kind, null, { scenario }),
      result('trigger_latency_p99_ms', p99, 'ms', kind, { name: 'target', value: 2000 }, { scenario, notes: `max ${max} ms; ${round(total / sendSeconds)} events/s achieved` }),
    ];
  } finally {
    await database.close();
    await drop();
  }
}

const bench: Benchmark = {
  name: 'journeys',
  description: 'sends/s of a journey step through every guard rail vs pg-boss moving no-op jobs; trigger latency at a sustained event rate',
  async run(ctx) {
    const only = argValue(ctx.args, '--only');
    const customers = Number(argValue(ctx.args, '--customers') ?? 100_000);
    const rate = Number(argValue(ctx.args, '--rate') ?? 200);
    const seconds = Number(argValue(ctx.args, '--seconds') ?? 30);
    const sendsOnly = ctx.args.includes('--sends-only');
    const latencyOnly = ctx.args.includes('--latency-only');
    const kinds: ('postgres' | 'embedded')[] = [];
    if (only !== 'embedded') {
      if (ctx.postgresUrl) kinds.push('postgres');
      else ctx.log('PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
    }
    if (only !== 'postgres') kinds.push('embedded');
    const results: BenchResult[] = [];
    for (const kind of kinds) {
      if (!latencyOnly) results.push(...(await sendsScenario(ctx, kind, customers)));
      if (!sendsOnly) results.push(...(await latencyScenario(ctx, kind, rate, seconds)));
    }
    return results;
  },
};

export default bench;
