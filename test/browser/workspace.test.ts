import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi, TEST_PASSWORD } from './harness.ts';

describeBrowser('console workspace switching, workspace settings and profile', (suite) => {
  let owner: TestUser;
  let firstWorkspaceId: string;
  let demoWorkspaceId: string;

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner']);
    owner = seeded.users.owner;
    firstWorkspaceId = seeded.workspaceId;
    const demo = await siyu.access.workspaces.createWorkspace(
      { name: '演示品牌', timeZone: 'Asia/Shanghai', locale: 'zh-CN', isDemo: true },
      { userId: owner.id, label: owner.email },
    );
    demoWorkspaceId = demo.id;
  });

  const workspaceRow = (id: string) =>
    suite.server().siyu.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('switches the workspace from the header; the demo brand is named in the chosen language', async () => {
    await suite.withPage('switch-workspace', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/audit');
      const switcher = page.getByTestId('workspace-switcher');
      const firstName = (await workspaceRow(firstWorkspaceId)).name;
      await expectText(switcher, firstName);

      await switcher.click();
      await page.locator('.ant-select-dropdown:visible').getByTestId(`workspace-option-${demoWorkspaceId}`).click();
      await expectText(switcher, '演示品牌');
      // The audit log now shows the demo workspace's own history.
      await expectText(page.getByTestId('audit-table'), '演示品牌');
      const session = await suite.server().siyu.db.selectFrom('sessions').select('workspace_id').where('user_id', '=', owner.id).execute();
      assert.ok(session.some((s) => s.workspace_id === demoWorkspaceId), 'the session remembers the chosen workspace');

      await page.getByTestId('language-en').click();
      await expectText(switcher, 'Demo brand');
      await page.reload();
      await expectText(page.getByTestId('workspace-switcher'), 'Demo brand');
      // Back to Chinese, which the profile also keeps for the next sign-in.
      await page.getByTestId('language-zh-CN').click();
      await expectText(page.getByTestId('workspace-switcher'), '演示品牌');
      await eventually(async () => {
        const user = await suite.server().siyu.db.selectFrom('users').select('locale').where('id', '=', owner.id).executeTakeFirstOrThrow();
        assert.equal(user.locale, 'zh-CN');
      });
    });
  });

  it('saves the workspace name and time zone', async () => {
    await suite.withPage('workspace-settings', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/workspace');
      // The previous test left this session's workspace as the demo one; use the first.
      const switcher = page.getByTestId('workspace-switcher');
      await switcher.click();
      await page.locator('.ant-select-dropdown:visible').getByTestId(`workspace-option-${firstWorkspaceId}`).click();
      await expectText(page.getByTestId('workspace-panel'), '工作区名称');

      await page.getByTestId('workspace-name').fill('山野咖啡');
      await page.getByTestId('workspace-time-zone').click();
      await page.keyboard.type('Europe/Ber');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="Europe/Berlin"]').click();
      await page.getByTestId('workspace-save').click();
      await expectText(switcher, '山野咖啡');
      await eventually(async () => {
        const row = await workspaceRow(firstWorkspaceId);
        assert.equal(row.name, '山野咖啡');
        assert.equal(row.time_zone, 'Europe/Berlin');
      });
    });
  });

  it('rejects a wrong current password when changing the password, and keeps the session', async () => {
    await suite.withPage('change-password', async (page) => {
      await signInThroughUi(page, owner.email);
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-change-password').click();
      const form = page.getByTestId('change-password-form');
      await form.getByLabel('当前密码').fill('not-my-password');
      await form.getByLabel('新密码', { exact: true }).fill('a-brand-new-password');
      await form.getByLabel('确认新密码').fill('a-brand-new-password');
      await form.getByRole('button', { name: '修改密码' }).click();
      await expectText(form, '当前密码不正确');
      // Still signed in: a wrong current password is not a lost session.
      assert.equal(new URL(page.url()).pathname, '/');

      await form.getByLabel('当前密码').fill(TEST_PASSWORD);
      await form.getByRole('button', { name: '修改密码' }).click();
      await expectText(page.locator('.ant-message'), '密码已修改');
      await expectHidden(form);
    });
    await suite.withPage('sign-in-new-password', async (page) => {
      await signInThroughUi(page, owner.email, 'a-brand-new-password');
      await expectText(page.getByTestId('user-menu'), owner.email.split('@')[0]!);
    });
  });
});
