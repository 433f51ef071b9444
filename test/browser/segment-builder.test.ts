/**
 * The segment builder in the console: a rule of two conditions with its live count, a bad
 * rule's problem shown at its node, saving, the detail page (members, history in the
 * workspace time zone, tag all members, pause), what a viewer may not do, and English labels.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { systemContext } from '../../src/platform/http/context.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

/** Picks the option whose whole text is `label` (typed first, for selects that search). */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(label);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${label}$`) }).click();
}

/** Waits for the live count to answer the rule as it is now, and returns what it shows. */
async function settledCount(page: Page): Promise<string> {
  await page.locator('[data-testid="live-preview"][data-pending="false"]').waitFor();
  return (await page.getByTestId('live-count').innerText()).trim();
}

const TIME_ZONE = 'America/New_York';

describeBrowser('console segment builder', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let segmentId: string;
  /** Names of the customers in Shanghai with at least two orders. */
  let expected: string[];

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    // A zone that is neither the browser's nor the default, so times must be converted to it.
    await sql`update workspaces set time_zone = ${TIME_ZONE} where id = ${workspaceId}`.execute(siyu.db);
    const ctx = systemContext(workspaceId, 'test');
    const names = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄敏'];
    const events = names.map((name, p) => ({
      id: `join-${p}`,
      type: 'checkin',
      occurredAt: new Date(Date.now() - (p + 1) * 86_400_000).toISOString(),
      identities: [{ type: 'wechat_unionid', value: `u-${p}` }],
      profile: { name, city: p % 2 === 0 ? '上海' : '杭州' },
    }));
    const r = await siyu.events.ingestEvents(ctx, events);
    assert.equal(r.accepted, names.length);
    const orders = [];
    for (let p = 0; p < names.length; p++) {
      for (let k = 0; k <= p % 3; k++) {
        const at = new Date(Date.now() - (p * 5 + k + 1) * 86_400_000).toISOString();
        orders.push({ platform: 'taobao', orderNo: `B${p}-${k}`, status: 'completed', statusAt: at, orderedAt: at, paidAt: at, totalFen: 10_000, identities: [{ type: 'wechat_unionid', value: `u-${p}` }] });
      }
    }
    assert.equal((await siyu.orders.upsertOrders(ctx, orders)).rejected, 0);
    // What the worker does after every change (no worker runs in these tests).
    await siyu.segments.membership.reconcile(workspaceId);
    const truth = await sql<{ name: string }>`
      select c.name from customers c join customer_stats s on s.workspace_id = c.workspace_id and s.customer_id = c.id
      where c.workspace_id = ${workspaceId} and c.merged_into is null and c.city = '上海' and s.paid_order_count >= 2 order by c.name`.execute(siyu.db);
    expected = truth.rows.map((x) => x.name);
    assert.equal(expected.length, 2, 'the data has two customers in Shanghai with two orders or more');
  });

  it('builds a rule of two conditions, shows the live count, marks a bad node, and saves it', async () => {
    await suite.withPage('segment-build', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments');
      await expectText(page.getByTestId('segment-list'), '还没有人群');
      await page.getByTestId('segment-create').click();

      // The first condition: at least two paid orders (all eight customers have one or more).
      await expectText(page.getByTestId('cond-type-children.0'), '订单统计');
      assert.equal(await settledCount(page), '8');
      await page.getByTestId('cond-value-children.0').locator('input').fill('2');
      assert.equal(await settledCount(page), '5');

      // The second: city is Shanghai; an empty city is refused by the server, next to that condition.
      await page.getByTestId('add-condition-root').click();
      await choose(page, 'cond-type-children.1', '城市');
      await expectText(page.getByTestId('problem-children.1'), '值');
      await page.getByTestId('preview-invalid').waitFor();
      await page.getByTestId('cond-value-children.1').locator('input').fill('上海');
      assert.equal(await settledCount(page), String(expected.length));
      for (const name of expected) await expectText(page.getByTestId('preview-sample'), name);
      await expectHidden(page.getByTestId('problem-children.1'));

      // A range that ends before it starts: the problem is shown at the third condition only.
      await page.getByTestId('add-condition-root').click();
      await choose(page, 'cond-op-children.2', '介于');
      await page.getByTestId('cond-value-children.2').locator('input').first().fill('5');
      await expectText(page.getByTestId('problem-children.2'), /值：/);
      assert.equal(await settledCount(page), '—');
      assert.equal(await page.getByTestId('problem-children.0').count(), 0);
      assert.equal(await page.getByTestId('problem-children.1').count(), 0);
      await page.getByTestId('remove-children.2').click();
      assert.equal(await settledCount(page), String(expected.length));

      await page.getByTestId('segment-name').fill('上海复购');
      await page.getByTestId('segment-save').click();
      await page.getByTestId('segment-detail').waitFor();
      await expectText(page.getByTestId('segment-title'), '上海复购');
      const row = await suite.server().siyu.db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', '上海复购').executeTakeFirstOrThrow();
      segmentId = row.id;
      assert.deepEqual(row.rule, {
        type: 'and',
        children: [
          { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 2 },
          { type: 'city', op: 'eq', value: '上海' },
        ],
      });
      assert.match(page.url(), new RegExp(`/segments/${segmentId}$`));
    });
  });

  it('shows the members, their entries in the workspace time zone, tags them all, and pauses', async () => {
    const { siyu } = suite.server();
    const ctx = systemContext(workspaceId, 'test');
    await siyu.segments.membership.evaluateSegment(workspaceId, segmentId, 'rule');
    const group = await siyu.tags.catalog.createGroup(ctx, { name: '人群运营', kind: 'static' });
    const tag = await siyu.tags.catalog.createTag(ctx, { groupId: group.id, name: '上海复购客' });
    const history = await siyu.db.selectFrom('segment_membership_history').select(['customer_id', 'at']).where('workspace_id', '=', workspaceId).where('segment_id', '=', segmentId).execute();
    assert.equal(history.length, expected.length);
    const local = (at: Date) => {
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
          .formatToParts(at)
          .map((x) => [x.type, x.value]),
      );
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    };

    await suite.withPage('segment-detail', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, `/segments/${segmentId}`);
      await expectText(page.getByTestId('segment-member-count'), String(expected.length));
      const members = page.getByTestId('segment-members');
      for (const name of expected) await expectText(members, name);
      assert.equal(await members.locator('[data-testid^="customer-row-"]').count(), expected.length);

      await page.getByTestId('segment-tab-history').click();
      for (const h of history) {
        await expectText(page.getByTestId(`history-row-${h.customer_id}-entered`), local(new Date(h.at)));
      }

      await page.getByTestId('segment-tag-all').click();
      await choose(page, 'tag-all-tag', '上海复购客');
      await page.getByTestId('tag-all-submit').click();
      await eventually(async () => {
        const held = await siyu.db.selectFrom('customer_tags').select('customer_id').where('workspace_id', '=', workspaceId).where('tag_id', '=', tag.id).execute();
        assert.deepEqual(held.map((x) => Number(x.customer_id)).sort(), history.map((h) => Number(h.customer_id)).sort());
      });

      await page.getByTestId('segment-toggle-status').click();
      await expectText(page.getByTestId(`segment-status-${segmentId}`), '已暂停');
      await eventually(async () => {
        const s = await siyu.db.selectFrom('segments').select('status').where('id', '=', segmentId).executeTakeFirstOrThrow();
        assert.equal(s.status, 'paused');
      });
      await expectText(page.getByTestId('segment-toggle-status'), '恢复');

      // Editing keeps the rule and changes what was changed.
      await page.getByTestId('segment-edit').click();
      await expectText(page.getByTestId('cond-type-children.1'), '城市');
      assert.equal(await settledCount(page), String(expected.length));
      await page.getByTestId('add-condition-root').click();
      await choose(page, 'cond-type-children.2', '行为事件');
      await page.getByTestId('cond-where-children.2-add').click();
      await page.getByTestId('remove-children.2').click();
      await page.getByTestId('segment-name').fill('上海复购客户');
      await page.getByTestId('segment-save').click();
      await expectText(page.getByTestId('segment-title'), '上海复购客户');
      const edited = await siyu.db.selectFrom('segments').select(['name', 'rule', 'status']).where('id', '=', segmentId).executeTakeFirstOrThrow();
      assert.equal(edited.name, '上海复购客户');
      assert.equal((edited.rule as { children: unknown[] }).children.length, 2);
      assert.equal(edited.status, 'paused');

      // A member links to the customer's profile.
      await page.getByTestId('segment-tab-members').click();
      const first = history[0]!;
      await page.getByTestId('segment-members').getByTestId(`customer-link-${first.customer_id}`).click();
      await page.waitForURL(new RegExp(`/customers/${first.customer_id}$`));
    });
  });

  it('lets a viewer read segments but not create or change them, in English too', async () => {
    await suite.withPage('segment-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments');
      await expectText(page.getByTestId(`segment-count-上海复购客户`), String(expected.length));
      assert.equal(await page.getByTestId('segment-create').count(), 0);
      await page.getByTestId('segment-link-上海复购客户').click();
      await expectText(page.getByTestId('segment-member-count'), String(expected.length));
      for (const action of ['segment-edit', 'segment-toggle-status', 'segment-delete', 'segment-tag-all', 'segment-export']) {
        assert.equal(await page.getByTestId(action).count(), 0, `${action} is hidden from a viewer`);
      }
      // The rule is shown, read-only.
      assert.equal(await page.getByTestId('add-condition-root').count(), 0);
      await expectText(page.getByTestId('cond-type-children.1'), '城市');

      await page.goto(`/segments/${segmentId}/edit`);
      await page.getByTestId('segment-list').waitFor();
      assert.match(page.url(), /\/segments$/);

      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('segments-tab-list'), 'Segments');
      await expectText(page.getByTestId('segment-list'), 'Saved segments');
      await expectText(page.getByTestId('segment-status-' + segmentId), 'Paused');
      await page.getByTestId('segment-link-上海复购客户').click();
      await expectText(page.getByTestId('cond-type-children.1'), 'City');
      await expectText(page.getByTestId('cond-op-children.0'), 'at least');
    });
  });
});
