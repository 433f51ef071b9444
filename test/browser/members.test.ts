import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console members and roles', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;

  before(async () => {
    const seeded = await seedWorkspace(suite.server().siyu, ['owner', 'viewer', 'analyst']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
  });

  const roleOf = async (userId: string) => {
    const row = await suite
      .server()
      .siyu.db.selectFrom('memberships')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role ?? null;
  };

  it('adds a member and shows the generated password once; the password signs the member in', async () => {
    const email = `new-member-${Date.now()}@test.local`;
    let password = '';
    await suite.withPage('add-member', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/settings/members');
      await page.getByTestId('add-member').click();
      await page.getByTestId('member-email').fill(email);
      await page.getByTestId('member-name').fill('小林');
      await page.getByTestId('add-member-submit').click();

      const secret = page.getByTestId('generated-password');
      await secret.waitFor();
      await expectText(secret, email);
      password = await page.getByTestId('generated-password-value').inputValue();
      assert.ok(password.length >= 10, `generated password too short: ${password}`);
      await page.getByTestId('generated-password-done').click();
      await expectHidden(secret);

      await expectText(page.getByRole('row', { name: new RegExp(email) }), '运营');
      // Shown once: after closing, the password is nowhere on the page.
      assert.ok(!(await page.content()).includes(password), 'the generated password is still in the page');
      assert.equal(await roleOf((await memberId(email))!), 'operator');
    });

    await suite.withPage('new-member-sign-in', async (page) => {
      await signInThroughUi(page, email, password);
      await expectText(page.getByTestId('user-menu'), '小林');
    });
  });

  async function memberId(email: string) {
    const row = await suite.server().siyu.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    return row?.id;
  }

  it('explains a refused add by its error code', async () => {
    await suite.withPage('add-existing-member', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/settings/members');
      await page.getByTestId('add-member').click();
      await page.getByTestId('member-email').fill(users.viewer.email);
      await page.getByTestId('add-member-submit').click();
      await expectText(page.locator('.ant-message'), '该邮箱已经是此工作区的成员');
    });
  });

  it('changes a member role from the list', async () => {
    await suite.withPage('change-role', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/settings/members');
      const row = page.getByRole('row', { name: new RegExp(users.analyst.email) });
      await expectText(row, '分析师');
      // The owner sees the remove action the viewer test expects to be absent.
      assert.equal(await row.getByRole('button', { name: /移\s?除/ }).count(), 1);
      await row.getByRole('combobox').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="运营"]').click();
      await expectText(page.locator('.ant-message'), '角色已更新');
      await eventually(async () => assert.equal(await roleOf(users.analyst.id), 'operator'));
    });
  });

  it('shows the role to permission matrix', async () => {
    await suite.withPage('role-matrix', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/settings/members');
      const matrix = page.getByTestId('role-matrix');
      await expectText(matrix, '管理 API 密钥');
      const header = await matrix.locator('thead').innerText();
      for (const role of ['所有者', '管理员', '运营', '分析师', '只读成员']) assert.ok(header.includes(role), `matrix lacks ${role}`);
    });
  });

  it('a viewer sees the members but no add-member button and no owner-only settings', async () => {
    await suite.withPage('viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/settings/members');
      await expectText(page.getByTestId('members-table'), users.owner.email);
      assert.equal(await page.getByTestId('add-member').count(), 0);
      assert.equal(await page.getByRole('button', { name: /移\s?除/ }).count(), 0);
      assert.equal(await page.getByTestId('settings-tab-api-keys').count(), 0);
      assert.equal(await page.getByTestId('settings-tab-audit').count(), 0);
      // The workspace tab is there, read-only.
      await page.getByTestId('settings-tab-workspace').click();
      await expectText(page.getByTestId('workspace-panel'), '你的角色只能查看工作区设置');
      assert.ok(await page.getByTestId('workspace-name').isDisabled());
      assert.equal(await page.getByTestId('workspace-save').count(), 0);
    });
  });
});
