import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { describeEachDatabase } from '../../platform/db/testing.ts';
import { apiKeyClient, buildTestApp, ManualClock, seedWorkspace, signIn } from '../../../test/support/app.ts';
import type { Siyu } from '../../composition.ts';

const NOW = new Date('2025-06-01T04:00:00Z');

const order = (over: Record<string, unknown> = {}) => ({
  store: 'flagship',
  status: 'paid',
  statusAt: '2025-05-20T10:00:00+08:00',
  orderedAt: '2025-05-20T09:58:00+08:00',
  totalFen: 25800,
  items: [
    { sku: 'SERUM-30', name: '精华 30ml', quantity: 1, unitPriceFen: 19800, amountFen: 19800 },
    { sku: 'MASK-5', name: '面膜 5 片', quantity: 2, unitPriceFen: 3000, amountFen: 6000 },
  ],
  identities: [{ type: 'taobao_buyer_id', value: 'tb-buyer-1' }, { type: 'mobile', value: '13900139000', verified: true }],
  ...over,
});

describeEachDatabase('orders API', ({ database }) => {
  let app: FastifyInstance;
  let siyu: Siyu;
  let ws: string;
  let api: ReturnType<typeof apiKeyClient>;
  const clock = new ManualClock(NOW);

  before(async () => {
    ({ app, siyu } = await buildTestApp(database(), { clock }));
    const seeded = await seedWorkspace(siyu, ['owner']);
    ws = seeded.workspaceId;
    const owner = await signIn(app, seeded.users.owner.email, ws);
    const key = await owner.post('/api/v1/api-keys', { name: 'shop', scopes: ['orders.write', 'customers.read'] });
    api = apiKeyClient(app, key.json().token);
  });
  after(async () => app?.close());

  const orderEvents = (orderNo: string) =>
    siyu.db.selectFrom('events').select(['client_id', 'type', 'properties']).where('workspace_id', '=', ws).where('client_id', 'like', `order:taobao:${orderNo}:%`).orderBy('id').execute();
  const stats = (customerId: number) =>
    siyu.db.selectFrom('customer_stats').selectAll().where('workspace_id', '=', ws).where('customer_id', '=', customerId).executeTakeFirstOrThrow();

  it('creates a paid order with items, an order.paid event and the customer aggregates', async () => {
    const res = await api.put('/api/v1/orders/taobao/T1001', order());
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.equal(out.status, 'created');
    assert.deepEqual(out.events, ['order.paid']);
    const s = await stats(out.customerId);
    assert.deepEqual([s.paid_order_count, s.paid_amount_fen, s.orders_30d, s.amount_30d_fen, s.orders_365d], [1, 25800, 1, 25800, 1]);
    assert.equal(s.first_order_at?.toISOString(), '2025-05-20T02:00:00.000Z');
    assert.equal(s.windows_valid_until?.toISOString(), '2025-06-19T02:00:00.000Z');
    const got = (await api.get('/api/v1/orders/taobao/T1001')).json();
    assert.equal(got.items.length, 2);
    assert.equal(got.paidFen, 25800);
  });

  it('changes nothing when the same body arrives twice', async () => {
    const again = (await api.put('/api/v1/orders/taobao/T1001', order())).json();
    assert.equal(again.status, 'unchanged');
    assert.equal((await orderEvents('T1001')).length, 1);
  });

  it('records shipping and refunds as events with the refund delta, net of refunds in the aggregates', async () => {
    const shipped = (await api.put('/api/v1/orders/taobao/T1001', order({ status: 'shipped', statusAt: '2025-05-21T10:00:00+08:00', paidAt: '2025-05-20T10:00:00+08:00' }))).json();
    assert.deepEqual([shipped.status, shipped.events], ['updated', ['order.shipped']]);
    const partial = order({ status: 'partially_refunded', statusAt: '2025-05-25T10:00:00+08:00', paidAt: '2025-05-20T10:00:00+08:00', refundedFen: 6000 });
    const refunded = (await api.put('/api/v1/orders/taobao/T1001', partial)).json();
    assert.deepEqual(refunded.events, ['order.refunded']);
    const evs = await orderEvents('T1001');
    assert.deepEqual(evs.map((e) => e.type), ['order.paid', 'order.shipped', 'order.refunded']);
    assert.equal((evs[2]!.properties as { refundFen: number }).refundFen, 6000);
    const s = await stats(refunded.customerId);
    assert.deepEqual([s.paid_order_count, s.paid_amount_fen, s.refunded_amount_fen, s.amount_30d_fen], [1, 19800, 6000, 19800]);
    // Shipped milestone kept though the refund body did not repeat it.
    const row = await siyu.db.selectFrom('orders').select(['shipped_at', 'status']).where('workspace_id', '=', ws).where('order_no', '=', 'T1001').executeTakeFirstOrThrow();
    assert.equal(row.status, 'partially_refunded');
    assert.ok(row.shipped_at);
  });

  it('does not let an older update overwrite newer state', async () => {
    const stale = (await api.put('/api/v1/orders/taobao/T1001', order({ status: 'completed', statusAt: '2025-05-22T10:00:00+08:00', paidAt: '2025-05-20T10:00:00+08:00' }))).json();
    assert.equal(stale.status, 'stale');
    const row = await siyu.db.selectFrom('orders').select(['status', 'completed_at']).where('workspace_id', '=', ws).where('order_no', '=', 'T1001').executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.completed_at], ['partially_refunded', null]);
  });

  it('rejects inconsistent amounts with the field and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ refundedFen: 30000, status: 'partially_refunded', paidAt: '2025-05-20T10:00:00+08:00' }, 'refundedFen', 'exceeds_paid'],
      [{ totalFen: -5 }, 'totalFen', 'too_small'],
      [{ status: 'shipped', paidAt: undefined }, 'paidAt', 'required'],
      [{ status: 'refunded', refundedFen: 100, paidAt: '2025-05-20T10:00:00+08:00' }, 'refundedFen', 'inconsistent'],
      [{ statusAt: '2025-13-01T00:00:00+08:00' }, 'statusAt', 'invalid_format'],
    ];
    for (const [over, field, reason] of cases) {
      const res = await api.put('/api/v1/orders/taobao/T-BAD', order(over));
      assert.equal(res.statusCode, 400, JSON.stringify(over));
      const d = res.json().error.details[0];
      assert.deepEqual([d.field, d.reason], [field, reason], JSON.stringify(res.json()));
    }
    assert.equal((await api.get('/api/v1/orders/taobao/T-BAD')).statusCode, 404);
  });

  it('upserts a batch with per-order outcomes; the same order twice keeps the newest state', async () => {
    const res = await api.post('/api/v1/orders/batch', {
      orders: [
        { platform: 'jd', orderNo: 'J1', ...order({ identities: [{ type: 'jd_buyer_id', value: 'jd-1' }] }) },
        { platform: 'jd', orderNo: 'J1', ...order({ identities: [{ type: 'jd_buyer_id', value: 'jd-1' }], status: 'completed', statusAt: '2025-05-28T10:00:00+08:00', paidAt: '2025-05-20T10:00:00+08:00' }) },
        { platform: 'jd', orderNo: 'J2', ...order({ totalFen: 'x' }) },
        { platform: 'jd', orderNo: 'J3', ...order({ status: 'pending', identities: [{ type: 'jd_buyer_id', value: 'jd-1' }] }) },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json().results as { status: string; customerId?: number }[];
    assert.deepEqual(r.map((x) => x.status), ['stale', 'created', 'rejected', 'created']);
    assert.equal(r[1]!.customerId, r[3]!.customerId);
    const s = await stats(r[1]!.customerId!);
    assert.equal(s.paid_order_count, 1, 'a pending order is not a paid order');
  });
});
