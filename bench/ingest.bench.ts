/**
 * ingest: events/s through the ingestion service (`events.ingestEvents`, exactly what
 * POST /api/v1/events runs after body parsing: per-event validation, the workspace identity
 * lock, idempotency check, set-based identity resolution with merges, the events insert,
 * interaction aggregates and one audit entry per batch) in batches of 1,000, on PostgreSQL
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL) and on the embedded engine. Baseline in the same
 * database: a raw COPY of the same rows into a bare table. Then a replay of every batch
 * (all duplicates).
 *
 * Batches are sent by `--concurrency` clients at once (default 2, as an API server sees
 * several integrators): validation of one batch overlaps the database work of another,
 * while the identity lock still serialises the writes of the workspace.
 *
 * Published messages (`customers.changed`) stay in the job outbox: moving them into the
 * subscribers' queues is the worker's work. `--relay` runs that relay in the same process
 * while the events arrive, as `siyu start` does.
 *
 *   npm run bench -- ingest [--json] [--events N] [--concurrency C] [--only postgres|embedded] [--relay]
 */
import type { Siyu } from '../src/composition.ts';
import { benchWorkspace, openBenchSiyu } from './support/siyu.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { newId } from '../src/platform/ids.ts';
import { argValue, result, round, type BenchContext, type BenchResult, type Benchmark } from './support/harness.ts';

const BATCH = 1000;

/** Deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  ['page.viewed', () => ({ url: 'https://mall.example/p/1', durationMs: 3200 })],
  ['product.viewed', () => ({ productId: 'SKU-100', priceFen: 12900 })],
  ['group.message', () => ({ groupId: 'g-1', msgType: 'text', text: '今天的直播几点开始？' })],
  ['checkin', () => ({ activityId: 'daily', streak: 3 })],
  ['cart.added', () => ({ productId: 'SKU-200', quantity: 1 })],
  ['wecom.friend_added', () => ({ staffUserId: 'advisor-1', state: 'store-qr' })],
  ['coupon.claimed', () => ({ couponId: 'NEW-10' })],
  ['link.clicked', () => ({ url: 'https://mall.example/s/a', utmSource: 'moments' })],
] as const;

/**
 * A realistic identity mix: ~30% of events from people never seen before, the rest from
 * returning ones; most carry the WeCom id, a fifth also the verified mobile (overlapping
 * identities attach), a few the mobile alone (a second customer that a later event merges).
 */
export function generateEvents(count: number, seed = 42): object[] {
  const rand = prng(seed);
  const now = Date.now();
  const events: object[] = [];
  let people = 0;
  for (let i = 0; i < count; i++) {
    const p = people === 0 || rand() < 0.3 ? people++ : Math.floor(rand() * people);
    const wecom = { type: 'wecom_external_userid', scope: 'ww-bench', value: `wm${p.toString(36).padStart(8, '0')}` };
    const mobile = { type: 'mobile', value: `+86139${String(p).padStart(8, '0')}`, verified: true };
    const r = rand();
    const identities = r < 0.75 ? [wecom] : r < 0.97 ? [wecom, mobile] : [mobile];
    const [type, props] = TYPES[Math.floor(rand() * TYPES.length)]!;
    const at = new Date(now - Math.floor(rand() * 365 * 86400_000));
    events.push({ id: `bench-${seed}-${i}`, type, occurredAt: at.toISOString(), identities, properties: props() });
  }
  return events;
}

