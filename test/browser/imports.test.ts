/**
 * The import page: upload a Taobao export with a broken row, preview it with the preset
 * (the bad rows by line number), import skipping bad rows, follow the progress to the
 * summary, and find it in the history. The worker runs the import job, as in production.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Role } from '../../src/modules/access/index.ts';
import { projectRoot } from '../../src/platform/config.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectText, signInThroughUi } from './harness.ts';

const FIXTURE = path.join(projectRoot, 'src', 'modules', 'imports', 'fixtures', 'taobao-broken.csv');

describeBrowser('console imports', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;

  before(async () => {
    const { siyu } = suite.server();
    await siyu.jobs.work();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'analyst']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
  });
  after(async () => {
    await suite.server().siyu.jobs.stop(5000);
  });

  it('uploads a CSV, previews it with a preset, and imports it skipping the bad rows', async () => {
    await suite.withPage('imports-flow', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/customers/imports');
      await page.getByTestId('imports-page').waitFor();
      await page.locator('[data-testid="import-upload"] input[type=file], input[type=file]').first().setInputFiles(FIXTURE);
      await expectText(page.locator('.ant-upload-list'), 'taobao-broken.csv');

      await page.getByTestId('mapping-preset').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '淘宝/天猫订单报表' }).click();
      await eventually(async () => assert.ok(await page.getByTestId('import-preview-run').isEnabled(), 'the upload has not finished'));
      await page.getByTestId('import-preview-run').click();

      const preview = page.getByTestId('import-preview');
      await preview.waitFor();
      await expectText(page.getByTestId('preview-orders'), '3712345678901234001');
      const errors = page.getByTestId('import-errors');
      const badDate = errors.getByRole('row', { name: /2024-13-45/ });
      await expectText(badDate, '日期无效');
      assert.equal((await badDate.getByTestId('error-line').innerText()).trim(), '4');
      await expectText(errors.getByRole('row', { name: /已付款待审核/ }).getByTestId('error-line'), '8');
      assert.equal(await countOrders(), 0, 'a preview stores nothing');

      await page.getByTestId('import-skip-bad-rows').click();
      await page.getByTestId('import-start').click();
      const run = page.getByTestId('import-run');
      await expectText(page.getByTestId('import-status'), '已完成', 60_000);
      await expectText(run.getByTestId('summary-rejectedRows'), '2');
      await expectText(run.getByTestId('summary-ordersCreated'), '4');
      await run.getByTestId('import-download-errors').waitFor();
      assert.equal(await countOrders(), 4);
      await expectText(page.getByTestId('import-history'), '淘宝/天猫订单报表');
    });
  });

  it('the error report downloads as CSV with the bad line numbers', async () => {
    await suite.withPage('imports-download', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/customers/imports');
      const history = page.getByTestId('import-history');
      await expectText(history, 'taobao-broken.csv');
      const downloading = page.waitForEvent('download');
      await history.getByRole('button', { name: /错误报告/ }).first().click();
      const download = await downloading;
      const file = await download.path();
      const { readFile } = await import('node:fs/promises');
      const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      assert.match(text.split(/\r?\n/)[0]!, /^file,line,column,value,reason,message$/);
      assert.match(text, /taobao-broken\.csv,4,/);
      assert.match(text, /taobao-broken\.csv,8,/);
    });
  });

  it('is not offered to a role without imports.run', async () => {
    await suite.withPage('imports-analyst', async (page) => {
      await signInThroughUi(page, users.analyst.email, undefined, '/customers');
      await page.getByTestId('customer-list').waitFor();
      assert.equal(await page.getByTestId('customers-tab-imports').count(), 0);
      await page.goto('/customers/imports');
      await page.getByTestId('customer-list').waitFor();
      assert.equal(await page.getByTestId('imports-page').count(), 0);
    });
  });

  async function countOrders(): Promise<number> {
    const row = await suite
      .server()
      .siyu.db.selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});
