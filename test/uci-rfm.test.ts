/**
 * Correctness on real data: import the UCI Online Retail set, run a full RFM recompute, and
 * check every scored customer's recency, frequency, monetary value, R/F/M scores and class
 * against an independent SQL computation over the same CSV rows (NTILE(5) quintiles).
 */
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { describeEachDatabase } from '../src/platform/db/testing.ts';
import { systemContext } from '../src/platform/http/context.ts';
import { expectUci, uciFiles, uciSkipReason } from '../src/modules/imports/uci-check.ts';
import { RFM_CLASSES } from '../src/modules/scoring/scoring.schemas.ts';
import type { Siyu } from '../src/composition.ts';
import { ManualClock, seedWorkspace, startTestSiyu } from './support/app.ts';

const skip = uciSkipReason();
/** The day after the data's last invoice (2011-12-09), in the morning in Shanghai. */
const NOW = new Date('2011-12-10T04:00:00Z');

interface Row {
  customer: string;
  recency: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  rfm_class: string;
}

/** R/F/M from the raw rows, in SQL, sharing nothing with Siyu's scoring code. */
function independent(now: Date) {
  return sql<Row>`
    with inv as (
      select customer, (at_local::timestamp at time zone 'Europe/London') as at, pence
      from pg_temp.uci_invoices where invoice not like 'C%'),
    per as (
      select customer, max(at) as last_at,
        count(*) filter (where pence > 0) as orders_all,
        count(*) filter (where pence > 0 and at > ${now}::timestamptz - interval '365 days' and at <= ${now}::timestamptz) as frequency,
        coalesce(sum(pence) filter (where at > ${now}::timestamptz - interval '365 days' and at <= ${now}::timestamptz), 0) as monetary
      from inv group by customer),
    scored as (
      select customer, (last_at at time zone 'Asia/Shanghai')::date as last_day, frequency, monetary
      from per where orders_all > 0),
    qr as (select b, max(last_day) as q from (select last_day, ntile(5) over (order by last_day) as b from scored) t where b <= 4 group by b),
    qf as (select b, max(frequency) as q from (select frequency, ntile(5) over (order by frequency) as b from scored) t where b <= 4 group by b),
    qm as (select b, max(monetary) as q from (select monetary, ntile(5) over (order by monetary) as b from scored) t where b <= 4 group by b),
    s as (
      select customer,
        ((${now}::timestamptz at time zone 'Asia/Shanghai')::date - last_day) as recency, frequency, monetary,
        1 + (select count(*) from qr where scored.last_day > qr.q) as r,
        1 + (select count(*) from qf where scored.frequency > qf.q) as f,
        1 + (select count(*) from qm where scored.monetary > qm.q) as m
      from scored)
    select customer, recency::int as recency, frequency::int as frequency, monetary::bigint as monetary, r::int as r, f::int as f, m::int as m,
      (${[...RFM_CLASSES]}::text[])[1 + (case when m >= 3 then 0 else 4 end) + (case when r >= 3 then 0 else 2 end) + (case when f >= 3 then 0 else 1 end)] as rfm_class
    from s order by customer`;
}

describeEachDatabase('RFM on the UCI Online Retail data equals an independent SQL computation', ({ database }) => {
  let siyu: Siyu;
  before(async () => {
    siyu = await startTestSiyu(database(), { clock: new ManualClock(NOW) });
  });
  after(async () => siyu?.jobs.stop());

  it('scores every customer exactly as NTILE(5) quintiles over the raw rows say', { skip }, async () => {
    const ws = (await seedWorkspace(siyu)).workspaceId;
    const ctx = systemContext(ws, 'cli');
    const files = uciFiles();
    const imported = await siyu.imports.service.runLocal(
      ctx,
      files.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) })),
      { kind: 'orders', mapping: 'online-retail', fileName: 'online-retail', encoding: 'auto', skipBadRows: false, dryRun: false },
    );
    assert.equal(imported.summary.status, 'completed', JSON.stringify(imported.errors.slice(0, 3)));

    const { run } = await siyu.scoring.recompute.request(ctx, 'manual');
    await siyu.scoring.recompute.run({ workspaceId: ws, runId: run.id });

    // The same rows, read again: each invoice's customer, first timestamp and pence.
    const expected = expectUci(files);
    const firstAt = new Map<string, string>();
    for (const f of files) {
      for (const r of parse(fs.readFileSync(f), { columns: true, skip_empty_lines: true }) as Record<string, string>[]) {
        if (r.CustomerID && !firstAt.has(r.InvoiceNo!)) firstAt.set(r.InvoiceNo!, r.InvoiceDate!);
      }
    }
    const invoices = [...expected.invoices];
    const rows = await siyu.db.connection().execute(async (conn) => {
      await sql`create temporary table uci_invoices (invoice text, customer text, at_local text, pence bigint)`.execute(conn);
      for (let i = 0; i < invoices.length; i += 5000) {
        const part = invoices.slice(i, i + 5000);
        await sql`insert into pg_temp.uci_invoices select * from unnest(${part.map(([no]) => no)}::text[], ${part.map(([, v]) => v.customer)}::text[],
          ${part.map(([no]) => firstAt.get(no)!)}::text[], ${part.map(([, v]) => v.pence)}::bigint[])`.execute(conn);
      }
      const out = (await independent(NOW).execute(conn)).rows;
      await sql`drop table pg_temp.uci_invoices`.execute(conn);
      return out;
    });

    const stored = await sql<Row>`
      select i.value as customer, s.rfm_recency_days as recency, s.rfm_frequency as frequency, s.rfm_monetary_fen::bigint as monetary,
        s.rfm_r as r, s.rfm_f as f, s.rfm_m as m, s.rfm_class
      from customer_scores s
      join customer_identities i on i.workspace_id = s.workspace_id and i.customer_id = s.customer_id and i.type = 'member_card'
      where s.workspace_id = ${ws} and s.rfm_class is not null order by i.value`.execute(siyu.db);
    const norm = (r: Row) => ({ ...r, recency: Number(r.recency), frequency: Number(r.frequency), monetary: Number(r.monetary), r: Number(r.r), f: Number(r.f), m: Number(r.m) });
    const want = rows.map(norm);
    const got = stored.rows.map(norm);
    assert.ok(want.length > 4000, `${want.length} customers scored independently`);
    assert.equal(got.length, want.length);
    const differing = want.filter((w, i) => JSON.stringify(w) !== JSON.stringify(got[i]));
    assert.deepEqual(differing.slice(0, 5), [], `${differing.length} customers differ; first of Siyu's: ${JSON.stringify(got.filter((g, i) => JSON.stringify(g) !== JSON.stringify(want[i])).slice(0, 5))}`);
    // Every class occurs: the check covers the whole mapping, not one corner of it.
    assert.equal(new Set(got.map((g) => g.rfm_class)).size, 8);
  });
});
