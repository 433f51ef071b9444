/**
 * The flow editor's forms for every kind of node: a segment trigger with the segment picker,
 * a branch whose condition is the segment rule editor, an A/B split whose weights are checked
 * on its node, a send with a message template, a task for an advisor, a webhook, and the
 * journey settings (re-entry, an exit condition, the goal); what is saved is what was filled.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, signIn, type TestUser } from '../support/app.ts';
import { describeBrowser, expectHidden, expectText, signInThroughUi } from './harness.ts';

async function choose(page: Page, testId: string, label: string, type = true): Promise<void> {
  await page.getByTestId(testId).click();
  if (type) await page.keyboard.type(label);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${label}$`) }).click();
}

const inputOf = (page: Page, testId: string) => page.getByTestId(testId).locator('xpath=self::input | .//input').first();

describeBrowser('console journey editor forms', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let segmentId: string;
  let templateId: string;

  before(async () => {
    const { siyu, app } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    const owner = await signIn(app, users.owner.email, workspaceId);
    const segment = await owner.post('/api/v1/segments', { name: '高价值客户', rule: { type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 3 } });
    assert.equal(segment.statusCode, 201, segment.body);
    segmentId = segment.json().id;
    const template = await owner.post('/api/v1/message-templates', { name: '关怀模板', channel: 'wecom', body: '{nickname|亲}，好久不见' });
    assert.equal(template.statusCode, 201, template.body);
    templateId = template.json().id;
  });

  it('fills every kind of node and saves exactly what was filled', async () => {
    const { siyu } = suite.server();
    await suite.withPage('journey-forms', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/journeys/new');
      await page.getByTestId('journey-name').fill('高价值流失挽回');

      await page.getByTestId('node-trigger').click();
      await choose(page, 'trigger-type', '进入/离开人群', false);
      // No segment chosen yet: the trigger node says which field is missing.
      await expectText(page.getByTestId('node-issues-trigger'), '人群：');
      await choose(page, 'trigger-segment', '高价值客户');
      await expectHidden(page.getByTestId('node-issues-trigger'));
      await page.getByTestId('trigger-form').getByText('离开人群时').click();
      await expectText(page.getByTestId('node-summary-trigger'), '离开人群「高价值客户」');

      // A branch on the segment rule editor: at least 5 paid orders.
      await page.getByTestId('add-step-branch').click();
      await page.getByTestId('step-form-branch_1').waitFor();
      await expectText(page.getByTestId('cond-type-children.0'), '订单统计');
      await inputOf(page, 'cond-value-children.0').fill('5');

      // "Yes" goes to an A/B split; weights that do not add up to 100 are flagged on the split.
      await page.getByTestId('add-step-split').click();
      await page.getByTestId('step-form-split_1').waitFor();
      await inputOf(page, 'step-variant-weight-0').fill('70');
      await expectText(page.getByTestId('node-issues-split_1'), '分组：各分组权重之和必须为 100%');
      await inputOf(page, 'step-variant-weight-1').fill('30');
      await expectHidden(page.getByTestId('node-issues-split_1'));

      // Variant A sends a template message; variant B hands the customer to an advisor pool.
      await page.getByTestId('add-step-send').click();
      await page.getByTestId('step-form-send_1').waitFor();
      await page.getByTestId('step-mode-template').click();
      await choose(page, 'step-template', '关怀模板');
      await page.getByTestId('step-var-add').click();
      await page.getByTestId('step-var-name-0').fill('coupon');
      await page.getByTestId('step-var-value-0').fill('满199减30');
      await page.getByTestId('node-split_1').click();
      await page.getByTestId('add-step-task').click();
      await page.getByTestId('step-form-task_1').waitFor();
      await choose(page, 'step-task-kind', '电话回访', false);
      await page.getByTestId('step-task-title').fill('回访高价值客户');
      await page.getByTestId('step-task-script').fill('先问候，再介绍新品');
      await choose(page, 'step-assignee-type', '任务池', false);
      await page.getByTestId('step-assignee-pool').fill('vip-advisors');
      await inputOf(page, 'step-task-due').fill('48');

      // "No" calls a webhook.
      await page.getByTestId('node-branch_1').click();
      await page.getByTestId('add-step-webhook').click();
      await page.getByTestId('step-form-webhook_1').waitFor();
      await page.getByTestId('step-webhook-url').fill('https://crm.example.com/hook');

      // Journey settings: re-entry after 30 days, exit when they buy again, a 14-day goal.
      await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await choose(page, 'settings-reentry', '距上次进入 N 天后可再进入', false);
      await inputOf(page, 'settings-reentry-days').fill('30');
      await page.getByTestId('exit-add').click();
      await page.getByTestId('settings-goal').click();
      await inputOf(page, 'settings-goal-days').fill('14');

      await page.getByTestId('journey-valid').waitFor();
      // New steps were placed where no other node is: no two nodes overlap on the canvas.
      const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
      assert.equal(boxes.length, 6);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y, `nodes overlap: ${JSON.stringify([a, b])}`);
        }
      }
      await page.getByTestId('journey-save').click();
      await page.waitForURL(/\/journeys\/[0-9a-f-]{36}\/edit$/);
      const id = /\/journeys\/([0-9a-f-]{36})\/edit$/.exec(page.url())![1]!;
      const row = await siyu.db.selectFrom('journey_versions').select('definition').where('workspace_id', '=', workspaceId).where('journey_id', '=', id).executeTakeFirstOrThrow();
      const def = row.definition as { steps: Record<string, unknown>[] } & Record<string, unknown>;
      const steps = def.steps.map(({ ui: _ui, ...s }) => s);
      assert.deepEqual(def.trigger, { type: 'segment', segmentId, change: 'exited' });
      assert.deepEqual(steps, [
        { id: 'branch_1', type: 'branch', condition: { type: 'and', children: [{ type: 'order_stat', metric: 'paid_order_count', op: 'gte', value: 5 }] }, then: 'split_1', else: 'webhook_1' },
        { id: 'split_1', type: 'split', variants: [{ key: 'A', weight: 70, next: 'send_1' }, { key: 'B', weight: 30, next: 'task_1' }] },
        { id: 'send_1', type: 'send', channel: 'wecom', templateId, variables: { coupon: '满199减30' }, next: null },
        { id: 'task_1', type: 'task', kind: 'call_back', title: '回访高价值客户', script: '先问候，再介绍新品', assignee: { type: 'pool', pool: 'vip-advisors' }, dueInHours: 48, next: null },
        { id: 'webhook_1', type: 'webhook', url: 'https://crm.example.com/hook', next: null },
      ]);
      assert.deepEqual(def.reentry, { mode: 'after_days', days: 30 });
      assert.deepEqual(def.exits, [{ type: 'event', eventType: 'order.paid' }]);
      assert.deepEqual(def.goal, { eventType: 'order.paid', withinDays: 14 });

      // Disconnecting "no" by choosing "(end)" removes the edge, and the webhook becomes unreachable.
      await page.getByTestId('node-branch_1').click();
      await choose(page, 'step-next-else', '（结束）', false);
      await expectText(page.getByTestId('node-issues-webhook_1'), '从起点无法到达');
      // Leaving with unsaved changes asks first.
      await page.getByTestId('journey-editor-back').click();
      await expectText(page.locator('.ant-modal-confirm'), '有未保存的修改');
      await page.locator('.ant-modal-confirm .ant-btn').first().click();
      await expectHidden(page.locator('.ant-modal-confirm'));
      assert.ok(page.url().endsWith(`/journeys/${id}/edit`));
      // Saved as a draft with the issue, the journey's page says what keeps it from going live.
      await page.getByTestId('journey-save').click();
      await expectText(page.locator('.ant-message'), '已保存');
      await page.goto(`/journeys/${id}`);
      await expectText(page.getByTestId('journey-detail-issues'), '1 个问题');
      await expectText(page.getByTestId('journey-detail-issues'), 'steps[4]: 从起点无法到达');
    });
  });
});
