import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { buildTestApp, ManualClock, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';
import { DEFAULT_SETTINGS } from './settings.ts';

const NOW = new Date('2025-06-01T04:00:00Z');

const REMOVE = Symbol('remove');

/** A deep copy of the defaults with values set (or removed) at dotted paths. */
function settingsWith(...changes: [path: string, value: unknown][]): Record<string, unknown> {
  const copy = structuredClone(DEFAULT_SETTINGS) as unknown as Record<string, unknown>;
  for (const [path, value] of changes) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, copy);
    if (value === REMOVE) delete parent[keys.at(-1)!];
    else parent[keys.at(-1)!] = value;
  }
  return copy;
}

describeEachDatabase('scoring API: settings, recompute, transitions, bad input and workspaces', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let otherWs: string;
  let owner: Client;
  let operator: Client;
  let viewer: Client;
  let outsider: Client;
  let customerId: number;

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock: new ManualClock(NOW) }));
    const seeded = await seedWorkspace(siyu, ['owner', 'operator', 'viewer']);
    ws = seeded.workspaceId;
    owner = await signIn(app, seeded.users.owner.email, ws);
    operator = await signIn(app, seeded.users.operator.email, ws);
    viewer = await signIn(app, seeded.users.viewer.email, ws);
    const other = await seedWorkspace(siyu, ['owner']);
    otherWs = other.workspaceId;
    outsider = await signIn(app, other.users.owner.email, otherWs);
    const order = await owner.put('/api/v1/orders/taobao/S-1', {
      status: 'paid',
      statusAt: '2025-05-20T10:00:00+08:00',
      orderedAt: '2025-05-20T09:58:00+08:00',
      paidAt: '2025-05-20T10:00:00+08:00',
      totalFen: 29900,
      items: [{ productId: 'p-1', name: '面霜', quantity: 1, unitPriceFen: 29900, amountFen: 29900 }],
      identities: [{ type: 'wechat_unionid', value: 'u-score' }],
    });
    assert.ok([200, 201].includes(order.statusCode), order.body);
    customerId = order.json().customerId as number;
  });
  after(async () => app?.close());

  const settingsOf = async (client: Client) => {
    const res = await client.get('/api/v1/scoring/settings');
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { settings: unknown; isDefault: boolean; updatedBy: string | null };
  };
  const runCount = async (workspaceId: string) =>
    Number((await siyu.db.selectFrom('scoring_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n);

  it('refuses bad settings with 400 naming the field, and keeps the settings and the runs as they were', async () => {
    const runsBefore = await runCount(ws);
    const cases: [Record<string, unknown>, string][] = [
      [settingsWith(['rfm.window', 'd45']), 'rfm.window'],
      [settingsWith(['rfm.method', 'median']), 'rfm.method'],
      [settingsWith(['rfm.thresholds.recencyDays', [30, 20, 90, 180]]), 'rfm.thresholds.recencyDays'],
      [settingsWith(['rfm.thresholds.frequency', [2, 3, 5]]), 'rfm.thresholds.frequency'],
      [settingsWith(['rfm.thresholds.monetaryFen', [0, 30_000, 100_000, 300_000]]), 'rfm.thresholds.monetaryFen[0]'],
      [settingsWith(['rfm.highFrom.r', 6]), 'rfm.highFrom.r'],
      [settingsWith(['rfm.highFrom.f', 2.5]), 'rfm.highFrom.f'],
      [settingsWith(['lifecycle.primary', 'rfm']), 'lifecycle.primary'],
      [settingsWith(['lifecycle.days.growthMaxDays', 20]), 'lifecycle.days'],
      [settingsWith(['lifecycle.stage.churnedAfterDays', 60]), 'lifecycle.stage.churnedAfterDays'],
      [settingsWith(['lifecycle.stage.silentAfterDays', -1]), 'lifecycle.stage.silentAfterDays'],
      [settingsWith(['lifecycle.business.vipMinOrders', 2]), 'lifecycle.business.vipMinOrders'],
      [settingsWith(['lifecycle.business.vipMinOrders', null], ['lifecycle.business.vipMinAmountFen', null]), 'lifecycle.business'],
      [settingsWith(['consumptionTier.mediumFromFen', 300_000]), 'consumptionTier.mediumFromFen'],
      [settingsWith(['consumptionTier.period', 'all']), 'consumptionTier.period'],
      [settingsWith(['schedule.nightlyHour', 24]), 'schedule.nightlyHour'],
      [settingsWith(['valueLayer.potentialMinInteractions', 0]), 'valueLayer.potentialMinInteractions'],
      [settingsWith(['valueLayer.colour', 'gold']), 'valueLayer.colour'],
      [settingsWith(['schedule', REMOVE]), 'schedule'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.put('/api/v1/scoring/settings', body);
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      const error = res.json().error as { code: string; details: { field: string; reason: string }[] };
      assert.equal(error.code, 'validation_failed');
      assert.ok(error.details.some((d) => d.field === field), `expected a detail on ${field}, got ${JSON.stringify(error.details)}`);
    }
    const now = await settingsOf(owner);
    assert.equal(now.isDefault, true, 'nothing was saved');
    assert.deepEqual(now.settings, JSON.parse(JSON.stringify(DEFAULT_SETTINGS)));
    assert.equal(await runCount(ws), runsBefore, 'no recompute was queued');
    assert.equal(await siyu.db.selectFrom('scoring_settings').select('workspace_id').where('workspace_id', '=', ws).executeTakeFirst(), undefined);
  });

  it('lets only owners and admins change the settings, and operators but not viewers queue a recompute', async () => {
    const good = settingsWith(['schedule.nightlyHour', 3]);
    assert.equal((await operator.put('/api/v1/scoring/settings', good)).statusCode, 403);
    assert.equal((await viewer.put('/api/v1/scoring/settings', good)).statusCode, 403);
    assert.equal((await settingsOf(viewer)).isDefault, true);

    const runsBefore = await runCount(ws);
    const forbidden = await viewer.post('/api/v1/scoring/recompute');
    assert.deepEqual([forbidden.statusCode, forbidden.json().error.code], [403, 'auth.forbidden']);
    assert.equal(await runCount(ws), runsBefore, 'the viewer queued nothing');

    const queued = await operator.post('/api/v1/scoring/recompute');
    assert.equal(queued.statusCode, 202, queued.body);
    const run = queued.json().run as { id: string; status: string; trigger: string };
    assert.deepEqual([run.status, run.trigger, queued.json().created], ['queued', 'manual', true]);
    const again = await operator.post('/api/v1/scoring/recompute');
    assert.deepEqual([again.json().run.id, again.json().created], [run.id, false], 'one queued run at a time');
    await siyu.scoring.recompute.run({ workspaceId: ws, runId: run.id });
    const done = await viewer.get(`/api/v1/scoring/runs/${run.id}`);
    assert.deepEqual([done.json().status, done.json().customers], ['completed', 1]);

    const saved = await owner.put('/api/v1/scoring/settings', good);
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual([saved.json().isDefault, saved.json().settings.schedule.nightlyHour, saved.json().run.trigger], [false, 3, 'settings']);
  });

  it('refuses transitions with bad dates or a reversed range with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2025-13-01&to=2025-06-01', 'query.from'],
      ['from=2025-02-30&to=2025-06-01', 'query.from'],
      ['from=2025-05-01&to=yesterday', 'query.to'],
      ['from=2025-05-01', 'query.to'],
      ['from=2025-05-01T00:00:00Z&to=2025-06-01', 'query.from'],
      ['from=2025-05-01&to=2025-06-01&dimension=rfm', 'query.dimension'],
      ['from=2025-05-01&to=2025-06-01&extra=1', 'query.extra'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/v1/scoring/transitions', '/api/v1/scoring/transitions/customers']) {
        const res = await viewer.get(`${path}?${query}`);
        assert.equal(res.statusCode, 400, `${path}?${query}: ${res.body}`);
        assert.equal(res.json().error.code, 'validation_failed');
        assert.ok(res.json().error.details.some((d: { field: string }) => d.field === field), `${path}?${query}: ${res.body}`);
      }
    }
    for (const path of ['/api/v1/scoring/transitions', '/api/v1/scoring/transitions/customers']) {
      const reversed = await viewer.get(`${path}?from=2025-06-01&to=2025-05-01`);
      assert.equal(reversed.statusCode, 400, reversed.body);
      assert.equal(reversed.json().error.code, 'scoring.invalid_range');
      assert.equal(reversed.json().error.details[0].field, 'from');
    }
    const limit = await viewer.get('/api/v1/scoring/transitions/customers?from=2025-05-01&to=2025-06-01&limit=500');
    assert.deepEqual([limit.statusCode, limit.json().error.details[0].field], [400, 'query.limit']);
    const ok = await viewer.get('/api/v1/scoring/transitions?from=2025-05-01&to=2025-06-01');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().moved, 1, 'the customer scored since the first day moved from no class to one');
  });

  it("keeps workspaces apart: another workspace's runs, customers, scores and settings are not reachable", async () => {
    const run = (await viewer.get('/api/v1/scoring/runs')).json().items[0] as { id: string };
    assert.ok(run, 'a run exists in the first workspace');
    const res = await outsider.get(`/api/v1/scoring/runs/${run.id}`);
    assert.deepEqual([res.statusCode, res.json().error.code], [404, 'scoring_run.not_found']);
    assert.deepEqual((await outsider.get('/api/v1/scoring/runs')).json().items, []);
    const score = await outsider.get(`/api/v1/scoring/customers/${customerId}`);
    assert.deepEqual([score.statusCode, score.json().error.code], [404, 'customer.not_found']);
    assert.ok((await viewer.get(`/api/v1/scoring/customers/${customerId}`)).json().current, 'scored in its own workspace');

    const moved = await outsider.get('/api/v1/scoring/transitions?from=2025-05-01&to=2025-06-01');
    assert.deepEqual([moved.json().moved, moved.json().cells], [0, []]);
    const cell = (await viewer.get('/api/v1/scoring/transitions?from=2025-05-01&to=2025-06-01')).json().cells.find((c: { from: string | null }) => c.from === null);
    const query = `from=2025-05-01&to=2025-06-01&toValue=${cell.to}`;
    assert.deepEqual((await viewer.get(`/api/v1/scoring/transitions/customers?${query}`)).json().items.map((c: { customerId: number }) => c.customerId), [customerId]);
    assert.deepEqual((await outsider.get(`/api/v1/scoring/transitions/customers?${query}`)).json().items, []);
    assert.equal((await outsider.get('/api/v1/scoring/rfm')).json().totalCustomers, 0);

    const theirs = await outsider.put('/api/v1/scoring/settings', settingsWith(['lifecycle.primary', 'stage']));
    assert.equal(theirs.statusCode, 200, theirs.body);
    assert.equal(((await settingsOf(viewer)).settings as { lifecycle: { primary: string } }).lifecycle.primary, 'days', 'the first workspace keeps its settings');
    assert.equal(((await settingsOf(outsider)).settings as { lifecycle: { primary: string } }).lifecycle.primary, 'stage');
    assert.equal(await runCount(otherWs), 1);
  });
});
