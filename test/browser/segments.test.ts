/**
 * The RFM tab of the segments area: the matrix, the lifecycle distribution and the
 * transitions between two days, each count opening exactly the customers it counts.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { systemContext } from '../../src/platform/http/context.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, expectText, signInThroughUi } from './harness.ts';

/** The customer ids listed on the page (rows of the list behind a number), in order. */
async function listedIds(page: Page, scope: string): Promise<number[]> {
  const rows = page.getByTestId(scope).locator('[data-testid^="customer-row-"]');
  const ids = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.slice('customer-row-'.length))));
  return ids.sort((a, b) => a - b);
}

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
    // What the worker does after the scores change (no worker runs in these tests).
    await siyu.segments.membership.reconcile(workspaceId);
  });

  it('shows the 8 classes with the customers in each, and the lifecycle distribution', async () => {
    const counts = (await sql<{ rfm_class: string; n: string }>`
      select rfm_class, count(*) as n from customer_scores where workspace_id = ${workspaceId} and rfm_class is not null group by rfm_class`.execute(suite.server().siyu.db)).rows;
    assert.equal(counts.reduce((n, c) => n + Number(c.n), 0), 12);
    await suite.withPage('rfm', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments');
      await page.getByTestId('segments-tab-rfm').click();
      await expectText(page.getByTestId('segments-area'), 'RFM 客户价值矩阵');
      await expectText(page.getByTestId('rfm-class-important_value'), '重要价值');
      for (const c of counts) await expectText(page.getByTestId(`rfm-customers-${c.rfm_class}`), String(Number(c.n)));
      await expectText(page.getByTestId('rfm-summary'), '共 12 位客户');
      await expectText(page.getByTestId('lifecycle-table'), '客户数');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('rfm-class-important_value'), 'Important value');
    });
  });

  it('opens exactly the customers behind an RFM class count and a lifecycle count', async () => {
    const db = suite.server().siyu.db;
    const biggest = (await sql<{ rfm_class: string; n: string }>`
      select rfm_class, count(*) as n from customer_scores where workspace_id = ${workspaceId} and rfm_class is not null
      group by rfm_class order by count(*) desc, rfm_class limit 1`.execute(db)).rows[0]!;
    const n = Number(biggest.n);
    assert.ok(n >= 2, 'a class with several customers');
    const inClass = (await db.selectFrom('customer_scores').select('customer_id').where('workspace_id', '=', workspaceId).where('rfm_class', '=', biggest.rfm_class).orderBy('customer_id').execute()).map((r) => Number(r.customer_id));
    // The primary model's biggest bucket (customers without a stage included: a null key).
    const stage = (await sql<{ key: string | null; n: string }>`
      select lifecycle_stage as key, count(*) as n from customer_scores where workspace_id = ${workspaceId}
      group by lifecycle_stage order by count(*) desc limit 1`.execute(db)).rows[0]!;
    const inStage = (await sql<{ customer_id: string }>`
      select customer_id from customer_scores where workspace_id = ${workspaceId} and lifecycle_stage is not distinct from ${stage.key}
      order by customer_id`.execute(db)).rows.map((r) => Number(r.customer_id));

    await suite.withPage('rfm-click-through', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments/rfm');
      await expectText(page.getByTestId(`rfm-customers-${biggest.rfm_class}`), String(n));
      await page.getByTestId(`rfm-customers-${biggest.rfm_class}`).click();
      await expectText(page.getByTestId('explore-count'), `共 ${n} 位客户`);
      await expectText(page.getByTestId('explore-customers'), '没有更多了');
      assert.deepEqual(await listedIds(page, 'explore-customers'), inClass);
      // A viewer may look but not save the rule as a segment.
      assert.equal(await page.getByTestId('explore-save').count(), 0);
      await page.getByTestId('explore-customers').getByTestId(`customer-link-${inClass[0]}`).click();
      await page.waitForURL(new RegExp(`/customers/${inClass[0]}$`));

      await page.goto('/segments/rfm');
      const cell = page.getByTestId('lifecycle-table').locator(`[data-testid$="-${stage.key ?? 'none'}"]`);
      await expectText(cell, String(inStage.length));
      await cell.click();
      await expectText(page.getByTestId('explore-count'), `共 ${inStage.length} 位客户`);
      await expectText(page.getByTestId('explore-customers'), '没有更多了');
      assert.deepEqual(await listedIds(page, 'explore-customers'), inStage);

      // The total in the summary opens every scored customer.
      await page.goto('/segments/rfm');
      await page.getByTestId('rfm-total').click();
      await expectText(page.getByTestId('explore-count'), '共 12 位客户');
      await expectText(page.getByTestId('explore-customers'), '没有更多了');
      assert.equal((await listedIds(page, 'explore-customers')).length, 12);
    });

    // An owner saves the class's rule as a segment: the builder opens with it, counting the same.
    await suite.withPage('explore-save', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments/rfm');
      await page.getByTestId(`rfm-customers-${biggest.rfm_class}`).click();
      await page.getByTestId('explore-save').click();
      await expectText(page.getByTestId('cond-type-children.0'), 'RFM class');
      await page.locator('[data-testid="live-preview"][data-pending="false"]').waitFor();
      await expectText(page.getByTestId('live-count'), String(n));
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
      await signInThroughUi(page, users.owner.email, undefined, '/segments/rfm');
      const fmt = (daysAgo: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() - daysAgo * 86_400_000));
      await page.getByTestId('transitions-from').fill(fmt(5));
      await page.getByTestId('transitions-to').fill(fmt(0));
      await page.getByTestId('transitions-show').click();
      // The owner switched to English in the first test (the choice is kept in the profile).
      await expectText(page.getByTestId('transitions-moved'), 'Customers who changed between the two days: 2');
      await expectText(page.getByTestId(`cell-general_retain-${to}`), String(expectedMoved));

      // The count opens the customers who made that move, and only them.
      await page.getByTestId(`cell-general_retain-${to}`).click();
      await page.getByTestId('transition-customers').waitFor();
      await expectText(page.getByTestId('transition-customers'), 'No more');
      const moved = rows.filter((r) => r.rfm_class === to).map((r) => Number(r.customer_id)).sort((a, b) => a - b);
      assert.deepEqual(await listedIds(page, 'transition-customers'), moved);
      // Back on the matrix, the same two days are shown.
      await page.goBack();
      await expectText(page.getByTestId(`cell-general_retain-${to}`), String(expectedMoved));
    });
  });

  it('offers the recompute to an owner only', async () => {
    await suite.withPage('rfm-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments/rfm');
      await page.getByTestId('rfm-matrix').waitFor();
      assert.equal(await page.getByTestId('rfm-recompute').count(), 0);
    });
  });
});
