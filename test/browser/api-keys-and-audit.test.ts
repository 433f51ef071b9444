import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemContext } from '../../src/platform/http/context.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console API keys and audit log', (suite) => {
  let workspaceId: string;
  let owner: TestUser;

  before(async () => {
    const seeded = await seedWorkspace(suite.server().siyu, ['owner']);
    workspaceId = seeded.workspaceId;
    owner = seeded.users.owner;
  });

  const keyRow = (name: string) =>
    suite
      .server()
      .siyu.db.selectFrom('api_keys')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();

  it('creates an API key with a scope, shows the token once, lists the key and revokes it', async () => {
    await suite.withPage('api-keys', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/api-keys');
      await page.getByTestId('create-api-key').click();
      await page.getByTestId('api-key-name').fill('商城订单同步');
      await page.getByTestId('scope-events.write').click();
      await page.getByTestId('api-key-expiry').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '30 天' }).click();
      await page.getByTestId('create-api-key-submit').click();

      const secret = page.getByTestId('api-key-token');
      await secret.waitFor();
      const token = await page.getByTestId('api-key-token-value').inputValue();
      assert.match(token, /^sy_/);
      await page.getByTestId('api-key-token-done').click();
      await expectHidden(secret);
      assert.ok(!(await page.content()).includes(token), 'the token is still in the page after closing');

      const row = page.getByRole('row', { name: /商城订单同步/ });
      await expectText(row, '写入事件');
      await expectText(row, '有效');
      const stored = await keyRow('商城订单同步');
      assert.deepEqual(stored.scopes, ['events.write']);
      const daysLeft = (stored.expires_at!.getTime() - Date.now()) / 86_400_000;
      assert.ok(daysLeft > 29.9 && daysLeft <= 30, `expires in ${daysLeft} days`);
      assert.ok(token.startsWith(stored.prefix), 'the listed prefix is the start of the token');
      await expectText(row, stored.prefix);

      await row.getByTestId(`revoke-${stored.id}`).click();
      await page.getByTestId('confirm-revoke').click();
      await expectText(page.getByTestId(`api-key-status-${stored.id}`), '已吊销');
      await eventually(async () => assert.notEqual((await keyRow('商城订单同步')).revoked_at, null));
    });
  });

  it('does not create a key without a scope', async () => {
    await suite.withPage('api-key-no-scope', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/api-keys');
      await page.getByTestId('create-api-key').click();
      await page.getByTestId('api-key-name').fill('no scope');
      await page.getByTestId('create-api-key-submit').click();
      await expectText(page.getByTestId('create-api-key-form'), '至少选择一个权限范围');
      assert.equal(await page.getByTestId('api-key-token').count(), 0);
      const rows = await suite.server().siyu.db.selectFrom('api_keys').select('id').where('name', '=', 'no scope').execute();
      assert.equal(rows.length, 0);
    });
  });

  it('lists audit entries newest first, loads more pages and filters by action', async () => {
    const { siyu } = suite.server();
    const ctx = systemContext(workspaceId, 'test');
    for (let i = 0; i < 24; i++) {
      const { apiKey } = await siyu.access.apiKeys.create(ctx, { name: `batch-${i}`, scopes: ['events.write'] });
      if (i === 0) await siyu.access.apiKeys.revoke(ctx, apiKey.id);
    }
    const countEntries = async (action?: string) => {
      let q = siyu.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('workspace_id', '=', workspaceId);
      if (action) q = q.where('action', '=', action);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };

    await suite.withPage('audit', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/audit');
      const actions = page.getByTestId('audit-action');
      await expectText(actions.first(), '创建 API 密钥');
      assert.equal(await actions.count(), 20);
      // Newest first: the last key created heads the list.
      await expectText(page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first(), 'batch-23');
      await page.getByTestId('audit-load-more').click();
      await page.getByTestId('audit-end').waitFor();
      const total = await countEntries();
      assert.ok(total > 20 && total <= 40, `expected two pages of entries, found ${total}`);
      assert.equal(await actions.count(), total);

      await page.getByTestId('audit-filter').locator('input').fill('api_key.revoke');
      await page.getByTestId('audit-filter').locator('input').press('Enter');
      await expectText(actions.first(), '吊销 API 密钥');
      const revokes = await countEntries('api_key.revoke');
      await eventually(async () => assert.equal(await actions.count(), revokes));
      for (const text of await actions.allInnerTexts()) assert.match(text, /api_key\.revoke/);
      assert.equal(await page.getByTestId('audit-load-more').count(), 0);
    });
  });
});
