import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid, notFound } from '../../platform/errors.ts';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { OrdersService } from './orders.service.ts';
import { OrderBodySchema, OrderOutcomeSchema, OrderParamsSchema, ORDER_STATUSES } from './orders.schemas.ts';

const BatchResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  stale: z.number().int(),
  rejected: z.number().int(),
  results: z.array(OrderOutcomeSchema),
});

const OrderViewSchema = z.object({
  id: z.number().int(),
  platform: z.string(),
  orderNo: z.string(),
  store: z.string().nullable(),
  customerId: z.number().int(),
  status: z.enum(ORDER_STATUSES),
  statusAt: z.date(),
  orderedAt: z.date(),
  paidAt: z.date().nullable(),
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  refundedFen: z.number().int(),
  items: z.array(z.object({ lineNo: z.number().int(), sku: z.string().nullable(), name: z.string(), quantity: z.number().int(), unitPriceFen: z.number().int(), amountFen: z.number().int() })),
});

export function registerOrdersRoutes(app: FastifyInstance, authenticator: Authenticator, orders: OrdersService): void {
  defineRoute(app, authenticator, {
    method: 'PUT',
    url: '/api/v1/orders/:platform/:orderNo',
    auth: { kind: 'workspace', permission: 'orders.write', apiKey: true },
    summary: 'Create or update an order (idempotent; an update older than the stored status time changes nothing)',
    tags: ['orders'],
    params: OrderParamsSchema,
    body: OrderBodySchema,
    response: { 200: OrderOutcomeSchema },
    handler: async ({ ctx, params, body }) => {
      const result = await orders.upsertOrders(ctx, [{ ...body, ...params }], { source: ctx.actor.type === 'api_key' ? 'api' : 'console' });
      const outcome = result.results[0]!;
      if (outcome.status === 'rejected') {
        throw invalid('order.invalid', outcome.message ?? 'The order is not valid', [{ field: outcome.field ?? '', reason: outcome.reason ?? 'invalid' }]);
      }
      return outcome;
    },
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/orders/batch',
    auth: { kind: 'workspace', permission: 'orders.write', apiKey: true },
    summary: 'Create or update up to 1,000 orders; each is created, updated, unchanged, stale or rejected',
    tags: ['orders'],
    body: z.strictObject({ orders: z.array(z.record(z.string(), z.unknown())).min(1) }),
    response: { 200: BatchResultSchema },
    bodyLimit: 16 * 1024 * 1024,
    handler: ({ ctx, body }) => orders.upsertOrders(ctx, body.orders, { source: ctx.actor.type === 'api_key' ? 'api' : 'console' }),
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/orders/:platform/:orderNo',
    auth: { kind: 'workspace', permission: 'customers.read', apiKey: true },
    summary: 'An order with its items',
    tags: ['orders'],
    params: OrderParamsSchema,
    response: { 200: OrderViewSchema },
    handler: async ({ ctx, params }) => {
      const o = await orders.getOrder(ctx, params.platform, params.orderNo);
      if (!o) throw notFound('order.not_found', 'Order not found');
      return {
        id: o.id,
        platform: o.platform,
        orderNo: o.order_no,
        store: o.store,
        customerId: o.customer_id,
        status: o.status as (typeof ORDER_STATUSES)[number],
        statusAt: o.status_at,
        orderedAt: o.ordered_at,
        paidAt: o.paid_at,
        totalFen: o.total_fen,
        paidFen: o.paid_fen,
        refundedFen: o.refunded_fen,
        items: o.items.map((i) => ({ lineNo: i.line_no, sku: i.sku, name: i.name, quantity: i.quantity, unitPriceFen: i.unit_price_fen, amountFen: i.amount_fen })),
      };
    },
  });
}
