/** HTTP contracts of the segments module (zod only; the console imports these). */
import { z } from 'zod';
import { CustomerSummarySchema } from '../customers/customers.schemas.ts';
import { RuleSchema } from './segments.schemas.ts';

export { CustomerSummarySchema };

export const SegmentIdParamsSchema = z.strictObject({ segmentId: z.uuid() });
export const CustomerIdParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const name = z.string().trim().min(1).max(100);
const description = z.string().trim().max(1000).nullable();
const status = z.enum(['active', 'paused']).describe('active: membership kept current; paused: frozen until resumed');

export const CreateSegmentBodySchema = z.strictObject({
  name,
  description: description.optional(),
  rule: RuleSchema,
  status: status.default('active'),
});
export type CreateSegmentBody = z.output<typeof CreateSegmentBodySchema>;

export const PatchSegmentBodySchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  rule: RuleSchema.optional(),
  status: status.optional(),
});
export type PatchSegmentBody = z.output<typeof PatchSegmentBodySchema>;

export const SegmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rule: RuleSchema,
  status: z.enum(['active', 'paused']),
  isTimeRelative: z.boolean().describe('Re-evaluated after every local midnight'),
  memberCount: z.number().int(),
  lastChangeAt: z.date().nullable().describe('The last entry or exit'),
  evaluatedAt: z.date().nullable().describe('The last full evaluation; null while the first one runs'),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SegmentView = z.output<typeof SegmentSchema>;

export const SegmentListQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional().describe('Name contains'),
  status: z.enum(['active', 'paused']).optional(),
});
export const SegmentListSchema = z.object({ items: z.array(SegmentSchema) });

export const RuleBodySchema = z.strictObject({ rule: RuleSchema });
export const ValidateResultSchema = z.object({
  valid: z.literal(true),
  rule: RuleSchema.describe('The rule with defaults filled in'),
  isTimeRelative: z.boolean(),
  conditions: z.number().int(),
});

export const PreviewBodySchema = z.strictObject({
  rule: RuleSchema,
  sampleSize: z.number().int().min(0).max(50).default(10),
});
export const PreviewResultSchema = z.object({
  count: z.number().int(),
  sample: z.array(CustomerSummarySchema).describe('The newest matching customers'),
  tookMs: z.number().int(),
});

export const PreviewCustomersBodySchema = z.strictObject({
  rule: RuleSchema,
  cursor: z.number().int().positive().optional().describe('nextCursor of the previous page'),
  limit: z.number().int().min(1).max(200).default(50),
});
export const CustomerPageSchema = z.object({ items: z.array(CustomerSummarySchema), nextCursor: z.number().int().nullable() });

export const PageQuerySchema = z.strictObject({
  cursor: z.coerce.number().int().positive().optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MemberSchema = CustomerSummarySchema.extend({ enteredAt: z.date() });
export const MemberPageSchema = z.object({ items: z.array(MemberSchema), nextCursor: z.number().int().nullable() });

export const HistoryQuerySchema = PageQuerySchema.extend({ change: z.enum(['entered', 'exited']).optional() });
export const HistoryItemSchema = z.object({
  id: z.number().int(),
  segmentId: z.string(),
  segmentName: z.string(),
  customerId: z.number().int(),
  customerName: z.string().nullable(),
  change: z.enum(['entered', 'exited']),
  at: z.date(),
  cause: z.string().describe('change, schedule, reconcile, rule or rebuild'),
});
export const HistoryPageSchema = z.object({ items: z.array(HistoryItemSchema), nextCursor: z.number().int().nullable() });

export const CustomerSegmentsSchema = z.object({
  current: z.array(z.object({ segmentId: z.string(), name: z.string(), enteredAt: z.date() })),
  history: z.array(HistoryItemSchema),
});

export const RebuildBodySchema = z.strictObject({
  segmentId: z.uuid().optional().describe('One segment; default every active segment'),
  dryRun: z.boolean().default(false).describe('Compute and compare only'),
});
export const RebuildResultSchema = z.object({
  segments: z.number().int(),
  customers: z.number().int().describe('Customers whose facts were refreshed'),
  members: z.number().int().describe('Members after the rebuild'),
  entered: z.number().int().describe('Customers the live membership lacked'),
  exited: z.number().int().describe('Customers the live membership held wrongly'),
  seconds: z.number(),
});
export type RebuildResult = z.output<typeof RebuildResultSchema>;

export const TagMembersBodySchema = z.strictObject({ tagId: z.uuid() });
export const TagMembersResultSchema = z.object({ requested: z.number().int(), changed: z.number().int(), unchanged: z.number().int(), skipped: z.number().int() });

export const OkSchema = z.object({ ok: z.literal(true) });
