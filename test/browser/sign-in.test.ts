import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi, TEST_PASSWORD } from './harness.ts';

describeBrowser('console sign-in, language and navigation', (suite) => {
  let owner: TestUser;

  before(async () => {
    const seeded = await seedWorkspace(suite.server().siyu, ['owner']);
    owner = seeded.users.owner;
  });

  it('rejects a wrong password with a message, then signs in with the right one', async () => {
    await suite.withPage('sign-in', async (page) => {
      await page.goto('/settings/members');
      await page.waitForURL(/\/login\?next=%2Fsettings%2Fmembers/);

      await page.getByTestId('login-email').fill(owner.email);
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await expectText(page.getByTestId('login-error'), '邮箱或密码错误');
      assert.match(new URL(page.url()).pathname, /^\/login$/);
      assert.equal(await page.getByTestId('user-menu').count(), 0);

      await page.getByTestId('login-password').fill(TEST_PASSWORD);
      await page.getByTestId('login-submit').click();
      // Back where the user was headed, inside the shell.
      await page.getByTestId('members-panel').waitFor();
      assert.equal(new URL(page.url()).pathname, '/settings/members');
      await expectText(page.getByTestId('user-menu'), owner.email.split('@')[0]!);
    });
  });

  it('switches the language from 中文 to English, keeps it on reload and saves it in the profile', async () => {
    await suite.withPage('language', async (page) => {
      await signInThroughUi(page, owner.email);
      await expectText(page.getByTestId('nav-customers'), '客户');
      await expectText(page.getByTestId('nav-settings'), '设置');

      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('nav-customers'), 'Customers');
      await expectText(page.getByTestId('nav-settings'), 'Settings');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');

      await page.reload();
      await expectText(page.getByTestId('nav-journeys'), 'Journeys');

      const db = suite.server().siyu.db;
      await eventually(async () => {
        const row = await db.selectFrom('users').select('locale').where('id', '=', owner.id).executeTakeFirstOrThrow();
        assert.equal(row.locale, 'en');
      });

      await page.getByTestId('language-zh-CN').click();
      await expectText(page.getByTestId('nav-journeys'), '自动化');
    });
  });

  it('uses the language chosen on the sign-in page', async () => {
    await suite.withPage('login-language', async (page) => {
      await page.goto('/login');
      await expectText(page.getByTestId('login-submit'), /登\s?录/);
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('login-submit'), 'Sign in');
      await page.getByTestId('login-email').fill(owner.email);
      await page.getByTestId('login-password').fill('wrong-password-again');
      await page.getByTestId('login-submit').click();
      await expectText(page.getByTestId('login-error'), 'Email or password is wrong');
    });
  });

  it('shows areas that are not built yet as an honest empty state', async () => {
    await suite.withPage('coming-soon', async (page) => {
      await signInThroughUi(page, owner.email);
      await page.getByTestId('nav-acquisition').click();
      await page.waitForURL(/\/acquisition$/);
      const text = await expectText(page.getByTestId('coming-soon'), '该功能尚未开放');
      assert.match(text, /渠道活码/);
      // Settings is a working area, not an empty state.
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('members-panel').waitFor();
      assert.equal(await page.getByTestId('coming-soon').count(), 0);
    });
  });

  it('sends the user to sign in when the session ends, then back to the page', async () => {
    await suite.withPage('session-expired', async (page) => {
      await signInThroughUi(page, owner.email);
      await suite.server().siyu.db.deleteFrom('sessions').where('user_id', '=', owner.id).execute();

      await page.getByTestId('nav-settings').click();
      await page.waitForURL(/\/login\?next=%2Fsettings%2Fmembers&expired=1$/);
      await expectText(page.getByTestId('login-form').locator('xpath=..'), '登录已过期，请重新登录');

      await page.getByTestId('login-email').fill(owner.email);
      await page.getByTestId('login-password').fill(TEST_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('members-panel').waitFor();
      assert.equal(new URL(page.url()).pathname, '/settings/members');
    });
  });

  it('signs out from the user menu and guards the console afterwards', async () => {
    await suite.withPage('sign-out', async (page) => {
      await signInThroughUi(page, owner.email);
      await page.getByTestId('user-menu').click();
      await page.getByTestId('menu-sign-out').click();
      await page.getByTestId('login-form').waitFor();
      await expectHidden(page.getByTestId('user-menu'));

      await page.goto('/settings/api-keys');
      await page.waitForURL(/\/login\?next=/);
      const cookies = await page.context().cookies();
      assert.equal(cookies.find((c) => c.name === 'siyu_session'), undefined);
    });
  });
});
