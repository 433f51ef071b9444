/**
 * demo: the demo brand's bulk path at benchmark scale (default 1,000,000 customers and
 * 10,000,000 orders): generating the rows, COPYing them into the real tables (with their indexes
 * and constraints) and computing customer_stats, on PostgreSQL and on the embedded engine.
 * Baseline in the same database: COPY of the very same rows, dumped from the loaded tables to
 * files first, into bare copies of the tables (no indexes, no constraints), so the ratio is what
 * generation, indexes and the aggregate rebuild cost on top of moving the bytes. Reported:
 * rows/s of the whole load, the seconds of each phase, and customers/s of the service path on a
 * small sample for scale.
 *
 *   npm run bench -- demo [--json] [--customers N] [--orders M] [--only postgres|embedded]
 */
import type { Siyu } from '../src/composition.ts';
import { openBenchSiyu } from './support/siyu.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { ManualClock } from '../src/platform/clock.ts';
import type { Database } from '../src/platform/db/database.ts';
import { openTarget } from './ingest.bench.ts';
import { DEFAULT_BENCH_ANCHOR } from './support/demo-data.ts';
import { argValue, result, round, type BenchContext, type BenchResult, type Benchmark } from './support/harness.ts';

const TABLES = ['customers', 'customer_identities', 'customer_consents', 'orders', 'order_items', 'events'] as const;

/** Seconds to COPY every loaded row into index-free copies of the tables. */
async function bareCopySeconds(database: Database, dir: string): Promise<number> {
  const files: string[] = [];
  for (const table of TABLES) {
    const file = path.join(dir, `${table}.copy`);
    const client = await database.pool.connect();
    try {
      await pipeline(client.query(copyStreams.to(`copy ${table} to stdout`)), fs.createWriteStream(file));
    } finally {
      client.release();
    }
    await database.pool.query(`create table bare_${table} (like ${table})`);
    files.push(file);
  }
  const started = performance.now();
  for (const [i, table] of TABLES.entries()) {
    if (database.embedded) {
      await database.embedded.copyFromFile(`copy bare_${table} from '/dev/blob'`, files[i]!);
      continue;
    }
    const client = await database.pool.connect();
    try {
      await pipeline(fs.createReadStream(files[i]!), client.query(copyStreams.from(`copy bare_${table} from stdin`)));
    } finally {
      client.release();
    }
  }
  return (performance.now() - started) / 1000;
}

async function runOne(ctx: BenchContext, kind: 'postgres' | 'embedded', customers: number, orders: number): Promise<BenchResult[]> {
  const { database, drop } = await openTarget(kind, ctx.postgresUrl);
  let opened: Siyu | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-bench-demo-'));
  try {
    const siyu = await openBenchSiyu(database, new ManualClock(DEFAULT_BENCH_ANCHOR));
    opened = siyu;
    const owner = await siyu.access.users.createUser({ email: 'bench-owner@demo.siyu.local', password: 'bench-password-1' });
    const seed = async (name: string, n: number, method: 'bulk' | 'services', ordersPerCustomer?: number) => {
      const ws = await siyu.access.workspaces.createWorkspace({ name }, { userId: owner.id, label: owner.email });
      let next = 0;
      return siyu.demo.seed({
        workspaceId: ws.id,
        customers: n,
        anchor: DEFAULT_BENCH_ANCHOR,
        method,
        ordersPerCustomer,
        onProgress: (p) => {
          if (p.persons < next) return;
          ctx.log(`${kind}: ${method} ${p.persons}/${p.total} customers`);
          next = p.persons + Math.ceil(p.total / 10);
        },
      });
    };
    const sample = Math.min(2000, customers);
    const services = await seed('Services sample', sample, 'services');
    ctx.log(`${kind}: service path, ${sample} customers in ${services.seconds} s`);
    const bulk = await seed('演示品牌', customers, 'bulk', orders / Math.max(1, customers));
    const rows = Object.values(bulk.bulk!.rows).reduce((a, b) => a + b, 0);
    ctx.log(`${kind}: bulk ${JSON.stringify(bulk.bulk)}`);
    const bare = await bareCopySeconds(database, dir);
    const notes = `${customers} customers, ${bulk.orders} orders, ${bulk.events} events, ${rows} rows in all`;
    return [
      result('bulk_rows_per_s', rows / bulk.bulk!.total, 'rows/s', kind, { name: 'bare_copy_rows_per_s', value: round(rows / bare, 0) }, { notes }),
      result('bulk_load_s', bulk.bulk!.total, 's', kind, { name: 'bare_copy_s', value: round(bare, 1) }, { notes }),
      result('bulk_copy_wait_s', bulk.bulk!.copyWait, 's', kind, null, { notes: 'time generation waited for COPY' }),
      result('bulk_stats_rebuild_s', bulk.bulk!.stats, 's', kind, null, { notes: 'analyze + set-based customer_stats' }),
      result('services_customers_per_s', sample / services.seconds, 'customers/s', kind, null, { notes: `service path, ${sample} customers, ${services.events} events, ${services.orders} orders` }),
    ];
  } finally {
    await opened?.jobs.stop();
    await database.close();
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'demo',
  description: 'demo brand bulk load (generate + COPY + aggregate rebuild), baseline: COPY of the same rows into bare tables',
  async run(ctx) {
    const arg = (name: string) => argValue(ctx.args, name);
    const customers = Number(arg('--customers') ?? 1_000_000);
    const orders = Number(arg('--orders') ?? customers * 10);
    const only = arg('--only');
    const results: BenchResult[] = [];
    if (only !== 'embedded') {
      if (ctx.postgresUrl) results.push(...(await runOne(ctx, 'postgres', customers, orders)));
      else ctx.log('PostgreSQL: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; PostgreSQL run skipped');
    }
    if (only !== 'postgres') results.push(...(await runOne(ctx, 'embedded', customers, orders)));
    return results;
  },
};

export default bench;
