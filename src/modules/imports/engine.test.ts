import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../platform/errors.ts';
import { planImport, type ImportFile, type ImportPlan } from './engine.ts';
import type { ImportOrder } from './import-types.ts';
import { loadMapping, parseMapping, readPreset } from './presets.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const file = (name: string): ImportFile => ({ name, bytes: fs.readFileSync(path.join(FIXTURES, name)) });
const dir = (name: string): ImportFile[] =>
  fs
    .readdirSync(path.join(FIXTURES, name))
    .sort()
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(FIXTURES, name, f)) }));

async function plan(preset: string, files: ImportFile[], params: Record<string, string> = {}): Promise<ImportPlan> {
  return planImport(files, loadMapping(preset, params).mapping, { encoding: 'auto' });
}
const byNo = (p: ImportPlan) => new Map<string, ImportOrder>(p.orders.map((o) => [o.orderNo, o]));

describe('taobao preset', () => {
  it('reads every order of the export with status, amounts in fen, identities and the line it came from', async () => {
    const p = await plan('taobao', [file('taobao-orders.csv')]);
    assert.equal(p.fatal, false);
    assert.deepEqual(p.errors, []);
    assert.equal(p.rows, 6);
    const o = byNo(p);
    assert.deepEqual([...o.keys()], ['3712345678901234001', '3712345678901234002', '3712345678901234003', '3712345678901234004', '3712345678901234005', '3712345678901234006']);
    const first = o.get('3712345678901234001')!;
    assert.equal(first.platform, 'taobao');
    assert.equal(first.store, '澜序官方旗舰店');
    assert.equal(first.status, 'completed');
    assert.equal(first.totalFen, 19800);
    assert.equal(first.paidFen, 19800);
    assert.equal(first.orderedAt.toISOString(), '2024-03-01T02:15:30.000Z');
    assert.equal(first.completedAt?.toISOString(), '2024-03-05T01:00:00.000Z');
    assert.deepEqual(first.identities, [
      { type: 'taobao_buyer_id', scope: '', value: 'tb_小明', verified: false },
      { type: 'mobile', scope: '', value: '+8613812345678', verified: false },
    ]);
    assert.deepEqual(first.profile, { name: '王小明' });
    assert.deepEqual(first.lines, [{ file: 'taobao-orders.csv', line: 2 }]);

    assert.equal(o.get('3712345678901234002')!.status, 'pending');
    assert.equal(o.get('3712345678901234002')!.paidFen, 0);
    assert.equal(o.get('3712345678901234003')!.status, 'cancelled');
    const refunded = o.get('3712345678901234004')!;
    assert.deepEqual([refunded.status, refunded.paidFen, refunded.refundedFen], ['refunded', 29900, 29900]);
    assert.equal(refunded.lines[0]!.line, 5, 'a record with an embedded newline starts on its own line');
    const partial = o.get('3712345678901234005')!;
    assert.deepEqual([partial.status, partial.paidFen, partial.refundedFen], ['partially_refunded', 30000, 5000]);
    assert.deepEqual(partial.identities, [{ type: 'taobao_buyer_id', scope: '', value: 'tb_小明', verified: false }], 'a masked mobile is ignored');
    assert.equal(partial.lines[0]!.line, 7);
    const paid = o.get('3712345678901234006')!;
    assert.equal(paid.status, 'paid');
    assert.equal(paid.orderedAt.toISOString(), '2024-03-07T06:05:00.000Z');
  });

  it('reads the same export saved as GBK and as UTF-8 with a BOM identically', async () => {
    const utf8 = await plan('taobao', [file('taobao-orders.csv')]);
    const gbk = await plan('taobao', [file('taobao-orders.gbk.csv')]);
    const bom = await plan('taobao', [file('taobao-orders.bom.csv')]);
    assert.equal(gbk.files[0]!.encoding, 'gb18030');
    assert.equal(bom.files[0]!.encoding, 'utf8-bom');
    assert.equal(utf8.files[0]!.encoding, 'utf8');
    const strip = (p: ImportPlan) => p.orders.map(({ lines: _lines, ...o }) => o);
    assert.deepEqual(strip(gbk), strip(utf8));
    assert.deepEqual(strip(bom), strip(utf8));
    const forced = await planImport([file('taobao-orders.gbk.csv')], loadMapping('taobao').mapping, { encoding: 'gbk' });
    assert.deepEqual(strip(forced), strip(utf8));
  });

  it('reports every bad row of a broken export with its line, column and reason', async () => {
    const p = await plan('taobao', [file('taobao-broken.csv')]);
    assert.equal(p.badRows, 2);
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.column, e.reason]),
      [
        [4, '订单创建时间', 'invalid_date'],
        [8, '订单状态', 'unknown_status'],
      ],
    );
    assert.match(p.errors[1]!.message, /已付款待审核/);
    assert.equal(p.orders.length, 4, 'the good rows are still planned (written only with --skip-bad-rows)');
  });

  it('stops at a header that lacks a mapped column, naming it', async () => {
    const bytes = Buffer.from(fs.readFileSync(path.join(FIXTURES, 'taobao-orders.csv'), 'utf8').replace('订单状态', '交易状态'));
    const p = await plan('taobao', [{ name: 'x.csv', bytes }]);
    assert.equal(p.fatal, true);
    assert.deepEqual(p.errors.map((e) => [e.line, e.column, e.reason]), [[1, '订单状态', 'missing_column']]);
  });
});

