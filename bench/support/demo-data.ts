/**
 * A database holding the demo brand at benchmark scale (default 1,000,000 customers and
 * 10,000,000 orders), loaded with the demo's bulk path and cached between runs:
 *
 * - PostgreSQL: a template database `siyu_demo_<key>`; each run gets a copy
 *   (CREATE DATABASE … TEMPLATE, a file copy) unless `shared` asks for the cache itself.
 * - Embedded: a PGlite data directory under .bench-data/demo-<key>/; each run gets a copy.
 *
 * The key covers the generator version, the migrations, the seed, the sizes and the anchor, so a
 * change to any of them builds a new cache — except new migrations: a cache built before the
 * newest migrations is found under its older key and migrated forward when opened, as an upgrade
 * would (a 1,000,000-customer cache takes half an hour to build). Old caches are not deleted: `rm -rf .bench-data` and
 * `drop database siyu_demo_…` free the space. Data lies before `anchor`; give the code under
 * test a clock at the anchor so windows such as "last 30 days" hold data.
 *
 *   const demo = await openDemoDatabase({ target: 'postgres', postgresUrl: ctx.postgresUrl, log: ctx.log });
 *   try { ... demo.database, demo.workspaceId ... } finally { await demo.close(); }
 */
import { openBenchSiyu } from './siyu.ts';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ManualClock } from '../../src/platform/clock.ts';
import { projectRoot } from '../../src/platform/config.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { migrate, readMigrationFiles } from '../../src/platform/db/migrate.ts';
import { newId } from '../../src/platform/ids.ts';
import { GENERATOR_VERSION } from '../../src/modules/demo/index.ts';

export interface DemoDataOptions {
  target: 'postgres' | 'embedded';
  /** Needed for target postgres (BENCH_DATABASE_URL / TEST_DATABASE_URL). */
  postgresUrl?: string | undefined;
  customers?: number;
  orders?: number;
  seed?: number;
  /** The demo's "now"; fixed by default so the cache stays valid from day to day. */
  anchor?: Date;
  /** Use the cached database itself instead of a copy (faster; for benchmarks that only read). */
  shared?: boolean;
  log?: (line: string) => void;
}

export interface DemoData {
  database: Database;
  workspaceId: string;
  anchor: Date;
  customers: number;
  orders: number;
  /** Whether the cache existed (false: it was built by this call). */
  cached: boolean;
  /** Seconds to build the cache (when built now) and to open the copy. */
  seconds: { build: number; open: number };
  /** Closes the database and removes the copy. */
  close(): Promise<void>;
}

export const DEFAULT_BENCH_ANCHOR = new Date('2026-11-01T00:00:00+08:00');
const CACHE_DIR = path.join(projectRoot, '.bench-data');

