/**
 * Loads demo persons at benchmark scale by writing the rows the services would have written
 * (see bulk-rows.ts) with COPY, then computing customer_stats set-based (bulk-stats.repository.ts). Persons are generated one at a time into COPY text that is flushed every ~250k rows;
 * a flush runs while the next rows are generated (the database works on one core, generation
 * on the other). For an empty workspace: rows are not resolved against what is stored, so a
 * workspace that already holds customers is refused.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { conflict } from '../../platform/errors.ts';
import type { DemoDeps } from './demo.deps.ts';
import { BULK_TABLES, countIds, emptyBulkText, preparePerson, writePersonRows, type BulkContext, type BulkTable, type BulkText } from './bulk-rows.ts';
import { rebuildStatsSetBased } from './bulk-stats.repository.ts';
import { analyzeDemoTables, analyzeTable, copyRows, countCustomers, IdRange } from './demo.repository.ts';
import { generatePerson, type DemoContext } from './generator.ts';

export interface BulkOptions {
  from: number;
  to: number;
  owners: ReadonlyMap<string, string>;
  hasSkinType: boolean;
  /** Rows per flush (all tables together). */
  flushRows?: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: BulkProgress) => void) | undefined;
}

export interface BulkProgress {
  persons: number;
  total: number;
  rows: Record<BulkTable, number>;
  /** Seconds: the whole load; waiting for COPY (beyond generation); rebuilding the aggregates. */
  seconds: { total: number; copyWait: number; stats: number };
}

/** Tables in foreign-key order. */
const ORDER: readonly BulkTable[] = ['customers', 'customer_identities', 'customer_consents', 'orders', 'order_items', 'events'];

/** Row counts of the referenced tables when they were last analysed (embedded engine). */
type Analysed = Record<'customers' | 'orders', { at: number; rows: number }>;

async function flush(deps: DemoDeps, text: BulkText, analysed: Analysed): Promise<void> {
  for (const table of ORDER) {
    await copyRows(deps.database, table, BULK_TABLES[table], text[table]);
    // Without autovacuum, the embedded engine's foreign-key checks of the next table would keep
    // plans made when the referenced table was small; re-analyse each time it has doubled.
    if (deps.database.kind === 'embedded' && (table === 'customers' || table === 'orders')) {
      const a = analysed[table];
      a.rows += text[table].rows;
      if (a.rows > 2 * a.at) {
        await analyzeTable(deps.database.db, table);
        a.at = a.rows;
      }
    }
  }
}

export async function loadBulk(deps: DemoDeps, workspaceId: string, demo: DemoContext, options: BulkOptions): Promise<BulkProgress> {
  const db = deps.database.db;
  if ((await countCustomers(db, workspaceId)) > 0) {
    throw conflict('demo.workspace_not_empty', 'Bulk loading needs a workspace without customers; seed through the services instead (without --bulk)');
  }
  const started = performance.now();
  const progress: BulkProgress = {
    persons: 0,
    total: options.to - options.from,
    rows: { customers: 0, customer_identities: 0, customer_consents: 0, orders: 0, order_items: 0, events: 0 },
    seconds: { total: 0, copyWait: 0, stats: 0 },
  };
  const ids = {
    customers: new IdRange(db, 'customers', 20_000),
    identities: new IdRange(db, 'identities', 100_000),
    orders: new IdRange(db, 'orders', 200_000),
    events: new IdRange(db, 'events', 1_000_000),
  };
  const ctx: BulkContext = { workspaceId, now: deps.clock.now().toISOString(), owners: options.owners, hasSkinType: options.hasSkinType, ids };
  const flushRows = options.flushRows ?? 250_000;
  let text = emptyBulkText();
  let buffered = 0;
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const analysed: Analysed = { customers: { at: 0, rows: 0 }, orders: { at: 0, rows: 0 } };
  const startFlush = async () => {
    const t = performance.now();
    await pending;
    progress.seconds.copyWait += (performance.now() - t) / 1000;
    if (failure) throw failure;
    const batch = text;
    for (const table of ORDER) progress.rows[table] += batch[table].rows;
    // Runs while the next rows are generated; an error surfaces at the next flush.
    pending = flush(deps, batch, analysed).catch((err: unknown) => {
      failure = err;
    });
    text = emptyBulkText();
    buffered = 0;
  };
  for (let i = options.from; i < options.to; i++) {
    if (options.signal?.aborted) throw new Error('demo bulk loading was interrupted');
    const prepared = preparePerson(generatePerson(demo, i));
    const need = countIds([prepared]);
    for (const kind of ['customers', 'identities', 'orders', 'events'] as const) {
      if (ids[kind].remaining < need[kind]) await ids[kind].refill(need[kind]);
    }
    writePersonRows(ctx, prepared, text);
    buffered += 1 + need.identities + need.orders + need.events;
    progress.persons++;
    if (buffered >= flushRows) {
      await startFlush();
      options.onProgress?.({ ...progress, rows: { ...progress.rows }, seconds: { ...progress.seconds } });
    } else if (i % 64 === 0) {
      await yieldToEventLoop(); // lets a running COPY stream its data
    }
  }
  await startFlush();
  await pending;
  if (failure) throw failure;
  const t = performance.now();
  // Fresh statistics first, so the aggregate scans plan for the tables' real sizes.
  await analyzeDemoTables(db);
  await rebuildStatsSetBased(db, workspaceId, deps.clock.now());
  await analyzeTable(db, 'customer_stats');
  progress.seconds.stats = (performance.now() - t) / 1000;
  progress.seconds.total = (performance.now() - started) / 1000;
  options.onProgress?.({ ...progress, rows: { ...progress.rows }, seconds: { ...progress.seconds } });
  return progress;
}
