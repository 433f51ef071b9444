/**
 * Real data: imports the first days of the UCI Online Retail set (../shared/data) and checks
 * the stored orders, totals, cancellations, items and customers against an independent
 * computation over the same CSV rows. The full set is timed by `npm run bench -- import`.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { expectUci, uciFiles, uciSkipReason } from './uci-check.ts';

const DAYS = 10;
const skip = uciSkipReason();

describeEachDatabase('UCI Online Retail import (real data, first 10 days)', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database());
  });
  after(async () => siyu?.jobs.stop());

  it('stores exactly the invoices, amounts and customers an independent computation expects', { skip }, async () => {
    const ws = (await seedWorkspace(siyu)).workspaceId;
    const files = uciFiles(DAYS);
    const expected = expectUci(files);
    const r = await siyu.imports.service.runLocal(
      systemContext(ws, 'cli'),
      files.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) })),
      { kind: 'orders', mapping: 'online-retail', fileName: 'online-retail', encoding: 'auto', skipBadRows: false, dryRun: false },
    );
    assert.equal(r.summary.status, 'completed', JSON.stringify(r.errors.slice(0, 5)));
    assert.equal(r.summary.rows, expected.rows);
    assert.equal(r.summary.skippedRows, expected.rowsWithoutCustomer);

    const invoices = [...expected.invoices.values()];
    const cancelled = [...expected.invoices].filter(([no]) => no.startsWith('C'));
    const sums = (await sql<{ orders: string; cancelled: string; sold_fen: string; cancelled_fen: string; paid_fen: string; customers: string }>`
      select count(*) as orders,
             count(*) filter (where status = 'cancelled') as cancelled,
             coalesce(sum(total_fen) filter (where status <> 'cancelled'), 0) as sold_fen,
             coalesce(sum(total_fen) filter (where status = 'cancelled'), 0) as cancelled_fen,
             coalesce(sum(paid_fen), 0) as paid_fen,
             count(distinct customer_id) as customers
      from orders where workspace_id = ${ws} and platform = 'online_retail'`.execute(siyu.db)).rows[0]!;
    const soldPence = invoices.reduce((n, i) => n + i.pence, 0) - cancelled.reduce((n, [, i]) => n + i.pence, 0);
    assert.equal(Number(sums.orders), expected.invoices.size);
    assert.equal(Number(sums.cancelled), cancelled.length);
    assert.equal(Number(sums.sold_fen), soldPence);
    assert.equal(Number(sums.paid_fen), soldPence);
    assert.equal(Number(sums.cancelled_fen), cancelled.reduce((n, [, i]) => n + i.pence, 0));
    assert.equal(Number(sums.customers), new Set(invoices.map((i) => i.customer)).size);
    const items = (await sql<{ n: string }>`select count(*) as n from order_items where workspace_id = ${ws}`.execute(siyu.db)).rows[0]!;
    assert.equal(Number(items.n), invoices.reduce((n, i) => n + i.lines, 0));
  });
});