function cacheKey(o: Required<Pick<DemoDataOptions, 'customers' | 'orders' | 'seed' | 'anchor'>>, migrations: string[]): string {
  const text = JSON.stringify({ v: GENERATOR_VERSION, migrations, c: o.customers, o: o.orders, s: o.seed, a: o.anchor.toISOString() });
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Creates the demo workspace and bulk-loads the brand into a freshly migrated database. */
async function buildInto(database: Database, o: Required<Pick<DemoDataOptions, 'customers' | 'orders' | 'seed' | 'anchor'>>, log: (s: string) => void): Promise<string> {
  await migrate(database.pool);
  const siyu = await openBenchSiyu(database, new ManualClock(o.anchor));
  try {
  const owner = await siyu.access.users.createUser({ email: 'bench-owner@demo.siyu.local', password: 'bench-password-1' });
  const ws = await siyu.access.workspaces.createWorkspace({ name: '演示品牌', isDemo: true }, { userId: owner.id, label: owner.email });
  let next = 0;
  const summary = await siyu.demo.seed({
    workspaceId: ws.id,
    customers: o.customers,
    seed: o.seed,
    anchor: o.anchor,
    method: 'bulk',
    ordersPerCustomer: o.orders / Math.max(1, o.customers),
    onProgress: (p) => {
      if (p.persons < next) return;
      log(`demo data: ${p.persons}/${p.total} customers`);
      next = p.persons + Math.ceil(p.total / 10);
    },
  });
  log(`demo data: ${summary.customers} customers, ${summary.orders} orders, ${summary.events} events in ${summary.seconds} s (${JSON.stringify(summary.bulk)})`);
  return ws.id;
  } finally {
    await siyu.jobs.stop();
  }
}

async function demoWorkspaceId(database: Database): Promise<string> {
  const { rows } = await database.pool.query<{ id: string }>(`select id from workspaces where is_demo order by created_at limit 1`);
  if (!rows[0]) throw new Error('the cached demo database has no demo workspace');
  return rows[0].id;
}

export async function openDemoDatabase(options: DemoDataOptions): Promise<DemoData> {
  const o = { customers: options.customers ?? 1_000_000, orders: options.orders ?? 10_000_000, seed: options.seed ?? 2024, anchor: options.anchor ?? DEFAULT_BENCH_ANCHOR };
  const log = options.log ?? (() => {});
  // Newest first: the current migrations, then without the newest one, and so on.
  const migrations = readMigrationFiles().map((m) => m.checksum);
  const keys = migrations.map((_, i) => cacheKey(o, migrations.slice(0, migrations.length - i)));
  const opened = options.target === 'postgres' ? await openPostgres(options, o, keys, log) : await openEmbedded(options, o, keys, log);
  if (opened.cached && opened.key !== keys[0]) {
    const { applied } = await migrate(opened.database.pool);
    if (applied.length) log(`demo data: the cache predates ${applied.length} migration(s); applied ${applied.join(', ')}`);
  }
  return { ...opened, anchor: o.anchor, customers: o.customers, orders: o.orders, workspaceId: await demoWorkspaceId(opened.database) };
}

type Opened = Pick<DemoData, 'database' | 'cached' | 'seconds' | 'close'> & { key: string };
type Sizes = Required<Pick<DemoDataOptions, 'customers' | 'orders' | 'seed' | 'anchor'>>;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function openPostgres(options: DemoDataOptions, o: Sizes, keys: string[], log: (s: string) => void): Promise<Opened> {
  const url = options.postgresUrl;
  if (!url) throw new Error('demo data on PostgreSQL needs BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const names = keys.map((k) => `siyu_demo_${k}`);
  const found = await admin(url, async (c) => (await c.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [names])).rows.map((r) => r.datname));
  const template = names.find((n) => found.includes(n)) ?? names[0]!;
  const key = keys[names.indexOf(template)]!;
  const exists = found.includes(template);
  let build = 0;
  if (!exists) {
    const started = performance.now();
    const building = `${template}_build`;
    await admin(url, (c) => c.query(`drop database if exists ${building} with (force)`).then(() => c.query(`create database ${building}`)));
    const database = await openDatabase({ databaseUrl: withDatabase(url, building), poolMax: 4 });
    try {
      await buildInto(database, o, log);
    } finally {
      await database.close();
    }
    // Renamed only when complete: an interrupted build is never mistaken for a cache.
    await admin(url, (c) => c.query(`alter database ${building} rename to ${template}`));
    build = (performance.now() - started) / 1000;
  } else log(`demo data: using the cached database ${template}`);
  const started = performance.now();
  const name = options.shared ? template : `siyu_bench_demo_${newId().replace(/-/g, '').slice(-12)}`;
  if (!options.shared) await admin(url, (c) => c.query(`create database ${name} template ${template}`));
  const database = await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 8 });
  return {
    database,
    key,
    cached: exists,
    seconds: { build, open: (performance.now() - started) / 1000 },
    close: async () => {
      await database.close();
      if (!options.shared) await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function openEmbedded(options: DemoDataOptions, o: Sizes, keys: string[], log: (s: string) => void): Promise<Opened> {
  const key = keys.find((k) => fs.existsSync(path.join(CACHE_DIR, `demo-${k}`, 'complete.json'))) ?? keys[0]!;
  const dir = path.join(CACHE_DIR, `demo-${key}`);
  const complete = path.join(dir, 'complete.json');
  const cached = fs.existsSync(complete);
  let build = 0;
  if (!cached) {
    const started = performance.now();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const database = await openDatabase({ dataDir: path.join(dir, 'pgdata'), poolMax: 4 });
    try {
      await buildInto(database, o, log);
    } finally {
      await database.close();
    }
    fs.writeFileSync(complete, JSON.stringify({ ...o, builtAt: new Date().toISOString() }));
    build = (performance.now() - started) / 1000;
  } else log(`demo data: using the cached data directory ${dir}`);
  const started = performance.now();
  const copy = options.shared ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-bench-demo-'));
  if (copy) fs.cpSync(path.join(dir, 'pgdata'), path.join(copy, 'pgdata'), { recursive: true });
  const database = await openDatabase({ dataDir: path.join(copy ?? dir, 'pgdata'), poolMax: 8 });
  return {
    database,
    key,
    cached,
    seconds: { build, open: (performance.now() - started) / 1000 },
    close: async () => {
      await database.close();
      if (copy) fs.rmSync(copy, { recursive: true, force: true });
    },
  };
}
