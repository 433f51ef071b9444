/**
 * Tagging customers in the console: by hand on a profile (who and when, the timeline entry,
 * removal), in bulk for customers selected in the list (checked in the database), rule tags
 * shown as kept by their rule, what a viewer sees, and English labels.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/access/index.ts';
import { systemContext } from '../../src/platform/http/context.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

describeBrowser('console customer tagging', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  const tags: Record<string, string> = {};
  const ids: Record<string, number> = {};

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    const ctx = systemContext(workspaceId, 'test');
    const group = await siyu.tags.catalog.createGroup(ctx, { name: '人群', kind: 'static' });
    for (const name of ['孕期关注', '健身需求', '618活动', '已购']) tags[name] = (await siyu.tags.catalog.createTag(ctx, { groupId: group.id, name })).id;
    const people: [string, string][] = [['wang', '王芳'], ['li', '李娜'], ['zhao', '赵敏'], ['sun', '孙悦'], ['zhou', '周婷']];
    for (const [key, name] of people) {
      const r = await siyu.events.ingestEvents(ctx, [
        { id: `tc-${key}`, type: 'checkin', occurredAt: new Date().toISOString(), identities: [{ type: 'wechat_unionid', value: `u-tc-${key}` }], profile: { name } },
      ]);
      const first = r.results[0]!;
      ids[key] = first.status === 'accepted' ? first.customerId! : assert.fail(`${key} not accepted`);
    }
    // 孙悦 already holds 618活动; 周婷 holds 已购 through a rule.
    await siyu.tags.tagCustomers(ctx, tags['618活动']!, [ids.sun!]);
    await siyu.tags.rules.create(ctx, { name: '签到即已购', tagId: tags['已购']!, definition: { match: 'all', conditions: [{ type: 'event', eventType: 'checkin', filters: [], minCount: 1, windowDays: null }] }, enabled: true });
    await siyu.tags.rules.evaluateCustomers(workspaceId, [ids.zhou!]);
  });

  const holders = async (tagId: string) =>
    (await suite.server().siyu.db.selectFrom('customer_tags').select(['customer_id', 'source', 'added_by']).where('workspace_id', '=', workspaceId).where('tag_id', '=', tagId).orderBy('customer_id').execute()).map((r) => ({
      id: Number(r.customer_id),
      source: r.source,
      by: r.added_by,
    }));

  async function pickTag(page: Page, testId: string, name: string) {
    await page.getByTestId(testId).click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name }).first().click();
  }

  it('adds a tag to one customer by hand, with who and when, on the timeline, and removes it', async () => {
    await suite.withPage('tag-profile', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, `/customers/${ids.wang}`);
      const card = page.getByTestId('customer-tags-card');
      await expectText(card, '还没有标签');
      await pickTag(page, 'customer-tag-select', '孕期关注');
      await page.getByTestId('customer-tag-add').click();
      const item = page.getByTestId('customer-tag-孕期关注');
      await expectText(item, '手动');
      await expectText(item, `由 ${users.operator.email}`);
      const [stored] = await eventually(async () => {
        const rows = await holders(tags['孕期关注']!);
        assert.equal(rows.length, 1);
        return rows;
      });
      assert.deepEqual(stored, { id: ids.wang, source: 'manual', by: users.operator.email });
      const timeline = page.getByTestId('timeline-card');
      await expectText(timeline.getByTestId('timeline-tag'), '添加标签「孕期关注」');
      await expectText(timeline.getByTestId('timeline-tag'), '来源：手动');

      await page.getByTestId('customer-tag-remove-孕期关注').click();
      await page.getByTestId('confirm-remove-customer-tag').click();
      await expectHidden(page.getByTestId('customer-tag-孕期关注'));
      await expectText(card, '还没有标签');
      await eventually(async () => assert.deepEqual(await holders(tags['孕期关注']!), []));
      await expectText(timeline.getByTestId('timeline-tag'), '移除标签「孕期关注」');
      const entries = await timeline.getByTestId('timeline-tag').allInnerTexts();
      assert.equal(entries.length, 2, entries.join(' | '));
      const events = await suite.server().siyu.db.selectFrom('events').select('type').where('workspace_id', '=', workspaceId).where('customer_id', '=', ids.wang!).where('type', 'like', 'tag.%').orderBy('id').execute();
      assert.deepEqual(events.map((e) => e.type), ['tag.added', 'tag.removed']);
    });
  });

  it('shows a rule tag as kept by its rule, without a remove button', async () => {
    await suite.withPage('tag-profile-rule', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, `/customers/${ids.zhou}`);
      const item = page.getByTestId('customer-tag-已购');
      await expectText(item, '规则：签到即已购');
      await page.getByTestId('customer-tag-locked-已购').waitFor();
      assert.equal(await page.getByTestId('customer-tag-remove-已购').count(), 0);
      await expectText(page.getByTestId('timeline-tag'), '来源：规则');
    });
  });

  it('tags three customers selected in the list at once and says how many changed', async () => {
    await suite.withPage('tag-bulk', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/customers');
      await expectText(page.getByTestId('customer-table'), '周婷');
      assert.equal(await page.getByTestId('bulk-tag-bar').count(), 0, 'no bar before a selection');
      for (const key of ['li', 'zhao', 'sun']) {
        await page.getByTestId(`customer-row-${ids[key]}`).locator('.ant-checkbox-input').check();
      }
      assert.match(page.url(), /\/customers$/, 'selecting does not open a profile');
      await expectText(page.getByTestId('bulk-selected-count'), '已选择 3 位客户');
      await pickTag(page, 'bulk-tag-select', '618活动');
      await page.getByTestId('bulk-tag-add').click();
      await expectText(page.getByTestId('bulk-tag-result'), '已为 2 位客户添加标签「618活动」，1 位已有该标签');
      const rows = await eventually(async () => {
        const r = await holders(tags['618活动']!);
        assert.equal(r.length, 3);
        return r;
      });
      assert.deepEqual(rows.map((r) => r.id), [ids.li, ids.zhao, ids.sun].sort((a, b) => a! - b!));
      assert.ok(rows.every((r) => r.source === 'manual'));

      // And take it away from the same three.
      await page.getByTestId('bulk-tag-remove').click();
      await page.getByTestId('confirm-bulk-remove').click();
      await expectText(page.getByTestId('bulk-tag-result'), '已从 3 位客户移除标签「618活动」');
      await eventually(async () => assert.deepEqual(await holders(tags['618活动']!), []));
      await page.getByTestId('bulk-clear').click();
      await expectHidden(page.getByTestId('bulk-tag-bar'));
    });
  });

  it('shows a viewer the tags without any way to change them', async () => {
    await suite.server().siyu.tags.tagging.addToCustomer(systemContext(workspaceId, 'test'), ids.li!, tags['健身需求']!);
    await suite.withPage('tag-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/customers');
      await expectText(page.getByTestId('customer-table'), '李娜');
      assert.equal(await page.locator('.ant-table-selection-column').count(), 0, 'no selection column');
      assert.equal(await page.getByTestId('bulk-tag-bar').count(), 0);
      await page.getByTestId(`customer-row-${ids.li}`).click();
      await expectText(page.getByTestId('customer-tag-健身需求'), '健身需求');
      for (const id of ['customer-tag-select', 'customer-tag-add', 'customer-tag-remove-健身需求']) {
        assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown to a viewer`);
      }
    });
  });

  it('shows the tags card and tag events in English', async () => {
    await suite.withPage('tag-english', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, `/customers/${ids.zhou}`);
      await expectText(page.getByTestId('customer-tags-card'), '标签');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('customer-tags-card'), 'Tags');
      await expectText(page.getByTestId('customer-tag-已购'), 'Rule: 签到即已购');
      await expectText(page.getByTestId('timeline-tag'), 'Tag "已购" added');
      await expectText(page.getByTestId('timeline-tag'), 'Source: Rule');
    });
  });
});
