/**
 * Orders: orders and their items, upserted idempotently (PUT /api/v1/orders/{platform}/{orderNo}
 * and the batch form imports use). Status changes and refunds become order.* events; the
 * order aggregates of the affected customers are recomputed in the same transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import { registerOrdersRoutes } from './orders.routes.ts';
import { createOrdersService, type OrdersDeps } from './orders.service.ts';

export type { OrdersDeps, UpsertOptions, ValidOrder } from './orders.service.ts';
export { validateOrder, MAX_ORDERS_PER_BATCH } from './orders.service.ts';
export { MAX_ORDER_ITEMS, ORDER_STATUSES, OrderUpsertSchema, type OrderUpsertInput, type OrderOutcome, type OrderStatus } from './orders.schemas.ts';

export function createOrdersModule(deps: OrdersDeps) {
  const service = createOrdersService(deps);
  return {
    service,
    /** Batch upsert with per-order outcomes; one transaction, one audit entry (unless audit: false). */
    upsertOrders: service.upsertOrders,
    /** For all-or-nothing imports: write validated orders inside the caller's transaction. */
    upsertValidInTransaction: service.upsertValidInTransaction,
    mergeParticipant: service.mergeParticipant,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerOrdersRoutes(app, authenticator, service);
    },
  };
}

export type OrdersModule = ReturnType<typeof createOrdersModule>;
