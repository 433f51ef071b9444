/**
 * The mapping file format: which column of an export feeds which field of an order or a
 * customer, and how to read it. Presets in ./presets are mappings of this format; users
 * write their own for any other export. Documented in docs/import.md.
 */
import { z } from 'zod';
import { DEFAULT_DATE_FORMATS, isValidTimeZone } from './values.ts';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'completed', 'refunded', 'partially_refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
const OrderStatusSchema = z.enum(ORDER_STATUSES);

const isRegex = (p: string) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
};
const RegexSchema = z.string().min(1).refine(isRegex, 'not a valid regular expression');

/**
 * Where a value comes from: a column name (shorthand), a column with an optional regular
 * expression whose first group is the value and a default (a column with a default may be
 * absent from the file), or a constant.
 */
export const SourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ column: z.string().min(1), pattern: RegexSchema.optional(), default: z.string().optional() }),
  z.strictObject({ value: z.string() }),
]);
export type Source = z.infer<typeof SourceSchema>;

export const IdentitySchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'an identity type key such as mobile or taobao_buyer'),
  column: z.string().min(1),
  pattern: RegexSchema.optional(),
  /** Scope of scoped identity types: the WeCom corp id, the WeChat app id. */
  scope: z.string().max(100).default(''),
  verified: z.boolean().default(false),
  /** The column may be absent from the file (some exports leave it out). */
  optional: z.boolean().default(false),
  /** What to do with a value that is not a valid identity (e.g. a masked mobile 138****8888). */
  onInvalid: z.enum(['error', 'ignore']).default('error'),
});
export type IdentityMapping = z.infer<typeof IdentitySchema>;

export const SkipRuleSchema = z.strictObject({
  column: z.string().min(1),
  when: z.enum(['empty', 'equals', 'matches']),
  values: z.array(z.string()).optional(),
  pattern: RegexSchema.optional(),
  /** Shown in the summary beside the count of rows this rule skipped. */
  reason: z.string().max(200).optional(),
});
export type SkipRule = z.infer<typeof SkipRuleSchema>;

const StatusMapSchema = z.record(z.string(), OrderStatusSchema);

const Common = {
  version: z.literal(1),
  /** Values the user supplies at import time (--param name=value), used as ${name} in strings. */
  params: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}$/), z.string().max(500)).default({}),
  name: z.string().max(100).optional(),
  description: z.string().max(2000).optional(),
  timeZone: z.string().default('Asia/Shanghai').refine(isValidTimeZone, 'not an IANA time zone'),
  dateFormats: z.array(z.string().min(1)).min(1).default(DEFAULT_DATE_FORMATS),
  /** Column separator; detected from the header line when absent. */
  delimiter: z.enum([',', '\t', ';']).optional(),
  identities: z.array(IdentitySchema).min(1),
  skipRows: z.array(SkipRuleSchema).default([]),
  /** Extra columns kept as attributes: attribute key → source. */
  attributes: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/), SourceSchema).default({}),
};

const AmountsSchema = z.strictObject({
  total: SourceSchema.optional(),
  paid: SourceSchema.optional(),
  discount: SourceSchema.optional(),
  shipping: SourceSchema.optional(),
  refunded: SourceSchema.optional(),
});

export const OrdersMappingSchema = z.strictObject({
  ...Common,
  kind: z.literal('orders'),
  platform: SourceSchema,
  orderNo: SourceSchema,
  store: SourceSchema.optional(),
  currency: SourceSchema.default({ value: 'CNY' }),
  amountUnit: z.enum(['yuan', 'fen']).default('yuan'),
  amountRounding: z.enum(['exact', 'half_up']).default('exact'),
  /** true: one row per line item; rows with the same order number form one order. */
  lineItems: z.boolean().default(false),
  /** In line-item files: amount columns repeat the order's amounts ('order') or are per line and summed ('line'). */
  amountsPer: z.enum(['order', 'line']).default('order'),
  status: z
    .strictObject({
      column: z.string().min(1),
      map: StatusMapSchema,
      /** A second column (after-sales/refund state) whose mapped value, when present, wins. */
      afterSales: z.strictObject({ column: z.string().min(1), map: StatusMapSchema }).optional(),
    })
    .optional(),
  /** Status of orders when the export has no status column. */
  defaultStatus: OrderStatusSchema.default('completed'),
  times: z.strictObject({
    orderedAt: SourceSchema,
    paidAt: SourceSchema.optional(),
    shippedAt: SourceSchema.optional(),
    completedAt: SourceSchema.optional(),
    refundedAt: SourceSchema.optional(),
  }),
  amounts: AmountsSchema.default({}),
  item: z
    .strictObject({
      name: SourceSchema,
      sku: SourceSchema.optional(),
      productId: SourceSchema.optional(),
      category: SourceSchema.optional(),
      quantity: SourceSchema.optional(),
      unitPrice: SourceSchema.optional(),
      amount: SourceSchema.optional(),
    })
    .optional(),
  customer: z
    .strictObject({ name: SourceSchema.optional(), nickname: SourceSchema.optional(), province: SourceSchema.optional(), city: SourceSchema.optional() })
    .optional(),
  cancellation: z
    .strictObject({
      orderNoPrefix: z.string().min(1).optional(),
      negativeQuantity: z.boolean().default(false),
      /** What a marked order becomes: cancelled (nothing paid) or refunded (paid, then refunded). */
      as: z.enum(['cancelled', 'refunded']).default('cancelled'),
    })
    .optional(),
});
export type OrdersMapping = z.infer<typeof OrdersMappingSchema>;

export const CustomersMappingSchema = z.strictObject({
  ...Common,
  kind: z.literal('customers'),
  profile: z
    .strictObject({
      name: SourceSchema.optional(),
      nickname: SourceSchema.optional(),
      gender: z.strictObject({ column: z.string().min(1), map: z.record(z.string(), z.enum(['male', 'female', 'unknown'])) }).optional(),
      birthday: SourceSchema.optional(),
      province: SourceSchema.optional(),
      city: SourceSchema.optional(),
      email: SourceSchema.optional(),
      sourceChannel: SourceSchema.optional(),
      joinedAt: SourceSchema.optional(),
    })
    .default({}),
  tags: z.strictObject({ column: z.string().min(1), separator: z.string().min(1).default(',') }).optional(),
  /**
   * Record each row as an event of this type at profile.joinedAt (e.g. wecom.friend_added),
   * so it lands on the timeline and sets when the customer joined. Without it, rows only
   * create or update customers and identities.
   */
  event: z
    .strictObject({
      type: z.string().regex(/^([a-z_]+\.[a-z_]+|custom\.[a-z0-9][a-z0-9_.-]{0,62})$/, 'an event type such as wecom.friend_added'),
      properties: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}$/), SourceSchema).default({}),
    })
    .optional(),
});
export type CustomersMapping = z.infer<typeof CustomersMappingSchema>;

export const MappingSchema = z.discriminatedUnion('kind', [OrdersMappingSchema, CustomersMappingSchema]);
export type Mapping = z.infer<typeof MappingSchema>;
export type ImportKind = Mapping['kind'];
