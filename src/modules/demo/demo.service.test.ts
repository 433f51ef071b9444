import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.ts';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import type { Db } from '../../platform/db/pool.ts';
import { seedWorkspace, startTestSiyu } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { startOfDay } from './generator.ts';
import { demoSnapshot } from './snapshot.ts';

const ANCHOR = startOfDay(new Date('2026-11-24T10:00:00Z'), 'Asia/Shanghai');
const N = 60;

async function count(db: Db, table: 'customers' | 'events' | 'orders' | 'customer_identities' | 'order_items' | 'customer_consents', ws: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDatabase('demo brand loading', (suite) => {
  let siyu: Siyu;
  let viaServices: string;
  let viaBulk: string;

  before(async () => {
    siyu = await startTestSiyu(suite.database(), { clock: new ManualClock(ANCHOR.getTime() + 3_600_000) });
    viaServices = (await seedWorkspace(siyu)).workspaceId;
    viaBulk = (await seedWorkspace(siyu)).workspaceId;
  });
  after(async () => siyu?.jobs.stop());

  it('seeds through the services, merging platform buyers with their WeChat identity', async () => {
    // Small batches put a joining and a later phone authorisation in different calls: real merges.
    const summary = await siyu.demo.seed({ workspaceId: viaServices, customers: N, seed: 5, anchor: ANCHOR, method: 'services', batchSize: 100 });
    assert.equal(summary.method, 'services');
    assert.ok(summary.merged > 0, 'no customer was merged');
    const active = await siyu.db.selectFrom('customers').select('id').where('workspace_id', '=', viaServices).where('merged_into', 'is', null).execute();
    assert.equal(active.length, N);
    const owners = await siyu.db.selectFrom('customers').select('owner_user_id').where('workspace_id', '=', viaServices).where('owner_user_id', 'is not', null).execute();
    assert.ok(owners.length > N / 4, `owners: ${owners.length}`);
  });

  it('loads the same rows in bulk (ids aside)', async () => {
    const summary = await siyu.demo.seed({ workspaceId: viaBulk, customers: N, seed: 5, anchor: ANCHOR, method: 'bulk' });
    assert.equal(summary.method, 'bulk');
    const [a, b] = [await demoSnapshot(siyu.db, viaServices), await demoSnapshot(siyu.db, viaBulk)];
    assert.equal(b.customers.length, N);
    assert.ok(a.events.length > N * 5 && a.orders.length > N / 2);
    for (const key of ['customers', 'identities', 'consents', 'orders', 'items', 'events', 'stats'] as const) {
      assert.equal(b[key].length, a[key].length, `${key}: ${b[key].length} rows in bulk, ${a[key].length} through the services`);
      const i = b[key].findIndex((row, n) => JSON.stringify(row) !== JSON.stringify(a[key][n]));
      assert.deepEqual(b[key][i], a[key][i], `${key} differ between the two paths (bulk first, services second)`);
    }
  });

  it('does not duplicate anything when seeded again, resuming or not', async () => {
    const tables = ['customers', 'events', 'orders', 'customer_identities', 'order_items', 'customer_consents'] as const;
    const before = await Promise.all(tables.map((t) => count(siyu.db, t, viaServices)));
    const snapshot = await demoSnapshot(siyu.db, viaServices);
    const again = await siyu.demo.seed({ workspaceId: viaServices, customers: N, seed: 5, anchor: ANCHOR, method: 'services', resume: false });
    assert.equal(again.skippedChunks, 0);
    assert.deepEqual(await Promise.all(tables.map((t) => count(siyu.db, t, viaServices))), before);
    assert.deepEqual(await demoSnapshot(siyu.db, viaServices), snapshot);
    const resumed = await siyu.demo.seed({ workspaceId: viaServices, customers: N, seed: 5, anchor: ANCHOR });
    assert.equal(resumed.skippedChunks, 1);
  });

  it('refuses to bulk-load into a workspace that already has customers, and bad requests', async () => {
    await assert.rejects(siyu.demo.seed({ workspaceId: viaBulk, customers: N, seed: 5, anchor: ANCHOR, method: 'bulk' }), { code: 'demo.workspace_not_empty' });
    await assert.rejects(siyu.demo.seed({ workspaceId: '00000000-0000-4000-8000-000000000000', customers: 5 }), { code: 'workspace.not_found' });
    await assert.rejects(siyu.demo.seed({ workspaceId: viaBulk, customers: -1 }), { code: 'demo.invalid_customers' });
  });
});
