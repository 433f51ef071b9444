import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemContext } from '../../src/platform/http/context.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console tag manager', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;

  before(async () => {
    const seeded = await seedWorkspace(suite.server().siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
  });

  const tagRow = (name: string) =>
    suite.server().siyu.db.selectFrom('tags').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();

  it('creates a tag group and a tag in it, shows how many customers hold it, and deletes it', async () => {
    await suite.withPage('tags', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/tags');
      await page.getByTestId('tags-empty').waitFor();
      await page.getByTestId('create-tag-group').click();
      await page.getByTestId('tag-form-name').fill('肤质');
      await page.getByTestId('tag-form-submit').click();
      const group = page.getByTestId('tag-group-肤质');
      await expectText(group, '静态标签');

      await page.getByTestId('create-tag-in-肤质').click();
      await page.getByTestId('tag-form-name').fill('干皮');
      await page.getByTestId('tag-form-submit').click();
      await expectText(page.getByTestId('tag-count-干皮'), '0');
      const tag = await tagRow('干皮');
      assert.ok(tag, 'the tag is stored');
      assert.equal(tag.kind, 'static');

      // A customer tagged elsewhere (API, rule, bulk) is counted on the next load.
      const ctx = systemContext(workspaceId, 'test');
      const r = await suite.server().siyu.events.ingestEvents(ctx, [
        { id: 'tag-1', type: 'checkin', occurredAt: new Date().toISOString(), identities: [{ type: 'wechat_unionid', value: 'u-tags' }] },
      ]);
      const customerId = r.results[0]!.status === 'accepted' ? r.results[0]!.customerId! : assert.fail('event not accepted');
      await suite.server().siyu.tags.tagCustomers(ctx, tag.id, [customerId]);
      await page.reload();
      await expectText(page.getByTestId('tag-count-干皮'), '1');

      await page.getByTestId('delete-tag-干皮').click();
      await page.getByTestId('confirm-delete-tag').click();
      await expectHidden(page.getByTestId('tag-干皮'));
      await eventually(async () => assert.equal(await tagRow('干皮'), undefined));
    });
  });

  it('refuses an empty name in the form, and shows the page in English', async () => {
    await suite.withPage('tags-en', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/tags');
      await page.getByTestId('create-tag-group').click();
      await page.getByTestId('tag-form-submit').click();
      await expectText(page.locator('.ant-form-item-explain-error'), '请填写名称');
      await page.keyboard.press('Escape');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('create-tag-group'), 'New tag group');
    });
  });

  it('lets a viewer see the tags but not change them', async () => {
    await suite.server().siyu.tags.catalog.createGroup(systemContext(workspaceId, 'test'), { name: '渠道来源', kind: 'static' });
    await suite.withPage('tags-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/tags');
      await page.getByTestId('tag-group-渠道来源').waitFor();
      assert.equal(await page.getByTestId('create-tag-group').count(), 0);
      assert.equal(await page.getByTestId('create-tag-in-渠道来源').count(), 0);
    });
  });
});
