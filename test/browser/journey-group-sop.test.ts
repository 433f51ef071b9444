/**
 * A group SOP playbook enabled in one action from the console: without groups it is refused
 * with the reason and nothing is saved; with two group ids typed in, it is created live with
 * those groups as its audience. English labels of the groups field.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console journeys: a group SOP from a playbook', (suite) => {
  let workspaceId: string;
  let owner: TestUser;

  before(async () => {
    const seeded = await seedWorkspace(suite.server().siyu, ['owner']);
    workspaceId = seeded.workspaceId;
    owner = seeded.users.owner;
  });

  const journeys = () =>
    suite.server().siyu.db.selectFrom('journeys').select(['id', 'status', 'playbook', 'live_version']).where('workspace_id', '=', workspaceId).execute();

  async function openPlaybook(page: Page): Promise<void> {
    await page.getByTestId('journeys-tab-playbooks').click();
    await page.getByTestId('playbook-use-sop_morning_evening').click();
  }

  it('refuses to go live without groups, then goes live with the groups typed in', async () => {
    await suite.withPage('journey-group-sop', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/journeys');
      await openPlaybook(page);
      await page.getByTestId('playbook-activate').click();
      await page.getByTestId('playbook-submit').click();
      await expectText(page.getByTestId('playbook-refused'), '请填写要发布的社群');
      assert.deepEqual(await journeys(), [], 'a refused playbook saves nothing');

      const groups = page.getByTestId('playbook-groups');
      await groups.click();
      await page.keyboard.type('wrOgQhDgAA1');
      await page.keyboard.press('Enter');
      await page.keyboard.type('wrOgQhDgAA2');
      await page.keyboard.press('Enter');
      await expectText(groups, 'wrOgQhDgAA2');
      await page.getByTestId('playbook-submit').click();
      await page.waitForURL(/\/journeys\/[0-9a-f-]{36}\/edit$/);
      await expectText(page.getByTestId('journey-status'), '运行中');

      const [row] = await journeys();
      assert.deepEqual([row?.status, row?.playbook], ['active', 'sop_morning_evening']);
      const version = await suite.server().siyu.db.selectFrom('journey_versions').select('definition').where('workspace_id', '=', workspaceId).where('journey_id', '=', row!.id).where('version', '=', row!.live_version!).executeTakeFirstOrThrow();
      const trigger = (version.definition as { trigger: { audience: { type: string; groupIds: string[] } } }).trigger;
      assert.deepEqual(trigger.audience, { type: 'groups', groupIds: ['wrOgQhDgAA1', 'wrOgQhDgAA2'] });
    });
  });

  it('labels the groups field in English', async () => {
    await suite.withPage('journey-group-sop-en', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/journeys');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('journeys-tab-playbooks'), 'Playbooks');
      await openPlaybook(page);
      await expectText(page.getByTestId('playbook-groups').locator('xpath=..'), 'Groups to post to');
    });
  });
});