export async function openTarget(kind: 'postgres' | 'embedded', url: string | undefined): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-bench-ingest-'));
    const database = await openDatabase({ dataDir: dir, poolMax: 8 });
    await migrate(database.pool);
    return { database, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `siyu_bench_${newId().replace(/-/g, '').slice(-12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url!);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolMax: 8 });
  await migrate(database.pool);
  return {
    database,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** COPY of the same rows into a bare table: the floor of what the database can take in. */
async function copyBaseline(database: Database, workspaceId: string, events: object[]): Promise<number> {
  await database.pool.query(`create table bench_events_raw (workspace_id uuid, client_id text, type text, occurred_at timestamptz, identities jsonb, properties jsonb)`);
  const rows = (events as { id: string; type: string; occurredAt: string; identities: object; properties: object }[]).map(
    (e) => [workspaceId, csvField(e.id), e.type, e.occurredAt, csvField(JSON.stringify(e.identities)), csvField(JSON.stringify(e.properties))].join(',') + '\n',
  );
  const sql = `copy bench_events_raw (workspace_id, client_id, type, occurred_at, identities, properties) from %s with (format csv)`;
  const started = performance.now();
  if (database.embedded) {
    const file = path.join(os.tmpdir(), `siyu-bench-copy-${process.pid}.csv`);
    fs.writeFileSync(file, rows.join(''));
    try {
      await database.embedded.copyFromFile(sql.replace('%s', `'/dev/blob'`), file);
    } finally {
      fs.rmSync(file, { force: true });
    }
  } else {
    const client = await database.pool.connect();
    try {
      await pipeline(Readable.from(rows), client.query(copyStreams.from(sql.replace('%s', 'stdin'))));
    } finally {
      client.release();
    }
  }
  return events.length / ((performance.now() - started) / 1000);
}

/** Sends every batch through `send` with `concurrency` clients taking the next batch in turn. */
async function drive(batches: object[][], concurrency: number, send: (batch: object[], index: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (next < batches.length) {
      const i = next++;
      await send(batches[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return (performance.now() - started) / 1000;
}

async function runOne(ctx: BenchContext, kind: 'postgres' | 'embedded', events: object[], concurrency: number, withRelay: boolean): Promise<BenchResult[]> {
  const { database, drop } = await openTarget(kind, ctx.postgresUrl);
  let opened: Siyu | undefined;
  try {
    const siyu = await openBenchSiyu(database);
    opened = siyu;
    const { workspaceId } = await benchWorkspace(siyu);
    const wctx = systemContext(workspaceId, 'bench');
    const batches: object[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));

    const copyRate = await copyBaseline(database, workspaceId, events);
    ctx.log(`${kind}: COPY baseline ${Math.round(copyRate)} rows/s`);
    let accepted = 0;
    let done = 0;
    // --relay: the worker's relay of published messages runs in the same process meanwhile, as in `siyu start`.
    let relaying = withRelay;
    let relayed = 0;
    const relayLoop = (async () => {
      while (relaying) {
        const n = await siyu.jobs.relay();
        relayed += n;
        if (!n) await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const ingestSeconds = await drive(batches, concurrency, async (batch, i) => {
      const r = await siyu.events.ingestEvents(wctx, batch);
      accepted += r.accepted;
      if (r.rejected) throw new Error(`batch ${i}: ${r.rejected} rejected: ${JSON.stringify(r.results.find((x) => x.status === 'rejected'))}`);
      if (++done % 20 === 0) ctx.log(`${kind}: ${done * BATCH} events`);
    });
    relaying = false;
    await relayLoop;
    const ingestRate = events.length / ingestSeconds;
    let duplicates = 0;
    const replaySeconds = await drive(batches, concurrency, async (batch) => {
      const r = await siyu.events.ingestEvents(wctx, batch);
      duplicates += r.duplicates;
    });
    const replayRate = events.length / replaySeconds;
    const counts = await database.pool.query<{ customers: string; merges: string }>(
      `select (select count(*) from customers where workspace_id = $1) as customers, (select count(*) from customer_merges where workspace_id = $1) as merges`,
      [workspaceId],
    );
    if (duplicates !== events.length) throw new Error(`replay: ${duplicates} duplicates of ${events.length}`);
    const notes = `${events.length} events (${accepted} accepted, replay ${duplicates} duplicates), ${counts.rows[0]!.customers} customers, ${counts.rows[0]!.merges} merges; service called directly in batches of ${BATCH} by ${concurrency} concurrent clients${withRelay ? `; the relay moved ${relayed} published messages meanwhile` : ''}`;
    ctx.log(`${kind}: ${Math.round(ingestRate)} events/s, replay ${Math.round(replayRate)}/s; ${notes}`);
    const baseline = { name: 'copy_rows_per_s', value: round(copyRate, 0) };
    return [
      result('events_per_s', round(ingestRate, 0), 'events/s', kind, baseline, { notes }),
      result('replay_events_per_s', round(replayRate, 0), 'events/s', kind, baseline, { notes }),
    ];
  } finally {
    await opened?.jobs.stop();
    await database.close();
    await drop();
  }
}

const bench: Benchmark = {
  name: 'ingest',
  description: 'events/s through the ingestion service (OneID, idempotency, aggregates) in batches of 1,000, and a full replay; baseline: raw COPY of the same rows',
  async run(ctx) {
    const arg = (name: string) => argValue(ctx.args, name);
    const count = Number(arg('--events') ?? 200_000);
    const only = arg('--only');
    const concurrency = Math.max(1, Number(arg('--concurrency') ?? 2));
    const withRelay = ctx.args.includes('--relay');
    const events = generateEvents(count);
    const results: BenchResult[] = [];
    if (only !== 'embedded') {
      if (ctx.postgresUrl) results.push(...(await runOne(ctx, 'postgres', events, concurrency, withRelay)));
      else ctx.log('PostgreSQL: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; PostgreSQL run skipped');
    }
    if (only !== 'postgres') results.push(...(await runOne(ctx, 'embedded', events, concurrency, withRelay)));
    return results;
  },
};

export default bench;
