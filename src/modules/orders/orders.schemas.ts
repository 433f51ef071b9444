import { z } from 'zod';
import { IdentityInputSchema, ProfileTraitsSchema } from '../events/events.schemas.ts';

/** Lines per order: a wholesale invoice can run to hundreds of lines (the UCI data's largest has 542). */
export const MAX_ORDER_ITEMS = 2000;

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'completed', 'refunded', 'partially_refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const instant = z.iso.datetime({ offset: true });

export const OrderItemSchema = z.strictObject({
  lineNo: z.number().int().min(1).max(10_000).optional(),
  sku: z.string().max(100).optional(),
  productId: z.string().max(100).optional(),
  name: z.string().trim().min(1).max(200),
  category: z.string().max(100).optional(),
  quantity: z.number().int().min(1).max(1_000_000),
  unitPriceFen: fen,
  amountFen: fen,
  refundedQuantity: z.number().int().min(0).optional(),
});

/** The full state of an order as of statusAt (PUT replaces the stored state unless older). */
export const OrderBodySchema = z.strictObject({
  store: z.string().max(100).optional(),
  status: z.enum(ORDER_STATUSES),
  statusAt: instant.describe('When the order reached this status; an older update never overwrites a newer one'),
  orderedAt: instant,
  currency: z.literal('CNY').optional(),
  totalFen: fen,
  discountFen: fen.optional(),
  shippingFen: fen.optional(),
  paidFen: fen.optional().describe('Defaults to totalFen once paid'),
  refundedFen: fen.optional().describe('Cumulative; defaults to paidFen when status is refunded'),
  paidAt: instant.optional(),
  shippedAt: instant.optional(),
  completedAt: instant.optional(),
  refundedAt: instant.optional(),
  items: z.array(OrderItemSchema).max(MAX_ORDER_ITEMS).optional(),
  identities: z.array(IdentityInputSchema).min(1).max(20),
  profile: ProfileTraitsSchema.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type OrderBody = z.output<typeof OrderBodySchema>;

export const OrderParamsSchema = z.strictObject({
  platform: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/, 'lowercase platform key, e.g. taobao, jd, douyin, youzan, mall'),
  orderNo: z.string().min(1).max(100),
});

/** The batch form (imports): the order's key travels with its body. */
export const OrderUpsertSchema = OrderBodySchema.extend(OrderParamsSchema.shape);
export type OrderUpsertInput = z.output<typeof OrderUpsertSchema>;

export const OrderOutcomeSchema = z.object({
  index: z.number().int(),
  platform: z.string().nullable(),
  orderNo: z.string().nullable(),
  status: z.enum(['created', 'updated', 'unchanged', 'stale', 'rejected']),
  orderId: z.number().int().optional(),
  customerId: z.number().int().optional(),
  events: z.array(z.string()).optional(),
  field: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type OrderOutcome = z.output<typeof OrderOutcomeSchema>;