describe('line-item presets', () => {
  it('jd: groups the rows of one order and takes its amounts once', async () => {
    const p = await plan('jd', [file('jd-orders.csv')]);
    assert.deepEqual(p.errors, []);
    const o = byNo(p);
    assert.equal(o.size, 3);
    const a = o.get('280001')!;
    assert.equal(a.items.length, 2);
    assert.deepEqual(a.items.map((i) => [i.lineNo, i.sku, i.quantity, i.unitPriceFen, i.amountFen]), [
      [1, '100012345', 2, 9900, 19800],
      [2, '100012346', 1, 0, 0],
    ]);
    assert.deepEqual([a.status, a.totalFen, a.shippingFen, a.paidFen], ['completed', 20600, 800, 20600]);
    assert.deepEqual(a.lines.map((l) => l.line), [2, 3]);
    assert.equal(o.get('280002')!.status, 'cancelled');
    assert.equal(o.get('280002')!.paidFen, 0);
    assert.equal(o.get('280003')!.status, 'shipped');
  });

  it('douyin: a refunded sub-order makes the order partially refunded by its amount', async () => {
    const p = await plan('douyin', [file('douyin-orders.csv')]);
    assert.deepEqual(p.errors, []);
    const a = byNo(p).get('6912340001')!;
    assert.deepEqual([a.status, a.totalFen, a.paidFen, a.refundedFen], ['partially_refunded', 19880, 19880, 7980]);
    assert.deepEqual(a.identities, [{ type: 'douyin_buyer_id', scope: '', value: 'dy_u_1001', verified: false }]);
    assert.deepEqual(a.profile, { name: '吴*', province: '浙江省', city: '杭州市' });
    assert.equal(byNo(p).get('6912340002')!.status, 'paid');
  });

  it('youzan: after-sales refunds win over the order state; buyer mobiles are verified', async () => {
    const p = await plan('youzan', [file('youzan-orders.csv')]);
    assert.deepEqual(p.errors, []);
    const o = byNo(p);
    const a = o.get('E20240601000001')!;
    assert.deepEqual([a.status, a.totalFen, a.paidFen, a.items.length], ['completed', 15900, 15900, 2]);
    const r = o.get('E20240602000002')!;
    assert.deepEqual([r.status, r.paidFen, r.refundedFen], ['refunded', 19900, 19900]);
    assert.deepEqual(r.identities, [
      { type: 'mobile', scope: '', value: '+8613811110002', verified: true },
      { type: 'mobile', scope: '', value: '+8613811110003', verified: false },
    ]);
    assert.equal(o.get('E20240603000003')!.items[0]!.amountFen, 11970);
  });

  it('rejects a whole order when one of its lines names another customer', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'jd-orders.csv'), 'utf8').replace('赠品,8.00', '赠品,8.00').split('\n');
    text[2] = text[2]!.replace('jd_buyer_001', 'jd_buyer_999');
    const p = await plan('jd', [{ name: 'jd.csv', bytes: Buffer.from(text.join('\n')) }]);
    assert.deepEqual(
      p.errors.map((e) => [e.line, e.reason]),
      [
        [2, 'order_has_bad_row'],
        [3, 'conflicting_order'],
      ],
    );
    assert.equal(p.rejectedOrders, 1);
    assert.deepEqual(p.orders.map((o) => o.orderNo), ['280002', '280003']);
  });
});

