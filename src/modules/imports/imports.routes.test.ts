/**
 * The console's import flow over HTTP: upload a raw CSV, preview with a preset, start, the
 * worker's job runs it, progress and counts by polling, the error report as CSV; another
 * workspace's import is 404.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import type { Siyu } from '../../composition.ts';
import { buildTestApp, seedWorkspace, signIn, type Client } from '../../../test/support/app.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const csv = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

describeEachDatabase('imports HTTP API', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let owner: Client;
  let outsider: Client;
  let workspaceId: string;

  const upload = (client: Client, name: string, extra = '') =>
    client.request('POST', `/api/v1/imports?fileName=${encodeURIComponent(name)}${extra}`, csv(name), { 'content-type': 'text/csv' });

  async function waitFor(client: Client, id: string, done: (body: { status: string }) => boolean) {
    for (let i = 0; i < 300; i++) {
      const res = await client.get(`/api/v1/imports/${id}`);
      if (done(res.json())) return res.json();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }

  before(async () => {
    ({ app, siyu } = await buildTestApp(database()));
    await siyu.jobs.work();
    const ws = await seedWorkspace(siyu, ['owner', 'viewer']);
    workspaceId = ws.workspaceId;
    owner = await signIn(app, ws.users.owner.email, workspaceId);
    const other = await seedWorkspace(siyu, ['owner']);
    outsider = await signIn(app, other.users.owner.email, other.workspaceId);
  });
  after(async () => {
    await siyu?.jobs.stop(5000);
    await app?.close();
  });

  it('lists the presets with the parameters they need', async () => {
    const res = await owner.get('/api/v1/imports/presets');
    assert.equal(res.statusCode, 200);
    const wecom = res.json().items.find((p: { name: string }) => p.name === 'wecom-customers');
    assert.equal(wecom.kind, 'customers');
    assert.ok(wecom.params.corpId);
  });

  it('uploads, previews, runs in the worker, shows progress and serves the error report', async () => {
    const up = await upload(owner, 'taobao-broken.csv');
    assert.equal(up.statusCode, 201, up.body);
    const id = up.json().id as string;
    assert.equal(up.json().status, 'uploaded');
    assert.deepEqual(up.json().files, [{ name: 'taobao-broken.csv', bytes: csv('taobao-broken.csv').length }]);

    const preview = await owner.post(`/api/v1/imports/${id}/preview`, { mapping: 'taobao', limit: 2 });
    assert.equal(preview.statusCode, 200, preview.body);
    const p = preview.json();
    assert.equal(p.orders.length, 2);
    assert.equal(p.orders[0].orderNo, '3712345678901234001');
    assert.deepEqual(p.errors.map((e: { line: number; reason: string }) => [e.line, e.reason]), [
      [4, 'invalid_date'],
      [8, 'unknown_status'],
    ]);

    // All or nothing by default: the run is rejected and stores nothing.
    const start = await owner.post(`/api/v1/imports/${id}/start`, { mapping: 'taobao' });
    assert.equal(start.statusCode, 202, start.body);
    const rejected = await waitFor(owner, id, (b) => !['queued', 'running'].includes(b.status));
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.errorCount, 2);
    const orders = await siyu.db.selectFrom('orders').select('id').where('workspace_id', '=', workspaceId).execute();
    assert.equal(orders.length, 0);

    // Started again with skip-bad-rows: the good rows are stored.
    const again = await owner.post(`/api/v1/imports/${id}/start`, { mapping: 'taobao', skipBadRows: true });
    assert.equal(again.statusCode, 202);
    const done = await waitFor(owner, id, (b) => b.status === 'completed');
    assert.deepEqual([done.ordersDone, done.ordersTotal, done.rowsTotal, done.summary.ordersCreated], [4, 4, 6, 4]);

    const report = await owner.get(`/api/v1/imports/${id}/errors.csv`);
    assert.equal(report.statusCode, 200);
    assert.match(String(report.headers['content-type']), /^text\/csv/);
    const lines = report.body.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines[0], 'file,line,column,value,reason,message');
    assert.match(lines[1]!, /^taobao-broken\.csv,4,订单创建时间,2024-13-45 08:00:00,invalid_date,/);
    assert.equal(lines.length, 3);

    const list = await owner.get('/api/v1/imports?limit=5');
    assert.equal(list.json().items[0].id, id);

    const audit = await owner.get(`/api/v1/audit-log?targetId=${id}`);
    const actions = audit.json().items.map((a: { action: string }) => a.action);
    for (const a of ['import.upload', 'import.start', 'import.rejected', 'import.completed']) assert.ok(actions.includes(a), `${a} not audited: ${actions}`);
  });

  it('refuses a body that is not a raw file, and a mapping error names the key', async () => {
    const json = await owner.post('/api/v1/imports?fileName=x.csv', { not: 'a file' });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json().error.code, 'import.raw_body_required');
    const id = (await upload(owner, 'jd-orders.csv')).json().id;
    const bad = await owner.post(`/api/v1/imports/${id}/preview`, { mapping: { version: 1, kind: 'orders', platform: 'x' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'import.invalid_mapping');
    assert.ok(bad.json().error.details.some((d: { field: string }) => d.field === 'mapping.orderNo'));
    const unknown = await owner.post(`/api/v1/imports/${id}/start`, { mapping: 'tmall-2019' });
    assert.equal(unknown.json().error.code, 'import.unknown_preset');
    assert.equal((await owner.get(`/api/v1/imports/${id}`)).json().status, 'uploaded', 'a refused start changes nothing');
  });

  it("answers 404 for another workspace's import", async () => {
    const id = (await upload(owner, 'jd-orders.csv')).json().id;
    for (const [method, url, body] of [
      ['GET', `/api/v1/imports/${id}`, undefined],
      ['GET', `/api/v1/imports/${id}/errors.csv`, undefined],
      ['POST', `/api/v1/imports/${id}/preview`, { mapping: 'jd' }],
      ['POST', `/api/v1/imports/${id}/start`, { mapping: 'jd' }],
    ] as const) {
      const res = await outsider.request(method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'import.not_found');
    }
    const add = await outsider.request('POST', `/api/v1/imports?fileName=jd-orders.csv&importId=${id}`, csv('jd-orders.csv'), { 'content-type': 'text/csv' });
    assert.equal(add.statusCode, 404);
    assert.equal((await owner.get(`/api/v1/imports/${id}`)).json().fileCount, 1);
  });
});
