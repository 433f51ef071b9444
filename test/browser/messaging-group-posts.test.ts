/**
 * The group posts page: every post to a group with its status and, for anything not sent, the
 * reason in plain words, as the group post ledger holds them (sent, held in quiet hours,
 * blocked by the advertising law, missing a variable, withdrawn by a stopped source); the
 * status filter; English labels.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Role } from '../../src/modules/access/index.ts';
import { DEFAULT_SETTINGS, type GroupPostRequest, type MessagingSettings } from '../../src/modules/messaging/index.ts';
import { systemContext } from '../../src/platform/http/context.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectText, signInThroughUi } from './harness.ts';

const STATUS = {
  zh: { sent: '已发送', held: '等待发送', suppressed: '未发送', cancelled: '已撤回' },
  en: { sent: 'Sent', held: 'Held', suppressed: 'Not sent', cancelled: 'Withdrawn' },
} as const;

/** `HH:MM` of a moment in a time zone, with the date in front when it is not today there. */
function localTime(at: Date, timeZone: string): string {
  const fmt = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const when = fmt(at);
  return when.slice(0, 10) === fmt(new Date()).slice(0, 10) ? when.slice(11, 16) : when.slice(0, 16);
}

type Row = { id: string; status: string; reason: string | null; reason_detail: unknown; release_at: Date | null };

/** What the console must say for a stored post, derived here from its reason and detail. */
function expectedReason(row: Row, timeZone: string, lang: 'zh' | 'en'): string | null {
  const d = (row.reason_detail ?? {}) as Record<string, unknown>;
  const zh = lang === 'zh';
  switch (row.reason) {
    case null: return null;
    case 'quiet_hours': return zh ? `免打扰时段，将于 ${localTime(row.release_at!, timeZone)} 发送` : `Quiet hours; will send at ${localTime(row.release_at!, timeZone)}`;
    case 'template_error': return zh ? `缺少变量：${(d.variables as string[]).join('、')}` : `Missing variables: ${(d.variables as string[]).join(', ')}`;
    case 'adlaw_blocked': return zh ? `含广告法禁用词：${(d.words as string[]).join('、')}` : `Contains banned advertising terms: ${(d.words as string[]).join(', ')}`;
    case 'cancelled': return zh ? '已被来源撤回（如旅程已停止）' : 'Withdrawn by its source (e.g. the journey stopped)';
    default: return assert.fail(`no expectation for reason ${row.reason}`);
  }
}

describeBrowser('console group posts', (suite) => {
  let workspaceId: string;
  let timeZone: string;
  let users: Record<Role, TestUser>;

  const db = () => suite.server().siyu.db;
  const stored = () =>
    db().selectFrom('group_posts').select(['id', 'idempotency_key', 'group_id', 'status', 'reason', 'reason_detail', 'release_at']).where('workspace_id', '=', workspaceId).orderBy('idempotency_key').execute();
  const settings = (patch: Partial<MessagingSettings>): MessagingSettings => ({ ...DEFAULT_SETTINGS, adLaw: { ...DEFAULT_SETTINGS.adLaw, useDictionary: false }, ...patch });
  const post = (key: string, groupId: string, text: string, sourceId = 'sop-day'): GroupPostRequest => ({
    idempotencyKey: `test:${key}`, groupId, content: { text }, source: { kind: 'sop', id: sourceId, version: 1, step: 'post' },
  });

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    timeZone = (await db().selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirstOrThrow()).time_zone;
    const ctx = systemContext(workspaceId, 'test');
    const postAll = (posts: GroupPostRequest[]) => db().transaction().execute((trx) => siyu.messaging.postToGroups(trx, workspaceId, posts));

    await siyu.messaging.settings.put(ctx, settings({ quietHours: { enabled: false, start: '22:00', end: '08:00' } }));
    await postAll([
      post('sent', 'wr-morning', '早安☀️ 今日福利：{benefit|9.9 元秒杀}'),
      post('blocked', 'wr-morning', '国家级品质，群内专享'),
      post('missing', 'wr-evening', '今日赠品：{gift}'),
    ]);
    // Quiet hours around now: the next posts are held until they end; one source then stops.
    const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + ms));
    await siyu.messaging.settings.put(ctx, settings({ quietHours: { enabled: true, start: hhmm(-3_600_000), end: hhmm(2 * 3_600_000) } }));
    await postAll([post('held', 'wr-evening', '晚安🌙'), post('withdrawn', 'wr-live', '直播预告', 'sop-live')]);
    await db().transaction().execute((trx) => siyu.messaging.cancelPending(trx, workspaceId, { sourceKind: 'sop', sourceId: 'sop-live' }));

    const rows = await stored();
    assert.deepEqual(rows.map((r) => [r.idempotency_key, r.status, r.reason]), [
      ['test:blocked', 'suppressed', 'adlaw_blocked'], ['test:held', 'held', 'quiet_hours'], ['test:missing', 'suppressed', 'template_error'],
      ['test:sent', 'sent', null], ['test:withdrawn', 'cancelled', 'cancelled'],
    ]);
  });

  it('shows every post with its status and, for anything not sent, the reason in plain words, as the ledger holds them', async () => {
    const rows = await stored();
    await suite.withPage('group-posts', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/messaging');
      await page.getByTestId('messaging-tab-groupPosts').click();
      await page.getByTestId('group-posts').waitFor();
      assert.match(page.url(), /\/messaging\/group-posts/);
      for (const row of rows) {
        await expectText(page.getByTestId(`group-post-status-${row.id}`), STATUS.zh[row.status as keyof typeof STATUS.zh]);
        await expectText(page.getByTestId(`group-post-group-${row.id}`), row.group_id);
        const reason = expectedReason(row, timeZone, 'zh');
        if (reason === null) assert.equal(await page.getByTestId(`group-post-reason-${row.id}`).count(), 0, `post ${row.id} has no reason but shows one`);
        else assert.equal(await page.getByTestId(`group-post-reason-${row.id}`).innerText(), reason);
      }

      // Filter by status: only the posts not sent remain.
      await page.getByTestId('group-filter-status').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: STATUS.zh.suppressed }).first().click();
      const suppressed = rows.filter((r) => r.status === 'suppressed');
      await eventually(async () => assert.equal(await page.locator('[data-testid^="group-post-row-"]').count(), suppressed.length));
      for (const r of suppressed) await page.getByTestId(`group-post-row-${r.id}`).waitFor();
      assert.match(page.url(), /status=suppressed/);
      await page.getByTestId('group-filter-clear').click();
      await eventually(async () => assert.equal(await page.locator('[data-testid^="group-post-row-"]').count(), rows.length));
    });
  });

  it('a viewer reads the page, in English too', async () => {
    const rows = await stored();
    await suite.withPage('group-posts-en', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/messaging/group-posts');
      await page.getByTestId('group-posts').waitFor();
      await page.getByTestId('language-en').click();
      await expectText(page.getByTestId('messaging-tab-groupPosts'), 'Group posts');
      await expectText(page.getByTestId('group-posts').locator('.ant-card-head-title'), 'Group posts');
      for (const row of rows) {
        await expectText(page.getByTestId(`group-post-status-${row.id}`), STATUS.en[row.status as keyof typeof STATUS.en]);
        const reason = expectedReason(row, timeZone, 'en');
        if (reason !== null) assert.equal(await page.getByTestId(`group-post-reason-${row.id}`).innerText(), reason);
      }
    });
  });
});
