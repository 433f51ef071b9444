/**
 * The messaging area: the outbox shows every message's status and why it was not sent, as the
 * ledger holds it; dead letters are replayed (one, then a selection) and delivered; settings
 * answer bad input with the server's error on its field; a template is created, previewed for
 * a customer (missing variables, ad-law findings) and versioned; a customer's profile explains
 * their messages; a viewer sees no send, replay or edit actions; English labels.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/modules/access/index.ts';
import { DEFAULT_SETTINGS, type MessagingSettings, type SendRequest } from '../../src/modules/messaging/index.ts';
import { systemContext } from '../../src/platform/http/context.ts';
import { seedWorkspace, signIn, type Client, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

const STATUS_ZH: Record<string, string> = {
  held: '等待发送', queued: '排队中', sending: '发送中', sent: '已发送', suppressed: '未发送', failed: '发送失败', cancelled: '已撤回',
};

/** `HH:MM` of a moment in a time zone, with the date in front when it is not today there. */
function localTime(at: Date, timeZone: string): string {
  const fmt = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const when = fmt(at);
  return when.slice(0, 10) === fmt(new Date()).slice(0, 10) ? when.slice(11, 16) : when.slice(0, 16);
}

/** What the console must say for a ledger row, derived here from the stored reason and detail. */
function expectedReason(row: { status: string; reason: string | null; reason_detail: unknown; release_at: Date | null; attempts: number; last_error: string | null }, timeZone: string): string | null {
  const d = (row.reason_detail ?? {}) as Record<string, unknown>;
  switch (row.reason) {
    case null: return null;
    case 'opted_out': return '客户已退订';
    case 'capped_daily': return d.scope === 'all' ? '今日已达频控上限' : assert.fail(`unexpected cap scope ${String(d.scope)}`);
    case 'quiet_hours': return `免打扰时段，将于 ${localTime(row.release_at!, timeZone)} 发送`;
    case 'template_error': return `缺少变量：${(d.variables as string[]).join('、')}`;
    case 'driver_failed': return `投递失败（已尝试 ${row.attempts} 次）：${row.last_error}`;
    default: return assert.fail(`no expectation for reason ${row.reason}`);
  }
}

