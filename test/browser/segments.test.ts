import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { systemContext } from '../../src/platform/http/context.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console RFM matrix and lifecycle', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    const ctx = systemContext(workspaceId, 'test');
    // Twelve buyers with different recency, frequency and spend.
    const orders = [];
    for (let p = 0; p < 12; p++) {
      for (let k = 0; k <= p % 4; k++) {
        const at = new Date(Date.now() - (p * 9 + k * 2 + 1) * 86_400_000).toISOString();
        orders.push({ platform: 'taobao', orderNo: `T${p}-${k}`, status: 'completed', statusAt: at, orderedAt: at, paidAt: at, totalFen: 5_000 + p * 7_000, identities: [{ type: 'wechat_unionid', value: `u-${p}` }] });
      }
    }
    const r = await siyu.orders.upsertOrders(ctx, orders);
    assert.equal(r.rejected, 0);
    const { run } = await siyu.scoring.recompute.request(ctx, 'manual');
    await siyu.scoring.recompute.run({ workspaceId, runId: run.id });
  });

  it('shows the 8 classes with the customers in each, and the lifecycle distribution', async () => {
    const counts = (await sql<{ rfm_class: string; n: string }>`
      select rfm_class, count(*) as n from customer_scores where workspace_id = ${workspaceId} and rfm_class is not null group by rfm_class`.execute(suite.server().siyu.db)).rows;
    assert.equal(counts.reduce((n, c) => n + Number(c.n), 0), 12);
    await suite.withPage('rfm', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments');
      await expectText(page.getByTestId('segments-area'), 'RFM 客户价值矩阵');
      await expectText(page.getByTestId('rfm-class-important_value'), '重要价值');
      for (const c of counts) await expectText(page.getByTestId(`rfm-customers-${c.rfm_class}`), String(Number(c.n)));
      await expectText(page.getByTestId('rfm-summary'), '共 12 位客户');
      await expectText(page.getByTestId('lifecycle-table'), '客户数');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('rfm-class-important_value'), 'Important value');
    });
  });

  it('counts the customers who moved between classes from one day to another', async () => {
    const db = suite.server().siyu.db;
    // Two customers were 一般挽留 until two days ago; everyone's current state began ten days ago.
    const rows = await db.selectFrom('customer_score_history').select(['customer_id', 'rfm_class']).where('workspace_id', '=', workspaceId).where('valid_to', 'is', null).where('rfm_class', '<>', 'general_retain').orderBy('customer_id').limit(2).execute();
    assert.equal(rows.length, 2);
    await sql`update customer_score_history set valid_from = valid_from - interval '10 days' where workspace_id = ${workspaceId}`.execute(db);
    for (const r of rows) {
      await sql`update customer_score_history set valid_from = now() - interval '2 days' where workspace_id = ${workspaceId} and customer_id = ${r.customer_id} and valid_to is null`.execute(db);
      await sql`insert into customer_score_history (workspace_id, customer_id, valid_from, valid_to, rfm_class, lifecycle_days_stage, lifecycle_stage_stage, lifecycle_business_stage, value_layer, consumption_tier)
        select workspace_id, customer_id, now() - interval '10 days', now() - interval '2 days', 'general_retain', lifecycle_days_stage, lifecycle_stage_stage, lifecycle_business_stage, value_layer, consumption_tier
        from customer_score_history where workspace_id = ${workspaceId} and customer_id = ${r.customer_id} and valid_to is null`.execute(db);
    }
    const to = rows[0]!.rfm_class!;
    const expectedMoved = rows.filter((r) => r.rfm_class === to).length;
    await suite.withPage('transitions', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments');
      const fmt = (daysAgo: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - daysAgo * 86_400_000));
      await page.getByTestId('transitions-from').fill(fmt(5));
      await page.getByTestId('transitions-to').fill(fmt(0));
      await page.getByTestId('transitions-show').click();
      // The owner switched to English in the first test (the choice is kept in the profile).
      await expectText(page.getByTestId('transitions-moved'), 'Customers who changed between the two days: 2');
      await expectText(page.getByTestId(`cell-general_retain-${to}`), String(expectedMoved));
    });
  });

  it('offers the recompute to an owner only', async () => {
    await suite.withPage('rfm-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments');
      await page.getByTestId('rfm-matrix').waitFor();
      assert.equal(await page.getByTestId('rfm-recompute').count(), 0);
    });
  });
});
