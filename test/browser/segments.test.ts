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

  it('offers the recompute to an owner only', async () => {
    await suite.withPage('rfm-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments');
      await page.getByTestId('rfm-matrix').waitFor();
      assert.equal(await page.getByTestId('rfm-recompute').count(), 0);
    });
  });
});
