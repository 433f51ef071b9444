import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, newPage, signInThroughUi } from './harness.ts';

/** The browser's getComputedStyle (tests type-check without the DOM library). */
type StyleWindow = { getComputedStyle(el: unknown): { getPropertyValue(name: string): string } };

/** The slow motion duration the console's components use (antd's CSS variable) on an element. */
const motionDuration = (locator: Locator) =>
  locator.evaluate((el) => (globalThis as unknown as StyleWindow).getComputedStyle(el).getPropertyValue('--ant-motion-duration-slow').trim());

/** The motion durations the console's components use, and the classes of the dialog right after it opened. */
async function openDialogAndLook(page: Page): Promise<{ duration: string; classes: string }> {
  await page.getByTestId('create-api-key').click();
  const classes = await page.locator('.ant-modal').first().evaluate((el) => el.className);
  const duration = await motionDuration(page.getByTestId('create-api-key'));
  await page.getByTestId('api-key-name').waitFor();
  return { duration, classes };
}

describeBrowser('console motion follows the system setting', (suite) => {
  let owner: TestUser;

  before(async () => {
    owner = (await seedWorkspace(suite.server().siyu, ['owner'])).users.owner;
  });

  it('opens dialogs without animation for people who asked for reduced motion, with it for everyone else', async () => {
    // The suite's pages ask for reduced motion (harness.ts).
    await suite.withPage('motion-reduced', async (page) => {
      await signInThroughUi(page, owner.email, undefined, '/settings/api-keys');
      const still = await openDialogAndLook(page);
      assert.equal(still.duration, '0s');
      assert.doesNotMatch(still.classes, /zoom/, 'no entering animation on the dialog');
    });
    const { context, page } = await newPage(suite.browser(), suite.server().baseUrl);
    try {
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await signInThroughUi(page, owner.email, undefined, '/settings/api-keys');
      const moving = await openDialogAndLook(page);
      assert.notEqual(moving.duration, '0s');
      assert.match(moving.duration, /s$/);
      // Switching the setting takes effect without a reload.
      await page.keyboard.press('Escape');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await eventually(async () => assert.equal(await motionDuration(page.getByTestId('create-api-key')), '0s'));
    } finally {
      await context.close();
    }
  });
});
