/**
 * The customers console: list and search, the profile (identities, aggregates, timeline,
 * notes, inline edits), manual merge and undo, merge review, English labels, and what a
 * viewer may not do. Data goes in through the events and orders API, as integrations send it.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, signIn, type Client, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

const unionid = (value: string) => ({ type: 'wechat_unionid', value });
const mobile = (value: string) => ({ type: 'mobile', value, verified: true });

describeBrowser('console customers', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let owner: Client;
  const ids: Record<string, number> = {};

  async function send(events: object[]) {
    const res = await owner.post('/api/v1/events', { events });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { results: { status: string; customerId: number }[] };
    for (const r of body.results) assert.equal(r.status, 'accepted', res.body);
    assert.ok(body.results.length > 0);
    return body.results.map((r) => r.customerId) as [number, ...number[]];
  }

  async function putOrder(orderNo: string, body: object) {
    const res = await owner.put(`/api/v1/orders/taobao/${orderNo}`, body);
    assert.ok([200, 201].includes(res.statusCode), res.body);
  }

  before(async () => {
    const { app, siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    owner = await signIn(app, users.owner.email, workspaceId);
    const at = (day: number, hour = 10) => `2025-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
    [ids.wang] = await send([
      {
        id: 'wang-1',
        type: 'wecom.friend_added',
        occurredAt: at(1),
        identities: [unionid('u-wang'), mobile('13812345678')],
        profile: { name: '王芳', nickname: '芳芳', city: '上海', sourceChannel: 'ecom_package_card' },
      },
    ]);
    await send([{ id: 'wang-2', type: 'product.viewed', occurredAt: at(2), identities: [unionid('u-wang')], properties: { productId: 'P1', name: '玻尿酸精华液' } }]);
    await putOrder('T1001', {
      status: 'paid',
      statusAt: at(3),
      orderedAt: at(3),
      paidAt: at(3),
      totalFen: 19900,
      items: [{ name: '玻尿酸精华液 30ml', quantity: 1, unitPriceFen: 19900, amountFen: 19900 }],
      identities: [mobile('13812345678')],
    });
    [ids.li] = await send([{ id: 'li-1', type: 'checkin', occurredAt: at(4), identities: [unionid('u-li'), mobile('13900001111')], profile: { name: '李娜' } }]);
    [ids.zhao] = await send([{ id: 'zhao-1', type: 'checkin', occurredAt: at(5), identities: [unionid('u-zhao')], profile: { name: '赵敏' } }]);
    // Two customers with different unionids both claim one event: a strong conflict for review.
    [ids.sun] = await send([{ id: 'sun-1', type: 'checkin', occurredAt: at(6), identities: [unionid('u-sun-a')], profile: { name: '孙悦' } }]);
    [ids.sun2] = await send([{ id: 'sun-2', type: 'checkin', occurredAt: at(6, 11), identities: [unionid('u-sun-b')], profile: { name: '孙月' } }]);
    await send([{ id: 'sun-3', type: 'checkin', occurredAt: at(6, 12), identities: [unionid('u-sun-a'), unionid('u-sun-b')] }]);
  });

  const openCustomers = (page: Page, email: string, path = '/customers') => signInThroughUi(page, email, undefined, path);

  it('searches by name and by a masked phone, opens the profile with identities, aggregates and timeline', async () => {
    await suite.withPage('customers-search-profile', async (page) => {
      await openCustomers(page, users.owner.email);
      const table = page.getByTestId('customer-table');
      await expectText(table, '李娜');

      const search = page.getByTestId('customer-search').locator('input');
      await search.fill('王芳');
      await search.press('Enter');
      await expectHidden(table.getByText('李娜'));
      await expectText(table, '王芳');

      await search.fill('138****5678');
      await search.press('Enter');
      await expectText(table, '王芳');
      assert.equal(await table.getByText('李娜').count(), 0);
      const row = page.getByTestId(`customer-row-${ids.wang}`);
      await expectText(row, '¥199.00');
      await expectText(row, '包裹卡');
      await row.click();

      await page.getByTestId('customer-profile').waitFor();
      assert.match(page.url(), new RegExp(`/customers/${ids.wang}$`));
      await expectText(page.getByTestId('profile-name'), '王芳');
      const identities = page.getByTestId('identities-card');
      await expectText(identities, '微信 UnionID');
      await expectText(identities, 'u-wang');
      await expectText(identities, '手机号');
      await expectText(page.getByTestId('stat-paidAmount'), '¥199.00');
      await expectText(page.getByTestId('stat-paidOrders'), '1');
      await expectText(page.getByTestId('stats-windows'), '近 30 天');
      const timeline = page.getByTestId('timeline-card');
      await expectText(timeline, '订单付款');
      await expectText(timeline, '¥199.00');
      await expectText(timeline, '浏览商品');
      await expectText(timeline, '添加企业微信好友');
      // Grouped by day in the workspace time zone (Asia/Shanghai).
      await expectText(page.getByTestId('timeline-day-label'), '2025-05-03');
    });
  });

  it('adds a note that appears on the timeline, and edits a profile field in place', async () => {
    await suite.withPage('customers-note', async (page) => {
      await openCustomers(page, users.operator.email, `/customers/${ids.li}`);
      await page.getByTestId('note-input').fill('喜欢清爽型产品，下周回访');
      await page.getByTestId('note-add').click();
      await expectText(page.getByTestId('timeline-note'), '喜欢清爽型产品，下周回访');

      await page.getByTestId('field-city-edit').click();
      await page.getByTestId('field-city-input').fill('杭州');
      await page.getByTestId('field-city-save').click();
      await expectText(page.getByTestId('field-city-value'), '杭州');
      const stored = await eventually(async () => {
        const row = await suite.server().siyu.db.selectFrom('customers').select('city').where('workspace_id', '=', workspaceId).where('id', '=', ids.li!).executeTakeFirstOrThrow();
        assert.equal(row.city, '杭州');
        return row;
      });
      assert.equal(stored.city, '杭州');
    });
  });

  it('merges two customers manually and undoes the merge', async () => {
    await suite.withPage('customers-merge', async (page) => {
      await openCustomers(page, users.operator.email, `/customers/${ids.li}`);
      await page.getByTestId('merge-open').click();
      await page.getByTestId('merge-search').click();
      await page.keyboard.type('赵敏');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '赵敏' }).click();
      await expectText(page.getByTestId('merge-picked'), `#${ids.zhao}`);
      await page.getByTestId('merge-confirm').click();
      await expectText(page.getByTestId('merge-result'), '已合并');
      const merged = async () =>
        (await suite.server().siyu.db.selectFrom('customers').select('merged_into').where('workspace_id', '=', workspaceId).where('id', '=', ids.zhao!).executeTakeFirstOrThrow()).merged_into;
      assert.equal(await merged(), ids.li);
      await page.getByTestId('merge-done').click();

      // The profile now holds the merged customer's identity, and the merge is in the history.
      await expectText(page.getByTestId('identities-card'), 'u-zhao');
      const history = page.getByTestId('merge-history');
      await expectText(history, '手动合并');
      await history.getByRole('button', { name: /撤销合并/ }).click();
      await page.locator('.ant-popover:visible').getByRole('button', { name: /撤销合并/ }).click();
      await expectText(page.locator('.ant-message'), '已撤销合并');
      await eventually(async () => assert.equal(await merged(), null));
      await expectText(history, '已撤销');
      await expectHidden(page.getByTestId('identities-card').getByText('u-zhao'));
    });
  });

  it('resolves a merge review by merging the two customers', async () => {
    await suite.withPage('customers-review', async (page) => {
      await openCustomers(page, users.operator.email, '/customers/reviews');
      const card = page.locator('[data-testid^="review-"]', { hasText: '孙悦' }).first();
      await expectText(card, '强身份冲突');
      await expectText(card.getByTestId('review-reason'), '不同强身份');
      await expectText(card.getByTestId(`review-side-${ids.sun}`), 'u-sun-a');
      await expectText(card.getByTestId(`review-side-${ids.sun2}`), 'u-sun-b');
      await card.getByTestId('review-merge').click();
      await page.locator('.ant-popover:visible').getByRole('button', { name: /合\s?并/ }).click();
      await expectText(page.locator('.ant-message'), '已合并');
      await eventually(async () => {
        const row = await suite.server().siyu.db.selectFrom('merge_reviews').select('status').where('workspace_id', '=', workspaceId).where('customer_a', 'in', [ids.sun!, ids.sun2!]).executeTakeFirstOrThrow();
        assert.equal(row.status, 'merged');
      });
      await expectText(page.getByTestId('reviews-empty'), '没有需要处理的审核');
    });
  });

  it('shows the profile labels in English after switching the language', async () => {
    await suite.withPage('customers-english', async (page) => {
      await openCustomers(page, users.owner.email, `/customers/${ids.wang}`);
      await expectText(page.getByTestId('stats-card'), '消费与互动');
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('stats-card'), 'Orders and interactions');
      await expectText(page.getByTestId('identities-card'), 'WeChat unionid');
      await expectText(page.getByTestId('identities-card'), 'Mobile phone');
      await expectText(page.getByTestId('timeline-card'), 'Order paid');
      await expectText(page.getByTestId('profile-card'), 'Source channel');
      await expectText(page.getByTestId('customers-tab-reviews'), 'Merge review');
    });
  });

  it('a viewer sees masked phones and no edit, note, consent or merge actions', async () => {
    await suite.withPage('customers-viewer', async (page) => {
      await openCustomers(page, users.viewer.email);
      await expectText(page.getByTestId(`customer-row-${ids.wang}`), '138****5678');
      await page.getByTestId(`customer-row-${ids.wang}`).click();
      await page.getByTestId('customer-profile').waitFor();
      await expectText(page.getByTestId('timeline-card'), '订单付款');
      await expectText(page.getByTestId('field-mobile'), '138****5678');
      for (const id of ['merge-open', 'note-input', 'field-name-edit', 'field-city-edit', 'consent-granted', 'consent-denied']) {
        assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown to a viewer`);
      }
      assert.equal(await page.getByTestId('customers-tab-imports').count(), 0, 'imports need imports.run');
      await page.getByTestId('customers-tab-reviews').click();
      await page.getByTestId('merge-reviews').waitFor();
      await page.getByTestId('review-status').getByText('已合并').click();
      await expectText(page.locator('[data-testid^="review-"]'), '孙');
      assert.equal(await page.getByTestId('review-merge').count(), 0);
      assert.equal(await page.getByTestId('review-dismiss').count(), 0);
    });
  });
});
