/**
 * import: the UCI Online Retail data (../shared/data/online-retail/by-day, 541,909 rows in 305
 * daily CSVs) imported with the online-retail preset through `siyu import` semantics, on
 * PostgreSQL and on the embedded engine. Baseline in the same run: just parsing the same files
 * with csv-parse. Each run is checked against an independent computation of the expected
 * orders and totals. `--days N` imports the first N days only (validation at reduced size).
 */
import { MAX_ORDER_ITEMS } from '../src/modules/orders/index.ts';
import { benchWorkspace, openBenchSiyu } from './support/siyu.ts';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { adminQuery, withDatabase } from '../src/platform/db/testing.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { newId } from '../src/platform/ids.ts';
import { expectUci, uciFiles, uciSkipReason } from '../src/modules/imports/uci-check.ts';
import { result, round, type BenchResult, type Benchmark } from './support/harness.ts';

function parseOnly(files: string[]): { seconds: number; rows: number } {
  const started = performance.now();
  let rows = 0;
  for (const f of files) rows += (parse(fs.readFileSync(f), { skip_empty_lines: true, from_line: 2 }) as unknown[]).length;
  return { seconds: (performance.now() - started) / 1000, rows };
}

async function importInto(database: Database, files: string[], log: (l: string) => void) {
  const siyu = await openBenchSiyu(database);
  try {
  const { workspaceId } = await benchWorkspace(siyu, 'Bench import');
  const started = performance.now();
  const loaded = files.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
  let lastLog = 0;
  const r = await siyu.imports.service.runLocal(systemContext(workspaceId, 'bench'), loaded, {
    kind: 'orders',
    mapping: 'online-retail',
    fileName: 'online-retail/by-day',
    encoding: 'auto',
    skipBadRows: true,
    dryRun: false,
    onProgress: (p) => {
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`  ${database.kind}: ${p.phase} ${p.done}/${p.total}`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const stored = (await sql<{ orders: string; fen: string }>`
    select count(*) as orders, coalesce(sum(total_fen) filter (where status <> 'cancelled'), 0) - coalesce(sum(total_fen) filter (where status = 'cancelled'), 0) as fen
    from orders where workspace_id = ${workspaceId}`.execute(siyu.db)).rows[0]!;
  return { seconds, summary: r.summary, rejected: r.errors, orders: Number(stored.orders), netFen: Number(stored.fen) };
  } finally {
    await siyu.jobs.stop();
  }
}

const bench: Benchmark = {
  name: 'import',
  description: 'UCI Online Retail CSV import (online-retail preset) on PostgreSQL and embedded; baseline: csv-parse of the same files',
  async run(ctx) {
    const skip = uciSkipReason();
    if (skip) {
      ctx.log(skip);
      return [];
    }
    const daysArg = ctx.args.find((a) => a.startsWith('--days'));
    const days = daysArg ? Number(daysArg.includes('=') ? daysArg.split('=')[1] : ctx.args[ctx.args.indexOf(daysArg) + 1]) : undefined;
    const files = uciFiles(days);
    const expected = expectUci(files);
    const expectedNet = [...expected.invoices].reduce((n, [no, i]) => n + (no.startsWith('C') ? -i.pence : i.pence), 0);
    ctx.log(`${files.length} files, ${expected.rows} rows, ${expected.invoices.size} invoices with a customer`);
    const baseline = parseOnly(files);
    ctx.log(`baseline: csv-parse ${baseline.rows} rows in ${baseline.seconds.toFixed(2)} s`);
    const results: BenchResult[] = [];
    const targets: { label: 'postgres' | 'embedded'; open: () => Promise<{ db: Database; cleanup: () => Promise<void> }> }[] = [];
    if (ctx.postgresUrl) {
      const url = ctx.postgresUrl;
      targets.push({
        label: 'postgres',
        open: async () => {
          const name = `siyu_bench_import_${newId().replace(/-/g, '').slice(-12)}`;
          await adminQuery(url, `create database ${name}`);
          const db = await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 8 });
          return { db, cleanup: async () => { await db.close(); await adminQuery(url, `drop database if exists ${name} with (force)`); } };
        },
      });
    } else ctx.log('no BENCH_DATABASE_URL / TEST_DATABASE_URL: PostgreSQL skipped');
    targets.push({ label: 'embedded', open: async () => { const db = await openDatabase({ dataDir: 'memory://', poolMax: 8 }); return { db, cleanup: () => db.close() }; } });

    for (const t of targets) {
      const { db, cleanup } = await t.open();
      try {
        await migrate(db.pool);
        const r = await importInto(db, files, ctx.log);
        const rejectedInvoices = new Set(r.rejected.filter((e) => e.reason !== 'order_has_bad_row').map((e) => e.message.match(/^Order (\S+)/)?.[1]));
        const tooLong = [...expected.invoices].filter(([, i]) => i.lines > MAX_ORDER_ITEMS).map(([no]) => no);
        const expectedOrders = expected.invoices.size - tooLong.length;
        const expectedFen = expectedNet - tooLong.reduce((n, no) => n + (no.startsWith('C') ? -1 : 1) * expected.invoices.get(no)!.pence, 0);
        const ok = r.orders === expectedOrders && r.netFen === expectedFen && [...rejectedInvoices].every((no) => tooLong.includes(no!));
        ctx.log(`${t.label}: ${r.summary.status}, ${r.orders} orders (expected ${expectedOrders}), net ${r.netFen} pence (expected ${expectedFen}), ${tooLong.length} invoices over ${MAX_ORDER_ITEMS} lines skipped, ${r.seconds.toFixed(1)} s — ${ok ? 'CHECK OK' : 'CHECK FAILED'}`);
        if (!ok) throw new Error(`the ${t.label} import does not match the independent computation`);
        const notes = `${r.orders} orders, ${r.summary.customersCreated} customers; ${tooLong.length} invoices over the orders API's ${MAX_ORDER_ITEMS}-line cap skipped`;
        results.push(
          result('import_rows_per_s', round(expected.rows / r.seconds, 0), 'rows/s', t.label, { name: 'csv_parse_rows_per_s', value: round(baseline.rows / baseline.seconds, 0) }, { scenario: days ? `${days}_days` : 'full', notes }),
          result('import_total_s', r.seconds, 's', t.label, { name: 'csv_parse_total_s', value: round(baseline.seconds) }, { scenario: days ? `${days}_days` : 'full' }),
        );
      } finally {
        await cleanup();
      }
    }
    return results;
  },
};

export default bench;
