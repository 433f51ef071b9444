/**
 * The tag rules page: a rule built in the form and previewed (the count is the true number of
 * customers the rule holds for), saved and applied; a bad rule's server error on its field;
 * switching and deleting; what a viewer sees; English labels.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/access/index.ts';
import { systemContext } from '../../src/platform/http/context.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

const DAY_MS = 86_400_000;

describeBrowser('console tag rules', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let bakerTagId: string;
  const ids: Record<string, number> = {};

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    const ctx = systemContext(workspaceId, 'test');
    const group = await siyu.tags.catalog.createGroup(ctx, { name: '兴趣偏好', kind: 'consumption' });
    bakerTagId = (await siyu.tags.catalog.createTag(ctx, { groupId: group.id, name: '烘焙爱好者' })).id;
    await siyu.tags.catalog.createTag(ctx, { groupId: group.id, name: '美妆达人' });
    // Who viewed 烘焙 products how often, and when: three customers hold "≥ 3 in 7 days".
    const plan: [string, string[], number][] = [
      ['a', ['烘焙', '烘焙', '烘焙'], 1],
      ['b', ['烘焙', '烘焙', '烘焙', '烘焙'], 2],
      ['c', ['烘焙', '烘焙', '烘焙', '美妆'], 1],
      ['d', ['烘焙', '烘焙', '美妆'], 1],
      ['e', ['烘焙', '烘焙', '烘焙'], 10],
    ];
    const now = Date.now();
    for (const [who, categories, daysAgo] of plan) {
      const r = await siyu.events.ingestEvents(
        ctx,
        categories.map((category, i) => ({
          id: `view-${who}-${i}`,
          type: 'product.viewed',
          occurredAt: new Date(now - daysAgo * DAY_MS - i * 60_000).toISOString(),
          identities: [{ type: 'wechat_unionid', value: `u-rule-${who}` }],
          properties: { productId: `p-${i}`, category },
        })),
      );
      const first = r.results[0]!;
      ids[who] = first.status === 'accepted' ? first.customerId! : assert.fail(`events of ${who} not accepted`);
    }
  });

  const db = () => suite.server().siyu.db;
  const storedRules = () => db().selectFrom('tag_rules').select(['id', 'name', 'definition', 'is_enabled']).where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
  const ruleHolders = async () =>
    (await db().selectFrom('customer_tags').select('customer_id').where('workspace_id', '=', workspaceId).where('tag_id', '=', bakerTagId).where('source', '=', 'rule').orderBy('customer_id').execute()).map((r) => Number(r.customer_id));

  async function pickTag(page: Page, testId: string, name: string) {
    await page.getByTestId(testId).click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).first().click();
  }

  async function fillBakingCondition(page: Page, eventType: string) {
    await page.getByTestId('condition-0-event-type').fill(eventType);
    await page.getByTestId('condition-0-add-filter').click();
    await page.getByTestId('condition-0-filter-0-property').fill('category');
    await page.getByTestId('condition-0-filter-0-value').fill('烘焙');
    await page.getByTestId('condition-0-min-count').fill('3');
    await page.getByTestId('condition-0-window-days').fill('7');
  }

  it('builds a rule in the form, previews the true count, saves it and shows its holders once applied', async () => {
    await suite.withPage('tag-rules-create', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/tags');
      await page.getByTestId('tags-tab-rules').click();
      await expectText(page.getByTestId('tag-rules-empty'), '还没有自动打标规则');
      assert.match(page.url(), /\/tags\/rules$/);

      await page.getByTestId('create-tag-rule').click();
      await page.getByTestId('rule-form-name').fill('烘焙浏览≥3次/7天');
      await pickTag(page, 'rule-form-tag', '烘焙爱好者');
      await fillBakingCondition(page, 'product.viewed');
      assert.equal(await page.getByTestId('rule-form-submit').isDisabled(), true, 'saving waits for a preview');
      await expectText(page.getByTestId('rule-preview-hint'), '保存前请先预览');

      await page.getByTestId('rule-preview').click();
      await expectText(page.getByTestId('rule-preview-count'), '当前有 3 位客户满足条件，将获得标签「烘焙爱好者」');
      const preview = await suite.server().siyu.tags.rules.preview(systemContext(workspaceId, 'test'), {
        match: 'all',
        conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'eq', value: '烘焙' }], minCount: 3, windowDays: 7 }],
      });
      assert.deepEqual(preview.sample, [ids.a, ids.b, ids.c], 'the three customers seeded to match, and no other');

      // Changing the conditions asks for a new preview.
      await page.getByTestId('condition-0-min-count').fill('4');
      await expectText(page.getByTestId('rule-preview-hint'), '条件已修改');
      assert.equal(await page.getByTestId('rule-form-submit').isDisabled(), true);
      await page.getByTestId('rule-preview').click();
      await expectText(page.getByTestId('rule-preview-count'), '当前有 1 位客户满足条件');
      await page.getByTestId('condition-0-min-count').fill('3');
      await page.getByTestId('rule-preview').click();
      await expectText(page.getByTestId('rule-preview-count'), '当前有 3 位客户');
      await page.getByTestId('rule-form-submit').click();
      await expectHidden(page.getByTestId('rule-form'));

      const [stored] = await eventually(async () => {
        const rows = await storedRules();
        assert.equal(rows.length, 1);
        return rows;
      });
      assert.deepEqual(stored!.definition, {
        match: 'all',
        conditions: [{ type: 'event', eventType: 'product.viewed', filters: [{ property: 'category', op: 'eq', value: '烘焙' }], minCount: 3, windowDays: 7 }],
      });
      assert.equal(stored!.is_enabled, true);
      await expectText(page.getByTestId('rule-summary-烘焙浏览≥3次/7天'), '浏览商品 [category = 烘焙] ≥ 3 次，近 7 天');
      await expectText(page.getByTestId('rule-applying-烘焙浏览≥3次/7天'), '应用中');

      // What the worker does with the queued apply job; the page refreshes while applying.
      await suite.server().siyu.tags.rules.applyAll(workspaceId);
      await expectHidden(page.getByTestId('rule-applying-烘焙浏览≥3次/7天'));
      await expectText(page.getByTestId('rule-count-烘焙浏览≥3次/7天'), '3');
      assert.deepEqual(await ruleHolders(), [ids.a, ids.b, ids.c].sort((x, y) => x! - y!));
    });
  });

  it("shows the server's objection to a bad rule on the field it names, and saves nothing", async () => {
    await suite.withPage('tag-rules-bad', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/tags/rules');
      await page.getByTestId('create-tag-rule').click();
      await page.getByTestId('rule-form-name').fill('坏规则');
      await pickTag(page, 'rule-form-tag', '美妆达人');
      await fillBakingCondition(page, 'shop_visited');
      await page.getByTestId('rule-preview').click();
      const eventTypeItem = page.locator('.ant-form-item', { has: page.getByTestId('condition-0-event-type') });
      await expectText(eventTypeItem.locator('.ant-form-item-explain-error'), '未知的事件类型；自定义事件请以 custom. 开头');
      assert.equal(await page.getByTestId('rule-form-submit').isDisabled(), true);

      await page.getByTestId('condition-0-event-type').fill('tag.added');
      await page.getByTestId('rule-preview').click();
      await expectText(eventTypeItem.locator('.ant-form-item-explain-error'), '规则不能监听标签事件');

      // Fixed, it previews and saves.
      await page.getByTestId('condition-0-event-type').fill('custom.shop_visited');
      await page.getByTestId('rule-preview').click();
      await expectText(page.getByTestId('rule-preview-count'), '当前有 0 位客户满足条件');
      await expectHidden(eventTypeItem.locator('.ant-form-item-explain-error'));
      assert.deepEqual((await storedRules()).map((r) => r.name), ['烘焙浏览≥3次/7天'], 'nothing saved while the rule was bad');
      await page.getByTestId('rule-form-submit').click();
      await expectHidden(page.getByTestId('rule-form'));
      await eventually(async () => assert.deepEqual((await storedRules()).map((r) => r.name), ['烘焙浏览≥3次/7天', '坏规则']));
    });
  });

  it('disables a rule (its tags are taken back) and deletes one', async () => {
    await suite.withPage('tag-rules-switch', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/tags/rules');
      await page.getByTestId('rule-enabled-烘焙浏览≥3次/7天').click();
      await expectText(page.getByTestId('rule-status-烘焙浏览≥3次/7天'), '停用');
      await eventually(async () => assert.equal((await storedRules())[0]!.is_enabled, false));
      await suite.server().siyu.tags.rules.applyAll(workspaceId);
      await expectText(page.getByTestId('rule-count-烘焙浏览≥3次/7天'), '0');
      assert.deepEqual(await ruleHolders(), []);

      await page.getByTestId('rule-delete-坏规则').click();
      await page.getByTestId('confirm-delete-rule').click();
      await expectHidden(page.getByTestId('rule-name-坏规则'));
      await eventually(async () => assert.deepEqual((await storedRules()).map((r) => r.name), ['烘焙浏览≥3次/7天']));
    });
  });

  it('shows a viewer the rules without any way to change them, and the page in English', async () => {
    await suite.withPage('tag-rules-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/tags/rules');
      await expectText(page.getByTestId('rule-summary-烘焙浏览≥3次/7天'), '浏览商品 [category = 烘焙] ≥ 3 次，近 7 天');
      await expectText(page.getByTestId('rule-status-烘焙浏览≥3次/7天'), '停用');
      for (const id of ['create-tag-rule', 'rule-enabled-烘焙浏览≥3次/7天', 'rule-edit-烘焙浏览≥3次/7天', 'rule-delete-烘焙浏览≥3次/7天']) {
        assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown to a viewer`);
      }
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('tags-tab-rules'), 'Tag rules');
      await expectText(page.getByTestId('tags-tab-catalog'), 'Tag manager');
      await expectText(page.getByTestId('rule-summary-烘焙浏览≥3次/7天'), 'Viewed a product [category = 烘焙] ≥ 3 times, last 7 days');
      await expectText(page.getByTestId('rule-status-烘焙浏览≥3次/7天'), 'Disabled');
    });
  });

  it('opens a stored rule for editing with its conditions, and saves a new name without a preview', async () => {
    await suite.withPage('tag-rules-edit', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/tags/rules');
      await page.getByTestId('rule-edit-烘焙浏览≥3次/7天').click();
      assert.equal(await page.getByTestId('condition-0-event-type').inputValue(), 'product.viewed');
      assert.equal(await page.getByTestId('condition-0-filter-0-value').inputValue(), '烘焙');
      assert.equal(await page.getByTestId('condition-0-window-days').inputValue(), '7');
      await page.getByTestId('rule-form-name').fill('烘焙兴趣');
      assert.equal(await page.getByTestId('rule-form-submit').isDisabled(), false, 'the conditions did not change');
      await page.getByTestId('rule-form-submit').click();
      await expectText(page.getByTestId('rule-name-烘焙兴趣'), '烘焙兴趣');
      const [row] = await storedRules();
      assert.equal(row!.name, '烘焙兴趣');
      assert.equal((row!.definition as { conditions: { minCount: number }[] }).conditions[0]!.minCount, 3);
    });
  });
});
