/**
 * The task inbox: an advisor's own tasks by due time with the overdue one marked and the
 * counts the server keeps, the script copied, a pool task taken, a task done with an outcome
 * and another skipped (as stored), the link to the customer; a viewer sees no actions; English.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Role } from '../../src/modules/access/index.ts';
import type { NewTask } from '../../src/modules/tasks/index.ts';
import { seedWorkspace, signIn, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

const HOUR = 3_600_000;

describeBrowser('console task inbox', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let customerId: number;
  const ids: Record<string, string> = {};

  const db = () => suite.server().siyu.db;
  const stored = (id: string) =>
    db().selectFrom('tasks').select(['status', 'outcome', 'note', 'assignee_user_id', 'completed_by']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirstOrThrow();

  before(async () => {
    const { app, siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    const owner = await signIn(app, users.owner.email, workspaceId);
    const res = await owner.post('/api/v1/events', {
      events: [{ id: 'join-wu', type: 'wecom.friend_added', occurredAt: new Date().toISOString(), identities: [{ type: 'wechat_unionid', value: 'u-task-wu' }], profile: { name: '吴静', nickname: '静静' } }],
    });
    assert.equal(res.statusCode, 200, res.body);
    customerId = (res.json() as { results: { customerId: number }[] }).results[0]!.customerId;

    const now = Date.now();
    const journey = { kind: 'journey' as const, id: 'j-winback', version: 1, step: 'chat' };
    const plan: Record<string, NewTask> = {
      overdue: { customerId, kind: 'private_chat', title: '私聊静静：召回', script: '静静你好，好久不见～给你留了一张专属券', assigneeUserId: users.operator.id, dueAt: new Date(now - 2 * HOUR), source: journey },
      later: { customerId, kind: 'call_back', title: '回访静静的新品体验', assigneeUserId: users.operator.id, dueAt: new Date(now + 26 * HOUR), source: { kind: 'manual' } },
      ownerOnly: { customerId: null, kind: 'other', title: '店长的任务', assigneeUserId: users.owner.id, dueAt: new Date(now + HOUR), source: { kind: 'manual' } },
      pooled: { customerId, kind: 'follow_up', title: '跟进静静的售后问题', pool: 'vip', dueAt: new Date(now + 3 * HOUR), source: journey },
      pooled2: { customerId: null, kind: 'follow_up', title: '池中另一项任务', pool: 'vip', dueAt: new Date(now + 4 * HOUR), source: { kind: 'manual' } },
    };
    const created = await db().transaction().execute((trx) => siyu.tasks.createTasks(trx, workspaceId, Object.values(plan), new Date()));
    Object.keys(plan).forEach((key, i) => (ids[key] = created[i]!));
    assert.equal(created.length, 5);
  });

  it('lists my tasks by due time with the overdue one marked, the counts and the script to copy', async () => {
    await suite.withPage('tasks-mine', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/tasks');
      await page.getByTestId(`task-${ids.overdue}`).waitFor();
      await page.getByTestId(`task-${ids.later}`).waitFor();
      assert.equal(await page.getByTestId(`task-${ids.ownerOnly}`).count(), 0, 'another member’s task is in my inbox');
      assert.equal(await page.getByTestId(`task-${ids.pooled}`).count(), 0, 'a pool task is in my inbox');
      const order = await page.locator('[data-testid^="task-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')).filter((id) => /^task-[0-9a-f-]{36}$/.test(id ?? '')));
      assert.deepEqual(order, [`task-${ids.overdue}`, `task-${ids.later}`], 'tasks are not in due order');
      await expectText(page.getByTestId(`task-overdue-${ids.overdue}`), '已逾期');
      assert.equal(await page.getByTestId(`task-overdue-${ids.later}`).count(), 0, 'a task due tomorrow is marked overdue');
      await expectText(page.getByTestId('tasks-counts'), /待处理\s*2/);
      await expectText(page.getByTestId('tasks-counts'), /已逾期\s*1/);
      await expectText(page.getByTestId(`task-script-${ids.overdue}`), '静静你好，好久不见～给你留了一张专属券');
      await page.getByTestId(`task-copy-${ids.overdue}`).click();
      await expectText(page.getByTestId(`task-copy-${ids.overdue}`), '已复制');

      await page.getByTestId(`task-customer-${ids.overdue}`).click();
      await page.waitForURL(`**/customers/${customerId}`);
      await expectText(page.getByTestId('profile-name'), '吴静');
    });
  });

  it('takes a pool task, completes one with an outcome and skips another, as stored', async () => {
    await suite.withPage('tasks-work', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/tasks');
      await page.getByTestId('tasks-box-pool').click();
      await page.getByTestId(`task-${ids.pooled}`).waitFor();
      await page.getByTestId(`task-take-${ids.pooled}`).click();
      await expectHidden(page.getByTestId(`task-${ids.pooled}`));
      await eventually(async () => assert.equal((await stored(ids.pooled!)).assignee_user_id, users.operator.id));

      await page.getByTestId('tasks-box-mine').click();
      await page.getByTestId(`task-${ids.pooled}`).waitFor();

      await page.getByTestId(`task-done-${ids.overdue}`).click();
      await page.getByTestId('task-complete-submit').click();
      await expectText(page.getByTestId('task-complete-modal'), '请选择结果');
      assert.equal((await stored(ids.overdue!)).status, 'open');
      await page.getByTestId('task-outcome-converted').click();
      await page.getByTestId('task-note').fill('领券后当天下单');
      await page.getByTestId('task-complete-submit').click();
      await expectHidden(page.getByTestId(`task-${ids.overdue}`));
      await eventually(async () =>
        assert.deepEqual(await stored(ids.overdue!), { status: 'done', outcome: 'converted', note: '领券后当天下单', assignee_user_id: users.operator.id, completed_by: users.operator.email }),
      );

      await page.getByTestId(`task-skip-${ids.later}`).click();
      assert.equal(await page.getByTestId('task-outcome').count(), 0, 'skipping asks for an outcome');
      await page.getByTestId('task-note').fill('客户已在群里答复');
      await page.getByTestId('task-complete-submit').click();
      await expectHidden(page.getByTestId(`task-${ids.later}`));
      await eventually(async () => {
        const later = await stored(ids.later!);
        assert.equal(later.status, 'skipped');
        assert.equal(later.outcome, null);
        assert.equal(later.note, '客户已在群里答复');
      });

      await page.getByTestId('tasks-status').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '已完成' }).first().click();
      await expectText(page.getByTestId(`task-result-${ids.overdue}`), '已完成 · 已下单');
      assert.equal(await page.getByTestId(`task-${ids.later}`).count(), 0, 'a skipped task is listed as done');
    });
  });

  it('shows a viewer the pool without actions, in English', async () => {
    await suite.withPage('tasks-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/tasks?box=pool');
      await page.getByTestId(`task-${ids.pooled2}`).waitFor();
      for (const id of [`task-take-${ids.pooled2}`, `task-done-${ids.pooled2}`, `task-skip-${ids.pooled2}`]) {
        assert.equal(await page.getByTestId(id).count(), 0, `${id} is shown to a viewer`);
      }
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('tasks-box-pool'), 'Pool');
      await expectText(page.getByTestId('tasks-box-mine'), 'My tasks');
      await expectText(page.getByTestId(`task-due-${ids.pooled2}`), 'Due ');
      await expectText(page.getByTestId(`task-${ids.pooled2}`), 'Pool: vip');
    });
  });
});
