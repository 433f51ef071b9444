import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { systemContext } from '../../platform/http/context.ts';
import { seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import type { ImportFile } from './engine.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const file = (name: string): ImportFile[] => [{ name, bytes: fs.readFileSync(path.join(FIXTURES, name)) }];
const dir = (name: string): ImportFile[] =>
  fs
    .readdirSync(path.join(FIXTURES, name))
    .sort()
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(FIXTURES, name, f)) }));

const base = { encoding: 'auto' as const, skipBadRows: false, dryRun: false };

describeEachDatabase('imports (CLI path)', ({ database }) => {
  let siyu: Siyu;
  let ws: string;
  const ctx = () => systemContext(ws, 'cli');
  const count = async (table: 'orders' | 'customers' | 'events' | 'order_items', where = sql`true`) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where workspace_id = ${ws} and ${where}`.execute(siyu.db)).rows[0]!.n);

  before(async () => {
    siyu = await startTestSiyu(database());
  });
  after(async () => siyu?.jobs.stop());

  it('stores nothing when a row is bad, and reports every bad line', async () => {
    ws = (await seedWorkspace(siyu)).workspaceId;
    const r = await siyu.imports.service.runLocal(ctx(), file('taobao-broken.csv'), { ...base, kind: 'orders', mapping: 'taobao', fileName: 'taobao-broken.csv' });
    assert.equal(r.summary.status, 'rejected');
    assert.deepEqual(r.errors.map((e) => [e.line, e.column, e.reason]), [
      [4, '订单创建时间', 'invalid_date'],
      [8, '订单状态', 'unknown_status'],
    ]);
    assert.equal(await count('orders'), 0);
    assert.equal(await count('customers'), 0);
    const row = await siyu.imports.service.get(ctx(), r.importId!);
    assert.equal(row.status, 'rejected');
    assert.equal(row.error_count, 2);
  });

  it('with skip-bad-rows stores the good rows and records the bad ones', async () => {
    const r = await siyu.imports.service.runLocal(ctx(), file('taobao-broken.csv'), { ...base, skipBadRows: true, kind: 'orders', mapping: 'taobao', fileName: 'taobao-broken.csv' });
    assert.equal(r.summary.status, 'completed');
    assert.equal(r.summary.ordersCreated, 4);
    assert.equal(r.summary.rejectedRows, 2);
    assert.equal(await count('orders'), 4);
    assert.deepEqual(r.errors.map((e) => e.line), [4, 8]);
  });

  it('imports an export, then importing it again changes nothing', async () => {
    ws = (await seedWorkspace(siyu)).workspaceId;
    const first = await siyu.imports.service.runLocal(ctx(), file('taobao-orders.csv'), { ...base, kind: 'orders', mapping: 'taobao', fileName: 't.csv' });
    assert.equal(first.summary.status, 'completed', first.summary.message);
    assert.deepEqual([first.summary.ordersCreated, first.summary.customersCreated, first.summary.rows], [6, 5, 6]);
    const stored = await siyu.db
      .selectFrom('orders')
      .select(['order_no', 'status', 'total_fen', 'paid_fen', 'refunded_fen', 'source'])
      .where('workspace_id', '=', ws)
      .orderBy('order_no')
      .execute();
    assert.deepEqual(stored.map((o) => [o.order_no.slice(-3), o.status, Number(o.paid_fen), Number(o.refunded_fen)]), [
      ['001', 'completed', 19800, 0],
      ['002', 'pending', 0, 0],
      ['003', 'cancelled', 0, 0],
      ['004', 'refunded', 29900, 29900],
      ['005', 'partially_refunded', 30000, 5000],
      ['006', 'paid', 12000, 0],
    ]);
    assert.equal(stored[0]!.source, `import:${first.importId}`);

    const again = await siyu.imports.service.runLocal(ctx(), file('taobao-orders.gbk.csv').map((f) => ({ ...f, bytes: fs.readFileSync(path.join(FIXTURES, 'taobao-orders.csv')) })), { ...base, kind: 'orders', mapping: 'taobao', fileName: 't.csv' });
    assert.equal(again.summary.status, 'duplicate');
    assert.equal(again.summary.duplicateOf?.importId, first.importId);
    assert.match(again.summary.message, /Already imported.*0 changes/);

    const forced = await siyu.imports.service.runLocal(ctx(), file('taobao-orders.gbk.csv'), { ...base, force: true, kind: 'orders', mapping: 'taobao', fileName: 't-gbk.csv' });
    assert.equal(forced.summary.status, 'completed');
    assert.deepEqual([forced.summary.ordersCreated, forced.summary.ordersUpdated, forced.summary.ordersUnchanged, forced.summary.customersCreated], [0, 0, 6, 0]);
    assert.equal(await count('orders'), 6);
  });

  it('groups line items, stores cancellations and counts skipped rows (UCI shape, directory as one import)', async () => {
    ws = (await seedWorkspace(siyu)).workspaceId;
    const r = await siyu.imports.service.runLocal(ctx(), dir('online-retail'), { ...base, kind: 'orders', mapping: 'online-retail', fileName: 'online-retail/' });
    assert.equal(r.summary.status, 'completed', JSON.stringify(r.errors));
    assert.deepEqual([r.summary.rows, r.summary.skippedRows, r.summary.ordersCreated, r.summary.customersCreated], [11, 2, 7, 5]);
    const orders = await siyu.db.selectFrom('orders').select(['order_no', 'status', 'total_fen', 'paid_fen', 'item_count', 'attributes']).where('workspace_id', '=', ws).orderBy('order_no').execute();
    const c = orders.find((o) => o.order_no === 'C536379')!;
    assert.deepEqual([c.status, Number(c.total_fen), Number(c.paid_fen)], ['cancelled', 2750, 0]);
    assert.equal((orders.find((o) => o.order_no === '536365')!.attributes as { currency?: string }).currency, 'GBP');
    assert.equal(await count('order_items'), 11 - 2);
  });

  it('a dry run writes nothing', async () => {
    ws = (await seedWorkspace(siyu)).workspaceId;
    const r = await siyu.imports.service.runLocal(ctx(), file('jd-orders.csv'), { ...base, dryRun: true, kind: 'orders', mapping: 'jd', fileName: 'jd.csv' });
    assert.equal(r.importId, null);
    assert.deepEqual([r.summary.status, r.summary.orders, r.summary.rows], ['dry_run', 3, 4]);
    assert.equal(await count('orders'), 0);
    const rows = await siyu.db.selectFrom('imports').select('id').where('workspace_id', '=', ws).execute();
    assert.equal(rows.length, 0);
  });

  it('imports the WeCom customer list as customers with identities and friend-added events, idempotently', async () => {
    ws = (await seedWorkspace(siyu)).workspaceId;
    const opts = { ...base, kind: 'customers' as const, mapping: 'wecom-customers', params: { corpId: 'ww0001' }, fileName: 'wecom.csv' };
    const r = await siyu.imports.service.runLocal(ctx(), file('wecom-customers.csv'), opts);
    assert.equal(r.summary.status, 'completed', JSON.stringify(r.errors));
    assert.deepEqual([r.summary.customerRows, r.summary.eventsRecorded, r.summary.customersCreated], [4, 4, 3]);
    assert.equal(await count('customers'), 3);
    assert.equal(await count('events', sql`type = 'wecom.friend_added'`), 4);
    const wang = await siyu.db
      .selectFrom('customers')
      .select(['name', 'gender', 'mobile', 'joined_at'])
      .where('workspace_id', '=', ws)
      .where('name', '=', '王姐')
      .executeTakeFirstOrThrow();
    assert.equal(wang.joined_at?.toISOString(), '2024-01-05T02:00:00.000Z');
    const ids = await siyu.db.selectFrom('customer_identities').select(['type', 'scope', 'value']).where('workspace_id', '=', ws).orderBy('value').execute();
    assert.ok(ids.some((i) => i.type === 'wecom_external_userid' && i.scope === 'ww0001' && i.value === 'wmAAAA0001'));
    assert.ok(ids.some((i) => i.type === 'mobile' && i.value === '+8613812345678'));

    const again = await siyu.imports.service.runLocal(ctx(), file('wecom-customers.csv'), { ...opts, force: true });
    assert.deepEqual([again.summary.status, again.summary.eventsRecorded, again.summary.customersCreated], ['completed', 0, 0]);
    assert.equal(await count('events'), 4);
  });
});
