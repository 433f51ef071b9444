/**
 * `siyu import` as a real process on a temporary embedded data directory: a dry run, a bad
 * row stopping everything, the import with its summary, and the same file again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSiyu } from '../../../test/support/process.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'siyu-import-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('[embedded] siyu import', () => {
  const env = { SIYU_DATA_DIR: path.join(tmp, 'data') };

  it('imports orders with a summary, stops on bad rows, and changes nothing the second time', () => {
    assert.equal(runSiyu(['user', 'create', '--email', 'ops@brand.cn', '--password', 'ops-password-1'], env).status, 0);
    const ws = runSiyu(['workspace', 'create', '--name', '品牌', '--owner', 'ops@brand.cn', '--json'], env);
    assert.equal(ws.status, 0, ws.stderr);

    const broken = runSiyu(['import', 'orders', '--file', path.join(FIXTURES, 'taobao-broken.csv'), '--mapping', 'taobao', '--errors-out', path.join(tmp, 'errors.csv')], env);
    assert.equal(broken.status, 3, broken.stderr);
    assert.match(broken.stdout, /rejected: 2 bad row\(s\); nothing was imported/);
    assert.match(broken.stdout, /taobao-broken\.csv:4 \[订单创建时间\] invalid_date/);
    assert.match(broken.stdout, /taobao-broken\.csv:8 \[订单状态\] unknown_status/);
    assert.match(broken.stderr, /reading (0|100)%/, 'plain progress lines when not a terminal');
    const report = fs.readFileSync(path.join(tmp, 'errors.csv'), 'utf8');
    assert.match(report, /^\ufefffile,line,column,value,reason,message\r\ntaobao-broken\.csv,4,订单创建时间,2024-13-45 08:00:00,invalid_date,/);

    const dry = runSiyu(['import', 'orders', '--file', path.join(FIXTURES, 'online-retail'), '--mapping', 'online-retail', '--dry-run', '--json'], env);
    assert.equal(dry.status, 0, dry.stderr);
    const d = JSON.parse(dry.stdout);
    assert.deepEqual([d.status, d.orders, d.rows, d.skippedRows, d.importId], ['dry_run', 7, 11, 2, null]);

    const done = runSiyu(['import', 'orders', '--file', path.join(FIXTURES, 'taobao-orders.gbk.csv'), '--mapping', 'taobao', '--encoding', 'gbk'], env);
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, /completed: Imported/);
    assert.match(done.stdout, /orders: {4}6 {2}\(created 6, updated 0, unchanged 0\)/);
    assert.match(done.stdout, /customers: created 5, merged 0/);

    const again = runSiyu(['import', 'orders', '--file', path.join(FIXTURES, 'taobao-orders.gbk.csv'), '--mapping', 'taobao', '--json'], env);
    assert.equal(again.status, 0, again.stderr);
    const a = JSON.parse(again.stdout);
    assert.equal(a.status, 'duplicate');
    assert.match(a.message, /Already imported .*0 changes/);
  });

  it('explains a bad mapping file by the key at fault', () => {
    const mappingFile = path.join(tmp, 'bad-mapping.json');
    fs.writeFileSync(mappingFile, JSON.stringify({ version: 1, kind: 'orders', platform: { value: 'shop' }, orderNo: '单号', times: { orderedAt: '时间' }, identities: [], amountUnit: 'cents' }));
    const r = runSiyu(['import', 'orders', '--file', path.join(FIXTURES, 'jd-orders.csv'), '--mapping', mappingFile], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /The mapping is not valid \(import\.invalid_mapping\)/);
    assert.match(r.stderr, /"field": "mapping\.amountUnit"/);
    assert.match(r.stderr, /"field": "mapping\.identities"/);
  });
});