describe('online-retail preset (UCI shape)', () => {
  it('imports a directory as one import: cancellations, skipped rows, orders spanning files, sub-penny prices', async () => {
    const p = await plan('online-retail', dir('online-retail'));
    assert.deepEqual(p.errors, []);
    assert.equal(p.rows, 11);
    assert.equal(p.skippedRows, 2);
    assert.deepEqual(p.skipped, [{ reason: 'no CustomerID', count: 2 }]);
    const o = byNo(p);
    assert.deepEqual([...o.keys()], ['536365', '536366', '536367', 'C536379', 'C536383', '536999', '537001']);
    const a = o.get('536365')!;
    assert.deepEqual([a.platform, a.currency, a.status, a.totalFen, a.paidFen], ['online_retail', 'GBP', 'completed', 3564, 3564]);
    assert.deepEqual(a.identities, [{ type: 'member_card', scope: '', value: '17850', verified: false }]);
    assert.equal(a.orderedAt.toISOString(), '2010-12-01T08:26:00.000Z');
    assert.equal(a.paidAt?.toISOString(), '2010-12-01T08:26:00.000Z');
    const c = o.get('C536379')!;
    assert.deepEqual([c.status, c.totalFen, c.paidFen, c.items[0]!.quantity], ['cancelled', 2750, 0, 1]);
    const spanning = o.get('536999')!;
    assert.deepEqual(spanning.lines, [
      { file: '2010-12-01.csv', line: 10 },
      { file: '2010-12-02.csv', line: 2 },
    ]);
    assert.deepEqual(spanning.items.map((i) => i.amountFen), [630, 0]);
    assert.equal(spanning.store, 'France');
    assert.equal(o.get('536366')!.items[0]!.name, 'HAND WARMER, UNION JACK');
  });

  it('keeps an invoice worth nothing (free samples) as a paid order, paid when ordered', async () => {
    const p = await plan('online-retail', [file('online-retail-free.csv')]);
    assert.deepEqual(p.errors, []);
    const free = byNo(p).get('543599')!;
    assert.deepEqual([free.status, free.totalFen, free.paidFen], ['completed', 0, 0]);
    assert.equal(free.paidAt?.toISOString(), free.orderedAt.toISOString());
  });
});

describe('wecom-customers preset', () => {
  it('needs the corp id, and names the parameter', async () => {
    await assert.rejects(plan('wecom-customers', [file('wecom-customers.csv')]), (err: unknown) => {
      assert.ok(isAppError(err));
      assert.equal(err.code, 'import.missing_param');
      assert.deepEqual((err.details as { field: string }[]).map((d) => d.field), ['params.corpId']);
      return true;
    });
  });

  it('reads customers with scoped external ids, a mobile from the remark, tags and the friend-added event', async () => {
    const p = await plan('wecom-customers', [file('wecom-customers.csv')], { corpId: 'ww0001' });
    assert.deepEqual(p.errors, []);
    assert.equal(p.customers.length, 4);
    const [a, b, tom, chen] = p.customers;
    assert.deepEqual(a!.identities, [
      { type: 'wecom_external_userid', scope: 'ww0001', value: 'wmAAAA0001', verified: false },
      { type: 'mobile', scope: '', value: '+8613812345678', verified: false },
    ]);
    assert.deepEqual(a!.tags, ['VIP', '老客户']);
    assert.deepEqual(a!.profile, { name: '王姐', gender: 'female', sourceChannel: '扫描渠道二维码', joinedAt: new Date('2024-01-05T02:00:00Z') });
    assert.deepEqual(a!.event, {
      type: 'wecom.friend_added',
      occurredAt: new Date('2024-01-05T02:00:00Z'),
      properties: { corpId: 'ww0001', staffName: '张三', staffUserId: 'zhangsan', remark: '王姐 13812345678' },
    });
    assert.equal(b!.event!.properties.staffName, '李四');
    assert.equal(tom!.profile.gender, 'male');
    assert.equal(tom!.profile.joinedAt?.toISOString(), '2024-03-01T01:30:00.000Z');
    assert.equal(chen!.identities.length, 1);
  });
});

describe('mapping files', () => {
  it('names the bad key of an invalid mapping', () => {
    const raw = readPreset('taobao') as { status: { map: Record<string, string> }; colour?: string };
    raw.status.map['交易成功'] = 'done';
    raw.colour = 'red';
    assert.throws(() => parseMapping(raw), (err: unknown) => {
      assert.ok(isAppError(err));
      assert.equal(err.code, 'import.invalid_mapping');
      const fields = (err.details as { field: string; reason: string }[]).map((d) => `${d.field}:${d.reason}`);
      assert.ok(fields.includes('mapping.colour:unknown_field'), fields.join(' '));
      assert.ok(fields.some((f) => f.startsWith('mapping.status.map.交易成功:')), fields.join(' '));
      return true;
    });
  });

  it('rejects an unknown preset with the list of presets', () => {
    assert.throws(() => loadMapping('tmall-2019'), /No preset "tmall-2019"; presets: douyin, jd, online-retail, taobao, wecom-customers, youzan/);
  });

  it('validates every shipped preset', () => {
    for (const name of ['taobao', 'jd', 'douyin', 'youzan', 'online-retail']) assert.equal(loadMapping(name).mapping.kind, 'orders');
    assert.equal(loadMapping('wecom-customers', { corpId: 'ww1' }).mapping.kind, 'customers');
  });
});