describeBrowser('console messaging', (suite) => {
  let workspaceId: string;
  let timeZone: string;
  let users: Record<Role, TestUser>;
  let owner: Client;
  const ids: Record<string, number> = {};
  const dead: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  let journeyId = '';
  let receiverUp = false;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = receiverUp ? 200 : 503;
      res.end(receiverUp ? 'ok' : 'receiver down');
    });
  });

  const db = () => suite.server().siyu.db;
  const ledger = () =>
    db().selectFrom('messages').select(['id', 'customer_id', 'status', 'reason', 'reason_detail', 'release_at', 'attempts', 'last_error', 'body']).where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
  const ctx = () => systemContext(workspaceId, 'test');
  const settings = (patch: Partial<MessagingSettings>): MessagingSettings => ({ ...DEFAULT_SETTINGS, adLaw: { ...DEFAULT_SETTINGS.adLaw, useDictionary: false }, ...patch });

  async function addCustomer(key: string, name: string, nickname: string) {
    const res = await owner.post('/api/v1/events', {
      events: [{ id: `join-${key}`, type: 'wecom.friend_added', occurredAt: new Date().toISOString(), identities: [{ type: 'wechat_unionid', value: `u-msg-${key}` }], profile: { name, nickname } }],
    });
    assert.equal(res.statusCode, 200, res.body);
    const [r] = (res.json() as { results: { status: string; customerId: number }[] }).results;
    assert.equal(r?.status, 'accepted', res.body);
    ids[key] = r!.customerId;
  }

  const request = (key: string, customer: string, over: Partial<SendRequest> = {}): SendRequest => ({
    idempotencyKey: `test:${key}`,
    customerId: ids[customer]!,
    channel: 'wecom',
    content: { text: '你好 {nickname}，新品上架了' },
    source: { kind: 'journey', id: 'j-welcome', version: 1, step: 'welcome' },
    ...over,
  });

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { app, siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    owner = await signIn(app, users.owner.email, workspaceId);
    timeZone = (await db().selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirstOrThrow()).time_zone;
    await addCustomer('hong', '林红', '小红');
    await addCustomer('qiang', '张强', '阿强');
    await addCustomer('mei', '陈美', '小美');
    await addCustomer('jun', '周军', '阿军');
    const refused = await owner.post(`/api/v1/customers/${ids.qiang}/consent`, { status: 'denied' });
    assert.equal(refused.statusCode, 200, refused.body);

    // Daytime rules first: no quiet hours, two marketing messages a day per customer.
    const port = (receiver.address() as AddressInfo).port;
    await siyu.messaging.settings.put(ctx(), settings({ quietHours: { enabled: false, start: '22:00', end: '08:00' }, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' }, delivery: { maxAttempts: 1, backoffSeconds: 1, timeoutMs: 2000 } }));
    await siyu.messaging.settings.setWebhook(ctx(), { url: `http://127.0.0.1:${port}/hook`, rotateSecret: false });
    await siyu.messaging.send(workspaceId, [
      request('hong-1', 'hong'),
      request('hong-2', 'hong', { content: { text: '{nickname}，限时秒杀全网好价' } }),
      request('hong-3', 'hong'),
      request('qiang-1', 'qiang'),
      request('mei-coupon', 'mei', { content: { text: '{nickname}，送你一张{coupon}' } }),
    ]);
    // Quiet hours around now: the next marketing message is held until they end.
    const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + ms));
    await siyu.messaging.settings.put(ctx(), settings({ quietHours: { enabled: true, start: hhmm(-3_600_000), end: hhmm(2 * 3_600_000) }, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' }, delivery: { maxAttempts: 1, backoffSeconds: 1, timeoutMs: 2000 } }));
    await siyu.messaging.send(workspaceId, [request('mei-quiet', 'mei')]);
    await siyu.messaging.settings.put(ctx(), settings({ quietHours: { enabled: false, start: '22:00', end: '08:00' }, drivers: { ...DEFAULT_SETTINGS.drivers, webhook: 'webhook' }, delivery: { maxAttempts: 1, backoffSeconds: 1, timeoutMs: 2000 } }));
    // Three webhook notices while the receiver is down: dead letters after one attempt.
    const hooks = await siyu.messaging.send(
      workspaceId,
      (['a', 'b', 'c'] as const).map((k) => request(`hook-${k}`, 'mei', { channel: 'webhook', purpose: 'transactional', content: { text: `订单 ${k} 已发货` }, payload: { order: k } })),
    );
    [dead.a, dead.b, dead.c] = hooks.map((o) => o.messageId) as [string, string, string];

    // A customer in a journey, waiting at its first step (nothing is sent for a day).
    const journey = await owner.post('/api/v1/journeys', {
      name: '沉睡唤醒',
      definition: {
        trigger: { type: 'manual' },
        steps: [
          { id: 'pause', name: '等待一天', type: 'wait', duration: { days: 1 }, next: 'hello' },
          { id: 'hello', type: 'send', channel: 'wecom', content: { text: '好久不见 {nickname|朋友}' }, next: null },
        ],
      },
    });
    assert.equal(journey.statusCode, 201, journey.body);
    journeyId = (journey.json() as { id: string }).id;
    assert.equal((await owner.post(`/api/v1/journeys/${journeyId}/activate`, {})).statusCode, 200);
    const enrolled = await owner.post(`/api/v1/journeys/${journeyId}/enrollments`, { customerIds: [ids.jun] });
    assert.equal((enrolled.json() as { enrolled: number }).enrolled, 1, enrolled.body);
    await eventually(async () => {
      await siyu.messaging.dispatcher.runDue({ workspaceId });
      const rows = await ledger();
      assert.deepEqual(rows.filter((r) => Object.values(dead).includes(r.id)).map((r) => r.status), ['failed', 'failed', 'failed']);
    });
  });

  after(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  async function pick(page: Page, testId: string, option: string) {
    await page.getByTestId(testId).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  }

  it('shows every message with its status and, for anything not sent, the reason in plain words, as the ledger holds them', async () => {
    const rows = await ledger();
    const reasons = new Set(rows.map((r) => r.reason));
    for (const reason of ['capped_daily', 'opted_out', 'template_error', 'quiet_hours', 'driver_failed', null]) assert.ok(reasons.has(reason), `the seed has no ${reason} message`);
    await suite.withPage('messaging-outbox', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/messaging');
      await page.getByTestId('outbox').waitFor();
      for (const row of rows) {
        await expectText(page.getByTestId(`message-status-${row.id}`), STATUS_ZH[row.status]!);
        const reason = expectedReason(row, timeZone);
        if (reason === null) assert.equal(await page.getByTestId(`message-reason-${row.id}`).count(), 0, `message ${row.id} has no reason but shows one`);
        else assert.equal(await page.getByTestId(`message-reason-${row.id}`).innerText(), reason);
      }

      // Filter by status: only the messages not sent remain.
      await pick(page, 'filter-status', '未发送');
      const suppressed = rows.filter((r) => r.status === 'suppressed');
      await eventually(async () => assert.equal(await page.locator('[data-testid^="message-row-"]').count(), suppressed.length));
      for (const r of suppressed) await page.getByTestId(`message-row-${r.id}`).waitFor();
      assert.match(page.url(), /status=suppressed/);

      // Details of the message blocked by its template, then of a sent one with an ad-law warning.
      const broken = rows.find((r) => r.reason === 'template_error')!;
      await page.getByTestId(`message-row-${broken.id}`).click();
      await expectText(page.getByTestId('detail-reason'), '缺少变量：coupon');
      await expectText(page.getByTestId('message-drawer'), '未生成内容');
      await page.keyboard.press('Escape');
      await page.getByTestId('filter-clear').click();
      const warned = rows.find((r) => r.body?.includes('秒杀全网'))!;
      assert.equal(warned.status, 'sent');
      await page.getByTestId(`message-row-${warned.id}`).click();
      await expectText(page.getByTestId('detail-content'), '小红，限时秒杀全网好价');
      await expectText(page.getByTestId('detail-adlaw'), '注意：秒杀全网');
      assert.ok((await page.getByTestId('adlaw-mark-warn').count()) > 0, 'the warned term is not marked in the content');
      await page.keyboard.press('Escape');

      // Time range: a message from three days ago is outside the last 24 hours, inside the last 7 days.
      const old = rows.find((r) => r.reason === 'opted_out')!;
      await db().updateTable('messages').set({ created_at: new Date(Date.now() - 3 * 86_400_000) }).where('workspace_id', '=', workspaceId).where('id', '=', old.id).execute();
      await pick(page, 'filter-range', '最近 24 小时');
      await page.getByTestId(`message-row-${warned.id}`).waitFor();
      await expectHidden(page.getByTestId(`message-row-${old.id}`));
      // The list re-renders while the filtered page loads: count once it has settled.
      await eventually(async () => assert.equal(await page.locator('[data-testid^="message-row-"]').count(), rows.length - 1));
      await pick(page, 'filter-range', '最近 7 天');
      await page.getByTestId(`message-row-${old.id}`).waitFor();
      assert.equal(await page.locator('[data-testid^="message-row-"]').count(), rows.length);

      // One customer's messages, found by name.
      await page.getByTestId('filter-customer').click();
      await page.keyboard.type('林红');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `#${ids.hong}` }).first().click();
      const hong = rows.filter((r) => r.customer_id === ids.hong);
      assert.equal(hong.length, 3);
      await eventually(async () => assert.equal(await page.locator('[data-testid^="message-row-"]').count(), hong.length));
      for (const r of hong) await page.getByTestId(`message-row-${r.id}`).waitFor();
      assert.match(page.url(), new RegExp(`customer=${ids.hong}`));
    });
  });

  it('replays one dead letter and then a selection, and the replayed messages are delivered', async () => {
    receiverUp = true;
    const { siyu } = suite.server();
    await suite.withPage('messaging-dead-letters', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/messaging/dead-letters');
      const a = (await ledger()).find((r) => r.id === dead.a)!;
      await expectText(page.getByTestId(`dead-error-${dead.a}`), a.last_error!);
      assert.equal(await page.getByTestId(`dead-attempts-${dead.a}`).innerText(), String(a.attempts));
      await page.getByTestId(`replay-${dead.a}`).click();
      await expectText(page.getByTestId('replay-result'), '已重投 1 条，跳过 0 条');
      await expectHidden(page.getByTestId(`message-row-${dead.a}`));

      await page.getByTestId(`message-row-${dead.b}`).locator('.ant-checkbox-input').check();
      await expectText(page.getByTestId('replay-selected'), '重投所选（1）');
      await page.getByTestId('replay-selected').click();
      await expectHidden(page.getByTestId(`message-row-${dead.b}`));
      await page.getByTestId(`message-row-${dead.c}`).waitFor();
    });
    await eventually(async () => {
      await siyu.messaging.dispatcher.runDue({ workspaceId });
      const rows = await ledger();
      assert.deepEqual([dead.a, dead.b, dead.c].map((id) => rows.find((r) => r.id === id)?.status), ['sent', 'sent', 'failed']);
    });
  });

  it('puts the server’s errors on the settings fields they concern, and saves good settings', async () => {
    const stored = async () => (await db().selectFrom('messaging_settings').select('settings').where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).settings as MessagingSettings;
    await suite.withPage('messaging-settings', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/messaging/settings');
      const field = (testId: string) => page.locator('.ant-form-item', { has: page.getByTestId(testId) });

      await page.getByTestId('quiet-start').fill('25:00');
      await page.getByTestId('settings-save').click();
      await expectText(field('quiet-start').locator('.ant-form-item-explain-error'), '格式不正确');

      await page.getByTestId('quiet-start').fill('21:30');
      await expectHidden(field('quiet-start').locator('.ant-form-item-explain-error'));
      await page.getByTestId('caps-all-daily').fill('9');
      await page.getByTestId('settings-save').click();
      await expectText(field('caps-all-daily').locator('.ant-form-item-explain-error'), '每天上限不能大于每周上限');
      assert.equal((await stored()).caps.all.daily, 2, 'refused settings were stored');

      await page.getByTestId('caps-all-daily').fill('3');
      await page.getByTestId('caps-sms-daily').fill('1');
      await page.getByTestId('settings-save').click();
      await expectText(page.locator('.ant-message'), '已保存');
      await eventually(async () => {
        const s = await stored();
        assert.deepEqual(s.caps.all, { daily: 3, weekly: 6, monthly: 20 });
        assert.deepEqual(s.caps.channels, { sms: { daily: 1, weekly: null, monthly: null } });
        assert.deepEqual(s.quietHours, { enabled: false, start: '21:30', end: '08:00' });
      });

      // The SMS provider: a URL that is not one is refused on its field; a good one is stored with its secret.
      const sms = () => db().selectFrom('messaging_drivers').select(['config', 'secret']).where('workspace_id', '=', workspaceId).where('driver', '=', 'sms_http').executeTakeFirst();
      await page.getByTestId('sms-url').fill('not a url');
      await page.getByTestId('sms-save').click();
      await expectText(field('sms-url').locator('.ant-form-item-explain-error'), '格式不正确');
      assert.equal(await sms(), undefined, 'a refused SMS provider was stored');
      await page.getByTestId('sms-url').fill('https://sms.example.com/send');
      await page.getByTestId('sms-headers').fill('X-Account: brand-1');
      await page.getByTestId('sms-auth-header').fill('Authorization');
      await page.getByTestId('sms-secret').fill('Bearer s3cret');
      await page.getByTestId('sms-save').click();
      await eventually(async () => {
        const row = await sms();
        assert.ok(row, 'the SMS provider was not stored');
        const config = row.config as { url: string; headers: Record<string, string>; authHeader: string };
        assert.deepEqual([config.url, config.headers, config.authHeader, row.secret], ['https://sms.example.com/send', { 'X-Account': 'brand-1' }, 'Authorization', 'Bearer s3cret']);
      });
      await expectText(page.getByTestId('sms-form'), '已设置密钥');
    });
  });

  it('creates a template, previews it for a customer with the missing variable and ad-law findings, and keeps its versions', async () => {
    const templates = () => db().selectFrom('message_templates').select(['id', 'name', 'current_version']).where('workspace_id', '=', workspaceId).execute();
    await suite.withPage('messaging-templates', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, '/messaging/templates');
      await page.getByTestId('template-create').click();
      await expectText(page.getByTestId('template-syntax-help'), '{nickname|朋友}');
      await page.getByTestId('template-name').fill('生日祝福');
      await page.getByTestId('template-body').fill('亲爱的{nickname|朋友}，生日快乐！送你{coupon}，全网最低价');
      // Without a customer the fallback fills in; the coupon is missing; 最低价 is banned.
      await expectText(page.getByTestId('preview-body'), '亲爱的朋友，生日快乐！');
      await page.getByTestId('preview-missing-coupon').waitFor();
      await expectText(page.getByTestId('preview-verdict'), '含禁用词，将被拦截');
      assert.ok((await page.getByTestId('adlaw-mark-block').count()) > 0, 'the banned term is not marked');

      await page.getByTestId('preview-customer').click();
      await page.keyboard.type('林红');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `#${ids.hong}` }).first().click();
      await expectText(page.getByTestId('preview-body'), '亲爱的小红，生日快乐！');

      await page.getByTestId('template-save').click();
      await page.getByTestId('template-version-1').waitFor();
      await eventually(async () => assert.deepEqual((await templates()).map((t) => [t.name, t.current_version]), [['生日祝福', 1]]));

      await page.getByTestId('template-body').fill('亲爱的{nickname|朋友}，生日快乐！');
      await page.getByTestId('template-save').click();
      await page.getByTestId('template-version-2').waitFor();
      await expectText(page.getByTestId('preview-verdict'), '广告法检查通过');
      await eventually(async () => assert.deepEqual((await templates()).filter((t) => t.name === '生日祝福').map((t) => t.current_version), [2]));
      await page.keyboard.press('Escape');
      await expectText(page.getByTestId('template-version-of-生日祝福'), 'v2');

      // Archiving: the template leaves the list and is kept, archived, for the ledger.
      const made = await owner.post('/api/v1/message-templates', { name: '旧活动', channel: 'sms', body: '旧活动通知' });
      assert.equal(made.statusCode, 201, made.body);
      await page.reload();
      await page.getByTestId('template-archive-旧活动').click();
      await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
      await expectHidden(page.getByTestId('template-row-旧活动'));
      await eventually(async () => {
        const row = await db().selectFrom('message_templates').select('archived_at').where('workspace_id', '=', workspaceId).where('name', '=', '旧活动').executeTakeFirstOrThrow();
        assert.ok(row.archived_at, 'the template was not archived');
      });
      await page.getByTestId('templates-show-archived').click();
      await expectText(page.getByTestId('template-row-旧活动'), '已归档');
    });
  });

  it('explains on the customer profile why each message was not sent, and where the customer is in a journey', async () => {
    const rows = await ledger();
    await suite.withPage('messaging-profile', async (page) => {
      await signInThroughUi(page, users.operator.email, undefined, `/customers/${ids.hong}`);
      const capped = rows.find((r) => r.customer_id === ids.hong && r.reason === 'capped_daily')!;
      await expectText(page.getByTestId(`customer-message-why-${capped.id}`), '原因：今日已达频控上限');
      await expectText(page.getByTestId(`customer-message-status-${capped.id}`), '未发送');
      const sent = rows.filter((r) => r.customer_id === ids.hong && r.status === 'sent');
      assert.equal(sent.length, 2);
      for (const r of sent) assert.equal(await page.getByTestId(`customer-message-why-${r.id}`).count(), 0);
      await expectText(page.getByTestId('customer-messages-summary'), '已发送 2');
      await page.getByTestId('customer-journeys').waitFor();

      await page.goto(`/customers/${ids.qiang}`);
      const refused = rows.find((r) => r.customer_id === ids.qiang)!;
      await expectText(page.getByTestId(`customer-message-why-${refused.id}`), '原因：客户已退订');

      // Where a customer is in a journey, and why.
      await page.goto(`/customers/${ids.jun}`);
      const entry = page.getByTestId(`customer-journey-${journeyId}`);
      await expectText(entry, '沉睡唤醒');
      await expectText(entry, '进行中');
      await expectText(page.getByTestId(`customer-journey-why-${journeyId}`), /^(在“等待一天”等待，至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|即将执行“等待一天”)$/);
      await expectText(page.getByTestId('customer-messages'), '还没有发给此客户的消息');
    });
  });

  it('shows a viewer no send, replay or edit actions, and the area in English', async () => {
    await suite.withPage('messaging-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/messaging/dead-letters');
      await page.getByTestId(`message-row-${dead.c}`).waitFor();
      assert.equal(await page.getByTestId('replay-selected').count(), 0, 'a viewer may replay a selection');
      assert.equal(await page.getByTestId(`replay-${dead.c}`).count(), 0, 'a viewer may replay a message');
      assert.equal(await page.getByTestId(`message-row-${dead.c}`).locator('.ant-checkbox').count(), 0, 'a viewer may select dead letters');
      await page.getByTestId(`message-row-${dead.c}`).click();
      await page.getByTestId('detail-status').waitFor();
      assert.equal(await page.getByTestId('detail-replay').count(), 0, 'the details offer a viewer a replay');
      await page.keyboard.press('Escape');
      assert.equal(await page.getByTestId('messaging-tab-settings').count(), 0, 'a viewer sees the settings tab');

      await page.getByTestId('messaging-tab-templates').click();
      await page.getByTestId('template-open-生日祝福').click();
      await page.getByTestId('template-form').waitFor();
      assert.equal(await page.getByTestId('template-save').count(), 0, 'a viewer may save a template');
      assert.equal(await page.getByTestId('template-body').isDisabled(), true, 'a viewer may edit a template');
      await page.keyboard.press('Escape');
      assert.equal(await page.getByTestId('template-create').count(), 0, 'a viewer may create a template');
      assert.equal(await page.getByTestId('template-archive-生日祝福').count(), 0, 'a viewer may archive a template');

      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('messaging-tab-outbox'), 'Outbox');
      await expectText(page.getByTestId('messaging-tab-deadLetters'), 'Dead letters');
      await page.getByTestId('messaging-tab-outbox').click();
      const capped = (await ledger()).find((r) => r.reason === 'capped_daily')!;
      await expectText(page.getByTestId(`message-status-${capped.id}`), 'Not sent');
      await expectText(page.getByTestId(`message-reason-${capped.id}`), 'Daily frequency cap reached');
    });
  });
});
