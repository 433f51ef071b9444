/**
 * Journeys in the console: building a journey on the flow canvas (steps added, connected by
 * dragging, forms filled), an issue shown on its node until it is fixed, saving, activating
 * (refused while an issue stands), a new version when a live journey is edited, pausing and
 * stopping from the list; a journey from a playbook in one action; the funnel and A/B numbers
 * (conversions and the confidence figure) equal to the database after customers are enrolled
 * through the API and one of each group pays; a viewer without edit actions; English labels.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { systemContext } from '../../src/platform/http/context.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, signIn, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

/** Picks the option whose whole text is `label` (typed first, for selects that search). */
async function choose(page: Page, testId: string, label: string, type = true): Promise<void> {
  await page.getByTestId(testId).click();
  if (type) await page.keyboard.type(label);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${label}$`) }).click();
}

/** The text input of a form control, whether the test id sits on the input or around it. */
const inputOf = (page: Page, testId: string) => page.getByTestId(testId).locator('xpath=self::input | .//input').first();

/** Twelve customers: a 50/50 split leaves a group empty with a chance of 1 in 2048. */
const NAMES = ['王芳', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴婷', '徐浩', '孙悦'];

/** A whole-hour zone where it is now early afternoon, so quiet hours never hold a message. */
function afternoonZone(): string {
  const k = ((14 - new Date().getUTCHours() + 36) % 24) - 12;
  return k === 0 ? 'Etc/GMT' : k > 0 ? `Etc/GMT-${k}` : `Etc/GMT+${-k}`;
}

/** The standard normal distribution function, by Simpson's rule on the density (independent of the server's approximation). */
function normalCdf(z: number): number {
  const n = 2000;
  const h = Math.abs(z) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2) / 2);
  const half = (sum * h) / 3 / Math.sqrt(2 * Math.PI);
  return z >= 0 ? 0.5 + half : 0.5 - half;
}

function localTime(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

describeBrowser('console journeys', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let tagId: string;
  let customerIds: number[];
  let builtId: string;
  const zone = afternoonZone();

  const journeyRow = (name: string) =>
    suite.server().siyu.db.selectFrom('journeys').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirstOrThrow();

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    await sql`update workspaces set time_zone = ${zone} where id = ${workspaceId}`.execute(siyu.db);
    const ctx = systemContext(workspaceId, 'test');
    const group = await siyu.tags.catalog.createGroup(ctx, { name: '旅程标签', kind: 'static' });
    tagId = (await siyu.tags.catalog.createTag(ctx, { groupId: group.id, name: '新客已欢迎' })).id;
    const r = await siyu.events.ingestEvents(
      ctx,
      NAMES.map((name, i) => ({
        id: `join-${i}`,
        type: 'wecom.friend_added',
        occurredAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
        identities: [{ type: 'wechat_unionid', value: `u-${i}` }],
        // One customer refused marketing: their sends are suppressed.
        profile: { name, nickname: name, consent: i === 2 ? ('denied' as const) : ('granted' as const) },
      })),
    );
    assert.equal(r.accepted, NAMES.length);
    const rows = await siyu.db.selectFrom('customers').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute();
    customerIds = rows.map((x) => Number(x.id));
    assert.equal(customerIds.length, NAMES.length);
  });

  it('builds a journey on the canvas, shows an issue on its node until fixed, saves, activates, versions, pauses and stops it', async () => {
    const { siyu } = suite.server();
    await suite.withPage('journey-build', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/journeys');
      await expectText(page.getByTestId('journey-list'), '还没有旅程');
      await page.getByTestId('journey-create').click();
      await page.getByTestId('journey-editor').waitFor();
      await page.getByTestId('journey-name').fill('新客欢迎旅程');
      await page.getByTestId('journey-description').fill('加好友后欢迎，两天后打标签');

      // Trigger: a WeCom friend added.
      await page.getByTestId('node-trigger').click();
      await choose(page, 'trigger-type', '行为事件', false);
      const eventInput = page.getByTestId('trigger-form').locator('input').nth(1);
      await eventInput.fill('wecom.friend_added');
      await expectText(page.getByTestId('node-summary-trigger'), 'wecom.friend_added');

      // A welcome message, then a two-day wait after it (a new step follows the selected one).
      await page.getByTestId('node-trigger').click();
      await page.getByTestId('add-step-send').click();
      await page.getByTestId('step-form-send_1').waitFor();
      await page.getByTestId('step-name').fill('欢迎语');
      await page.getByTestId('step-content-text').fill('{nickname|亲}，欢迎加入！');
      await page.getByTestId('add-step-wait').click();
      await page.getByTestId('step-form-wait_1').waitFor();
      await inputOf(page, 'step-wait-days').fill('2');
      await expectText(page.getByTestId('node-summary-wait_1'), '2 天');

      // A tag step with nothing selected: it is not connected, and the server says so on that node.
      await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await page.getByTestId('journey-settings').waitFor();
      await page.getByTestId('add-step-tag').click();
      await page.getByTestId('step-form-tag_1').waitFor();
      await choose(page, 'step-tags', '新客已欢迎');
      await page.keyboard.press('Escape');
      await expectText(page.getByTestId('node-issues-tag_1'), '从起点无法到达');
      await expectText(page.getByTestId('journey-issue-count'), '1 个问题');
      assert.equal(await page.getByTestId('node-issues-send_1').count(), 0);
      assert.equal(await page.getByTestId('node-issues-wait_1').count(), 0);

      // Activating is refused while the issue stands: the draft is saved, not live.
      await page.getByTestId('journey-activate').click();
      await page.waitForURL(/\/journeys\/[0-9a-f-]{36}\/edit$/);
      builtId = /\/journeys\/([0-9a-f-]{36})\/edit$/.exec(page.url())![1]!;
      await expectText(page.locator('.ant-message'), '无法启用');
      await expectText(page.getByTestId('node-issues-tag_1'), '从起点无法到达');
      assert.equal((await journeyRow('新客欢迎旅程')).status, 'draft');

      // Connect the wait to the tag by dragging from its handle: the issue goes away.
      await page.getByTestId('handle-out-wait_1-next').dragTo(page.getByTestId('handle-in-tag_1'));
      await expectHidden(page.getByTestId('node-issues-tag_1'));
      await page.getByTestId('journey-valid').waitFor();
      // Selecting that edge and pressing Delete disconnects it again; drag once more to reconnect.
      await page.getByTestId('rf__edge-wait_1|next').click();
      await page.keyboard.press('Delete');
      await expectText(page.getByTestId('node-issues-tag_1'), '从起点无法到达');
      await page.getByTestId('handle-out-wait_1-next').dragTo(page.getByTestId('handle-in-tag_1'));
      await expectHidden(page.getByTestId('node-issues-tag_1'));
      await page.getByTestId('journey-valid').waitFor();

      await page.getByTestId('journey-save').click();
      await expectText(page.locator('.ant-message'), '已保存');
      const draft = await siyu.db.selectFrom('journey_versions').select(['version', 'definition']).where('workspace_id', '=', workspaceId).where('journey_id', '=', builtId).execute();
      assert.equal(draft.length, 1);
      assert.equal((await journeyRow('新客欢迎旅程')).description, '加好友后欢迎，两天后打标签');
      const def = draft[0]!.definition as { trigger: unknown; steps: Record<string, unknown>[] };
      assert.deepEqual(def.trigger, { type: 'event', eventType: 'wecom.friend_added' });
      assert.deepEqual(
        def.steps.map(({ ui, ...s }) => {
          assert.equal(typeof (ui as { x?: unknown }).x, 'number', 'positions are saved in ui');
          return s;
        }),
        [
          { id: 'send_1', type: 'send', name: '欢迎语', channel: 'wecom', content: { text: '{nickname|亲}，欢迎加入！' }, next: 'wait_1' },
          { id: 'wait_1', type: 'wait', duration: { days: 2 }, next: 'tag_1' },
          { id: 'tag_1', type: 'tag', action: 'add', tagIds: [tagId], next: null },
        ],
      );

      await page.getByTestId('journey-activate').click();
      await expectText(page.getByTestId('journey-status'), '运行中');
      await eventually(async () => assert.equal((await journeyRow('新客欢迎旅程')).status, 'active'));

      // Editing the live journey makes version 2, and the editor says so before saving.
      await expectText(page.getByTestId('journey-live-notice'), 'v2');
      await page.getByTestId('node-send_1').click();
      await page.getByTestId('step-name').fill('欢迎语 B');
      await page.getByTestId('journey-save').click();
      await expectText(page.locator('.ant-message'), '新版本 v2');
      const live = await journeyRow('新客欢迎旅程');
      assert.equal(live.latest_version, 2);
      assert.equal(live.live_version, 2);

      // The list shows it; pause and stop (with a reason) after confirming.
      await page.goto('/journeys');
      await expectText(page.getByTestId(`journey-status-${builtId}`), '运行中');
      await expectText(page.getByTestId(`journey-version-${builtId}`), 'v2');
      await expectText(page.getByTestId(`journey-trigger-${builtId}`), '行为事件');
      await page.getByTestId(`journey-pause-${builtId}`).click();
      await page.locator('[data-testid="confirm-ok"]:visible').click();
      await expectText(page.getByTestId(`journey-status-${builtId}`), '已暂停');
      assert.equal((await journeyRow('新客欢迎旅程')).status, 'paused');
      await page.getByTestId('journey-filter-active').click();
      await expectHidden(page.getByTestId('journey-row-新客欢迎旅程'));
      await page.getByTestId('journey-filter-paused').click();
      await page.getByTestId('journey-row-新客欢迎旅程').waitFor();
      await page.getByTestId(`journey-stop-${builtId}`).click();
      await page.getByTestId('stop-reason').fill('活动结束');
      // Enter in the reason box stops, as the dialog's button does (the keyboard does not race its opening animation).
      await page.getByTestId('stop-reason').press('Enter');
      await expectHidden(page.getByTestId('stop-reason'));
      await expectText(page.getByTestId('journey-list'), '没有该状态的旅程');
      await page.getByTestId('journey-filter-all').click();
      await expectText(page.getByTestId(`journey-status-${builtId}`), '已停止');
      assert.equal((await journeyRow('新客欢迎旅程')).status, 'stopped');
      const audit = await siyu.db.selectFrom('audit_log').select('details').where('workspace_id', '=', workspaceId).where('action', '=', 'journey.stop').executeTakeFirstOrThrow();
      assert.equal((audit.details as { reason?: string }).reason, '活动结束');
    });
  });

  it('creates and activates a journey from a playbook in one action and opens it in the editor', async () => {
    await suite.withPage('journey-playbook', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/journeys');
      await page.getByTestId('journeys-tab-playbooks').click();
      await expectText(page.getByTestId('playbook-welcome_new_friends'), '新好友欢迎');
      await page.getByTestId('playbook-use-welcome_new_friends').click();
      await page.getByTestId('playbook-name').fill('欢迎新好友');
      await page.getByTestId('playbook-activate').click();
      await page.getByTestId('playbook-submit').click();
      await page.waitForURL(/\/journeys\/[0-9a-f-]{36}\/edit$/);
      await page.getByTestId('journey-editor').waitFor();
      await expectText(page.getByTestId('journey-status'), '运行中');
      const row = await journeyRow('欢迎新好友');
      assert.equal(row.status, 'active');
      assert.equal(row.playbook, 'welcome_new_friends');
      assert.ok(page.url().endsWith(`/journeys/${row.id}/edit`));
      // The playbook's steps are on the canvas, laid out without saved positions.
      for (const id of ['welcome', 'wait_1d', 'evening', 'touch_1', 'wait_3d', 'bought', 'touch_2']) await page.getByTestId(`node-${id}`).waitFor();
      await page.getByTestId('journey-valid').waitFor();
    });
  });

  it('shows the funnel, the A/B results and the enrolled customers with the numbers in the database', async () => {
    const { siyu, app } = suite.server();
    const owner = await signIn(app, users.owner.email, workspaceId);
    const definition = {
      trigger: { type: 'manual' },
      steps: [
        { id: 'ab', type: 'split', name: '文案分组', variants: [{ key: 'A', weight: 50, next: 'copy_a' }, { key: 'B', weight: 50, next: 'copy_b' }] },
        { id: 'copy_a', type: 'send', name: '文案 A', channel: 'wecom', content: { text: '文案 A' }, next: 'later' },
        { id: 'copy_b', type: 'send', name: '文案 B', channel: 'wecom', content: { text: '文案 B' } },
        { id: 'later', type: 'wait', duration: { days: 3 } },
      ],
      goal: { eventType: 'order.paid', withinDays: 7 },
    };
    const created = await owner.post('/api/v1/journeys', { name: '复购 A/B', definition });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    assert.equal((await owner.post(`/api/v1/journeys/${id}/activate`, {})).statusCode, 200);
    const enrolled = await owner.post(`/api/v1/journeys/${id}/enrollments`, { customerIds });
    assert.equal(enrolled.statusCode, 200, enrolled.body);
    assert.equal(enrolled.json().enrolled, customerIds.length);
    await siyu.journeys.runner.drain();

    // One customer of each group pays: the order event goes where the worker would take it.
    const ctx = systemContext(workspaceId, 'test');
    const placed = await siyu.db
      .selectFrom('journey_enrollments as e')
      .innerJoin('customers as c', (j) => j.onRef('c.workspace_id', '=', 'e.workspace_id').onRef('c.id', '=', 'e.customer_id'))
      .select(['e.customer_id', 'e.variant', 'c.name'])
      .where('e.workspace_id', '=', workspaceId)
      .where('e.journey_id', '=', id)
      .orderBy('e.customer_id')
      .execute();
    const payers = ['A', 'B'].map((v) => placed.find((x) => x.variant === v)!);
    assert.ok(payers.every((p) => p && NAMES.includes(p.name!)), `both groups have customers: ${JSON.stringify(placed)}`);
    const now = new Date().toISOString();
    const paid = await siyu.orders.upsertOrders(
      ctx,
      payers.map((p, k) => ({
        platform: 'taobao',
        orderNo: `P${k}`,
        status: 'paid',
        statusAt: now,
        orderedAt: now,
        paidAt: now,
        totalFen: 19_900,
        identities: [{ type: 'wechat_unionid', value: `u-${NAMES.indexOf(p.name!)}` }],
      })),
    );
    assert.equal(paid.rejected, 0);
    const paidEvents = await siyu.db.selectFrom('events').select(['id', 'type', 'customer_id', 'occurred_at']).where('workspace_id', '=', workspaceId).where('type', '=', 'order.paid').execute();
    assert.deepEqual(paidEvents.map((e) => Number(e.customer_id)).sort(), payers.map((p) => Number(p.customer_id)).sort());
    await siyu.journeys.triggers.onCustomersChanged([
      {
        workspaceId,
        customerIds: paidEvents.map((e) => Number(e.customer_id)),
        causes: ['events'],
        events: paidEvents.map((e) => ({ id: Number(e.id), type: e.type, customerId: Number(e.customer_id), occurredAt: new Date(e.occurred_at).toISOString() })),
      },
    ]);

    const one = async <T>(q: Promise<{ rows: T[] }>) => (await q).rows[0]!;
    const count = (q: ReturnType<typeof sql<{ n: number }>>) => one(q.execute(siyu.db)).then((r) => r.n);
    const truth = async (step: string) => ({
      entered: await count(sql<{ n: number }>`select count(*)::int as n from journey_enrollments where workspace_id = ${workspaceId} and journey_id = ${id} and visits ? ${step}`),
      waiting: await count(sql<{ n: number }>`select count(*)::int as n from journey_enrollments where workspace_id = ${workspaceId} and journey_id = ${id} and state = 'active' and is_waiting and current_step = ${step}`),
      sent: await count(sql<{ n: number }>`select count(*)::int as n from messages where workspace_id = ${workspaceId} and source_kind = 'journey' and source_id = ${id} and source_step = ${step} and status = 'sent'`),
      optedOut: await count(sql<{ n: number }>`select count(*)::int as n from messages where workspace_id = ${workspaceId} and source_kind = 'journey' and source_id = ${id} and source_step = ${step} and status = 'suppressed' and reason = 'opted_out'`),
      converted: await count(sql<{ n: number }>`select count(*)::int as n from journey_enrollments where workspace_id = ${workspaceId} and journey_id = ${id} and visits ? ${step} and converted_at is not null`),
    });
    const steps = { ab: await truth('ab'), copy_a: await truth('copy_a'), copy_b: await truth('copy_b'), later: await truth('later') };
    const variants = (
      await sql<{ variant: string; n: number; converted: number }>`
        select variant, count(*)::int as n, count(converted_at)::int as converted from journey_enrollments
        where workspace_id = ${workspaceId} and journey_id = ${id} group by variant order by variant`.execute(siyu.db)
    ).rows;
    const enrollments = await siyu.db.selectFrom('journey_enrollments').select(['customer_id', 'entered_at']).where('workspace_id', '=', workspaceId).where('journey_id', '=', id).execute();
    // The data behind the screen is what the scenario made: everyone entered, split in two,
    // one customer's message suppressed for refusing marketing, the others sent.
    assert.equal(steps.ab.entered, customerIds.length);
    assert.equal(steps.copy_a.entered + steps.copy_b.entered, customerIds.length);
    assert.equal(steps.copy_a.optedOut + steps.copy_b.optedOut, 1);
    assert.equal(steps.copy_a.sent + steps.copy_b.sent, customerIds.length - 1);
    assert.equal(steps.later.waiting, steps.copy_a.entered);
    assert.equal(variants.reduce((n, v) => n + v.n, 0), customerIds.length);
    assert.deepEqual(variants.map((v) => v.converted), [1, 1], 'one conversion in each group');
    assert.equal(steps.ab.converted, 2);
    // The confidence of B against the control A, computed here from the database's counts.
    const [a, b] = variants as [(typeof variants)[0], (typeof variants)[0]];
    const pooled = (a.converted + b.converted) / (a.n + b.n);
    const z = (b.converted / b.n - a.converted / a.n) / Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
    const confidence = 1 - 2 * (1 - normalCdf(Math.abs(z)));

    await suite.withPage('journey-funnel', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, `/journeys/${id}`);
      await expectText(page.getByTestId('journey-title'), '复购 A/B');
      await expectText(page.getByTestId('total-entered'), String(customerIds.length));
      for (const [step, want] of Object.entries(steps)) {
        await expectText(page.getByTestId(`funnel-${step}-entered`), new RegExp(`^${want.entered}$`));
        assert.equal(await page.getByTestId(`funnel-${step}-waiting`).innerText(), String(want.waiting), `${step} waiting`);
        assert.equal(await page.getByTestId(`funnel-${step}-sent`).innerText(), String(want.sent), `${step} sent`);
        if (want.optedOut) await expectText(page.getByTestId(`funnel-${step}-suppressed-opted_out`), `拒绝营销 ${want.optedOut}`);
        else assert.equal(await page.getByTestId(`funnel-${step}-suppressed-opted_out`).count(), 0, `${step} has no suppressed message`);
        assert.equal(await page.getByTestId(`funnel-${step}-converted`).innerText(), String(want.converted), `${step} converted`);
        // The same numbers on the canvas nodes.
        assert.equal(await page.getByTestId(`node-stat-${step}-entered`).innerText(), String(want.entered), `${step} node entered`);
      }
      for (const v of variants) {
        await expectText(page.getByTestId(`variant-${v.variant}-entered`), new RegExp(`^${v.n}$`));
        assert.equal(await page.getByTestId(`variant-${v.variant}-converted`).innerText(), String(v.converted));
        assert.equal(await page.getByTestId(`variant-${v.variant}-rate`).innerText(), `${((v.converted / v.n) * 100).toFixed(1)}%`);
      }
      assert.equal(await page.getByTestId('variant-A-confidence').innerText(), '—', 'the control has no confidence of its own');
      assert.equal(await page.getByTestId('variant-B-confidence').innerText(), `${(confidence * 100).toFixed(1)}%`);
      await expectText(page.getByTestId('total-converted'), '2');

      // The customers behind the numbers, entry times in the workspace time zone, each linking to the profile.
      const first = enrollments[0]!;
      const row = page.getByTestId(`enrollment-row-${first.customer_id}`);
      await expectText(row, localTime(new Date(first.entered_at), zone));
      assert.equal(await page.getByTestId('enrollments-card').locator('[data-testid^="enrollment-row-"]').count(), customerIds.length);
      // Picking a step in the funnel, or its node on the canvas, lists the customers who reached it.
      const listed = () => page.getByTestId('enrollments-card').locator('[data-testid^="enrollment-row-"]').count();
      await page.getByTestId('funnel-pick-copy_a').click();
      await eventually(async () => assert.equal(await listed(), steps.copy_a.entered));
      await page.getByTestId('node-copy_b').click();
      await expectText(page.getByTestId('enrollment-step-filter'), '文案 B');
      await eventually(async () => assert.equal(await listed(), steps.copy_b.entered));
      await page.getByTestId('enrollment-step-filter').locator('.ant-select-clear').click();
      await page.getByTestId(`enrollment-customer-${first.customer_id}`).click();
      await page.waitForURL(new RegExp(`/customers/${first.customer_id}$`));
    });
  });

  it('lets a viewer read journeys without edit actions, in English too', async () => {
    await suite.withPage('journey-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/journeys');
      await expectText(page.getByTestId(`journey-status-${builtId}`), '已停止');
      assert.equal(await page.getByTestId('journey-create').count(), 0);
      assert.equal(await page.locator('[data-testid^="journey-activate-"], [data-testid^="journey-pause-"], [data-testid^="journey-stop-"]').count(), 0);
      await page.getByTestId('journey-link-复购 A/B').click();
      await page.getByTestId('funnel-table').waitFor();
      for (const action of ['journey-edit', 'journey-refresh']) {
        assert.equal(await page.getByTestId(action).count(), action === 'journey-edit' ? 0 : 1, action);
      }
      assert.equal(await page.locator('[data-testid^="journey-pause-"], [data-testid^="journey-stop-"]').count(), 0);
      // The version switcher shows each version's flow: v1 before the edit, v2 after it.
      await page.goto(`/journeys/${builtId}`);
      await expectText(page.getByTestId('node-send_1'), '欢迎语 B');
      await page.getByTestId('version-select').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: /^v1$/ }).click();
      await expectText(page.getByTestId('total-entered'), '0');
      await eventually(async () => assert.doesNotMatch(await page.getByTestId('node-send_1').innerText(), /欢迎语 B/));
      await expectText(page.getByTestId('node-send_1'), '欢迎语');
      await page.goto(`/journeys/${builtId}/edit`);
      await page.getByTestId('journey-list').waitFor();
      assert.match(page.url(), /\/journeys$/);
      await page.getByTestId('journeys-tab-playbooks').click();
      await page.getByTestId('playbook-welcome_new_friends').waitFor();
      assert.equal(await page.locator('[data-testid^="playbook-use-"]').count(), 0);

      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('journeys-tab-list'), 'Journeys');
      await expectText(page.getByTestId('journeys-tab-playbooks'), 'Playbooks');
      await expectText(page.getByTestId('playbook-welcome_new_friends'), 'Welcome new friends');
      await page.getByTestId('journeys-tab-list').click();
      await expectText(page.getByTestId(`journey-status-${builtId}`), 'Stopped');
      await expectText(page.getByTestId(`journey-trigger-${builtId}`), 'Event');
      await page.getByTestId('journey-link-复购 A/B').click();
      await expectText(page.getByTestId('funnel-table'), 'Entered');
      await expectText(page.getByTestId('variants-card'), 'Confidence');
      await expectText(page.getByTestId('node-ab'), 'A/B split');
    });
  });
});
