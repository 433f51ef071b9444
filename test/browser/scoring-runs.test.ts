/**
 * The recompute runs on the RFM tab: a recompute asked for in the console appears at once,
 * waits queued until the worker takes it, and is followed to its end without reloading the
 * page, with the customers it scored, what it wrote and where its time went; a full recompute
 * reads every customer. The worker runs the recompute jobs, as in production.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { systemContext } from '../../src/platform/http/context.ts';
import { newId } from '../../src/platform/ids.ts';
import type { Role } from '../../src/modules/access/index.ts';
import { seedWorkspace, type TestUser } from '../support/app.ts';
import { describeBrowser, eventually, expectHidden, expectText, signInThroughUi } from './harness.ts';

/** Buyers the test creates: every one of them is scored by a full recompute. */
const CUSTOMERS = 7;

const PHASES_ZH: Record<string, string> = { find: '查找', read: '读取', score: '打分', write: '写入', announce: '通知', distribution: '分布' };
const PHASES_EN: Record<string, string> = { find: 'find', read: 'read', score: 'score', write: 'write', announce: 'announce', distribution: 'distribution' };

/** `2025-03-01 20:15:09` in the time zone, as the console shows times. */
function localTime(at: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const p of format.formatToParts(at)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describeBrowser('console recompute runs', (suite) => {
  let workspaceId: string;
  let users: Record<Role, TestUser>;
  let timeZone: string;

  before(async () => {
    const { siyu } = suite.server();
    const seeded = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = seeded.workspaceId;
    users = seeded.users;
    timeZone = (await siyu.db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirstOrThrow()).time_zone;
    const orders = [];
    for (let p = 0; p < CUSTOMERS; p++) {
      for (let k = 0; k <= p % 3; k++) {
        const at = new Date(Date.now() - (p * 11 + k * 3 + 1) * 86_400_000).toISOString();
        orders.push({ platform: 'taobao', orderNo: `R${p}-${k}`, status: 'completed', statusAt: at, orderedAt: at, paidAt: at, totalFen: 8_000 + p * 6_000, identities: [{ type: 'wechat_unionid', value: `runs-${p}` }] });
      }
    }
    const r = await siyu.orders.upsertOrders(systemContext(workspaceId, 'test'), orders);
    assert.equal(r.rejected, 0);
    assert.equal(Number((await sql<{ n: string }>`select count(*) as n from customers where workspace_id = ${workspaceId}`.execute(siyu.db)).rows[0]!.n), CUSTOMERS);
  });
  after(async () => {
    await suite.server().siyu.jobs.stop(5000);
  });

  /** The run a press of a recompute button created: the newest manual run not in `known`. */
  async function newManualRun(known: Set<string>) {
    const { siyu } = suite.server();
    const id = await eventually(async () => {
      const rows = await siyu.db.selectFrom('scoring_runs').select('id').where('workspace_id', '=', workspaceId).where('trigger', '=', 'manual').execute();
      const fresh = rows.map((row) => row.id).filter((runId) => !known.has(runId));
      assert.equal(fresh.length, 1, 'one new manual run');
      return fresh[0]!;
    });
    known.add(id);
    return id;
  }

  const getRun = (runId: string) => suite.server().siyu.scoring.recompute.getRun(systemContext(workspaceId, 'test'), runId);

  /** Waits until the row shows the run completed, then checks every figure against the stored run. */
  async function expectCompleted(page: Page, runId: string, labels: { completed: string; phases: Record<string, string>; ms: string; seconds: string; modes: Record<string, string> }) {
    const row = page.getByTestId(`run-row-${runId}`);
    await expectText(row.getByTestId('run-status'), labels.completed, 60_000);
    const run = await getRun(runId);
    assert.equal(run.status, 'completed');
    assert.ok(run.mode, 'a finished run has a mode');
    assert.ok(run.timings && Object.keys(run.timings).length > 0, `timings of a finished run: ${JSON.stringify(run.timings)}`);
    assert.ok(run.seconds !== null);
    await expectText(row.getByTestId('run-mode'), labels.modes[run.mode]!);
    assert.equal((await row.getByTestId('run-customers').innerText()).trim(), run.customers.toLocaleString('zh-CN'));
    assert.equal((await row.getByTestId('run-changed').innerText()).trim(), run.changed.toLocaleString('zh-CN'));
    assert.equal((await row.getByTestId('run-class-changed').innerText()).trim(), run.classChanged.toLocaleString('zh-CN'));
    assert.equal((await row.getByTestId('run-seconds').innerText()).trim(), `${run.seconds.toLocaleString('zh-CN')}${labels.seconds}`);
    // Every phase the server timed, in its order, with its milliseconds.
    const timings = Object.entries(run.timings).map(([phase, ms]) => `${labels.phases[phase]} ${ms.toLocaleString('zh-CN')}${labels.ms}`).join(' · ');
    assert.equal((await row.getByTestId('run-timings').innerText()).trim(), timings);
    assert.equal((await row.getByTestId('run-requested-at').innerText()).trim(), localTime(run.createdAt, timeZone));
    return run;
  }

  const ZH = { completed: '已完成', phases: PHASES_ZH, ms: ' 毫秒', seconds: ' 秒', modes: { full: '全量', changes: '按变化' } };
  const EN = { completed: 'Completed', phases: PHASES_EN, ms: ' ms', seconds: ' s', modes: { full: 'Full', changes: 'By changes' } };

  it('shows a recompute queued at once, follows it to its end, and shows what each run scored, wrote and timed', async () => {
    const { siyu } = suite.server();
    const known = new Set<string>();
    await suite.withPage('scoring-runs', async (page) => {
      await signInThroughUi(page, users.owner.email, undefined, '/segments/rfm');
      const card = page.getByTestId('recompute-runs');
      await expectText(card, '最近的重算');
      await expectText(page.getByTestId('runs-empty'), '还没有重算记录');
      await expectText(page.getByTestId('rfm-as-of'), '尚未计算');

      // No worker yet: the run the button asks for is listed at once, queued, and the card keeps looking.
      await page.getByTestId('rfm-recompute').click();
      const first = await newManualRun(known);
      const firstRow = page.getByTestId(`run-row-${first}`);
      await expectText(firstRow.getByTestId('run-status'), '排队中');
      await expectText(firstRow.getByTestId('run-trigger'), '手动');
      await expectText(firstRow, users.owner.email);
      assert.equal((await firstRow.getByTestId('run-customers').innerText()).trim(), '—');
      await expectText(page.getByTestId('runs-refreshing'), '进行中，自动刷新');
      assert.equal(await page.getByTestId('runs-empty').count(), 0);

      // The worker takes the job; the page, untouched, shows the run completed.
      await siyu.jobs.work();
      const firstRun = await expectCompleted(page, first, ZH);
      assert.equal(firstRun.mode, 'full', 'the first scoring of a workspace reads every customer');
      assert.equal(firstRun.customers, CUSTOMERS);
      assert.equal((await firstRow.getByTestId('run-customers').innerText()).trim(), String(CUSTOMERS));
      assert.equal(firstRun.changed, CUSTOMERS, 'every customer got their first scores');
      assert.ok('read' in firstRun.timings! && 'write' in firstRun.timings!, JSON.stringify(firstRun.timings));
      await expectText(firstRow.getByTestId('run-timings'), `读取 ${firstRun.timings!.read!.toLocaleString('zh-CN')} 毫秒`);
      // Nothing is pending any more: the card stops refreshing, and the matrix shows the new scores.
      await expectHidden(page.getByTestId('runs-refreshing'));
      await expectText(page.getByTestId('rfm-summary'), `共 ${CUSTOMERS} 位客户`);
      await expectText(page.getByTestId('rfm-as-of'), '最近一次全量计算');

      // The worker also handles the seeded customers' change messages (one may ask for a full run
      // while the first one runs): wait for them, so the runs below are only the ones pressed for.
      await eventually(async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'scoring.customers-changed' and data->>'workspaceId' = ${workspaceId} and state in ('created', 'retry', 'active')`.execute(siyu.db);
        assert.equal(rows[0]!.n, 0);
      }, 30_000);

      // A full recompute, explained on hover, reads every customer again.
      await page.getByTestId('rfm-recompute-full').hover();
      await expectText(page.locator('.ant-tooltip'), '读取每一位客户重新打分');
      await page.getByTestId('rfm-recompute-full').click();
      const full = await newManualRun(known);
      const fullRun = await expectCompleted(page, full, ZH);
      assert.equal(fullRun.mode, 'full');
      assert.equal(fullRun.customers, CUSTOMERS);
      await expectText(page.getByTestId(`run-row-${full}`).getByTestId('run-mode'), '全量');
      assert.equal((await page.getByTestId(`run-row-${full}`).getByTestId('run-customers').innerText()).trim(), String(CUSTOMERS));
      assert.equal(fullRun.changed, 0, 'nothing changed since the first run');

      // The usual recompute re-scores only the customers whose scores could have moved.
      await page.getByTestId('rfm-recompute').click();
      const byChanges = await newManualRun(known);
      const changesRun = await expectCompleted(page, byChanges, ZH);
      assert.equal(changesRun.mode, 'changes');
      assert.ok('find' in changesRun.timings!, JSON.stringify(changesRun.timings));
      await expectText(page.getByTestId(`run-row-${byChanges}`).getByTestId('run-mode'), '按变化');
      await expectText(page.getByTestId(`run-row-${byChanges}`).getByTestId('run-timings'), `查找 ${changesRun.timings!.find!.toLocaleString('zh-CN')} 毫秒`);
      await expectHidden(page.getByTestId('runs-refreshing'));

      // Newest first.
      const order = await card.locator('[data-testid^="run-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('run-row-'.length)));
      assert.deepEqual(order.filter((id) => known.has(id)), [byChanges, full, first]);

      // In English.
      await page.getByTestId('language-en').click();
      await expectText(card, 'Recompute runs');
      await expectText(page.getByTestId('rfm-recompute-full'), 'Full recompute');
      await expectText(page.getByTestId(`run-row-${first}`).getByTestId('run-trigger'), 'Manual');
      await expectCompleted(page, first, EN);
      await expectCompleted(page, byChanges, EN);
    });
  });

  it('shows a failed run with its error, and offers no recompute to a viewer', async () => {
    const { siyu } = suite.server();
    const failedId = newId();
    const started = new Date(Date.now() - 3 * 3_600_000);
    await siyu.db
      .insertInto('scoring_runs')
      .values({ workspace_id: workspaceId, id: failedId, trigger: 'schedule', status: 'failed', error: 'abandoned: the process running it stopped', created_at: started, started_at: started, finished_at: new Date(started.getTime() + 3_600_000) })
      .execute();
    await suite.withPage('scoring-runs-viewer', async (page) => {
      await signInThroughUi(page, users.viewer.email, undefined, '/segments/rfm');
      const row = page.getByTestId(`run-row-${failedId}`);
      await expectText(row.getByTestId('run-status'), '失败');
      await expectText(row.getByTestId('run-error'), 'abandoned: the process running it stopped');
      await expectText(row.getByTestId('run-trigger'), '每晚定时');
      assert.equal((await row.getByTestId('run-customers').innerText()).trim(), '—');
      assert.equal((await row.getByTestId('run-timings').innerText()).trim(), '—');
      // The viewer sees every run but cannot ask for one.
      assert.equal(await page.getByTestId('recompute-runs').locator('[data-testid^="run-row-"]').count(), (await siyu.db.selectFrom('scoring_runs').select('id').where('workspace_id', '=', workspaceId).execute()).length);
      assert.equal(await page.getByTestId('rfm-recompute').count(), 0);
      assert.equal(await page.getByTestId('rfm-recompute-full').count(), 0);
    });
  });
});
