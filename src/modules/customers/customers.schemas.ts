/** HTTP contracts of the customers module (zod only; the console imports these). */
import { z } from 'zod';

export const CustomerIdParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const ListCustomersQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional().describe('Name or nickname contains'),
  phone: z.string().trim().min(4).max(30).optional().describe('A full number, a masked form 138****8888, or the last four digits'),
  identityType: z.string().max(60).optional(),
  identityScope: z.string().max(100).optional(),
  identityValue: z.string().max(200).optional(),
  attribute: z.string().regex(/^[a-z][a-z0-9_]{0,40}=.{0,200}$/, 'key=value').optional().describe('A custom attribute equal to a value, key=value'),
  owner: z.uuid().optional(),
  consent: z.enum(['granted', 'denied', 'unknown']).optional(),
  sourceChannel: z.string().max(100).optional(),
  cursor: z.coerce.number().int().positive().optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCustomersQuery = z.output<typeof ListCustomersQuerySchema>;

export const CustomerSummarySchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  nickname: z.string().nullable(),
  mobile: z.string().nullable().describe('Masked (138****8888) unless the caller holds customers.pii'),
  gender: z.string(),
  city: z.string().nullable(),
  consentStatus: z.string(),
  sourceChannel: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  joinedAt: z.date().nullable(),
  paidOrderCount: z.number().int(),
  paidAmountFen: z.number().int(),
  lastInteractionAt: z.date().nullable(),
  createdAt: z.date(),
});

export const CustomerPageSchema = z.object({ items: z.array(CustomerSummarySchema), nextCursor: z.number().int().nullable() });

const WindowSchema = z.object({ orders: z.number().int(), amountFen: z.number().int() });

export const CustomerStatsSchema = z.object({
  firstOrderAt: z.date().nullable(),
  lastOrderAt: z.date().nullable(),
  paidOrderCount: z.number().int(),
  paidAmountFen: z.number().int(),
  refundedAmountFen: z.number().int(),
  windows: z.object({ d30: WindowSchema, d90: WindowSchema, d180: WindowSchema, d365: WindowSchema }).describe('Exact at the time of the request'),
  firstInteractionAt: z.date().nullable(),
  lastInteractionAt: z.date().nullable(),
  interactionCount: z.number().int(),
  daysSinceJoined: z.number().int().nullable().describe('Calendar days in the workspace time zone'),
});

export const IdentityViewSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  scope: z.string(),
  value: z.string(),
  verified: z.boolean(),
  source: z.string().nullable(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
});

export const ConsentViewSchema = z.object({
  id: z.number().int(),
  purpose: z.string(),
  channel: z.string(),
  status: z.string(),
  source: z.string().nullable(),
  recordedAt: z.date(),
});

export const CustomerProfileSchema = z.object({
  id: z.number().int(),
  mergedInto: z.number().int().nullable().describe('Set when this customer was merged away: the surviving customer'),
  name: z.string().nullable(),
  nickname: z.string().nullable(),
  gender: z.string(),
  birthday: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  consentStatus: z.string(),
  consentUpdatedAt: z.date().nullable(),
  sourceChannel: z.string().nullable(),
  sourceLure: z.string().nullable(),
  ownerUserId: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  joinedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  identities: z.array(IdentityViewSchema),
  consents: z.array(ConsentViewSchema),
  stats: CustomerStatsSchema.nullable(),
});
export type CustomerProfile = z.output<typeof CustomerProfileSchema>;

export const PatchCustomerBodySchema = z.strictObject({
  name: z.string().trim().max(100).nullable().optional(),
  nickname: z.string().trim().max(100).nullable().optional(),
  gender: z.enum(['male', 'female', 'unknown']).optional(),
  birthday: z.iso.date().nullable().optional(),
  province: z.string().trim().max(50).nullable().optional(),
  city: z.string().trim().max(50).nullable().optional(),
  sourceChannel: z.string().trim().max(100).nullable().optional(),
  sourceLure: z.string().trim().max(100).nullable().optional(),
  ownerUserId: z.uuid().nullable().optional(),
  attributes: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).optional().describe('Custom attributes by key; null removes one'),
});
export type PatchCustomerBody = z.output<typeof PatchCustomerBodySchema>;

export const NoteBodySchema = z.strictObject({ body: z.string().trim().min(1).max(5000) });
export const NoteSchema = z.object({ id: z.string(), customerId: z.number().int(), body: z.string(), authorUserId: z.string().nullable(), createdAt: z.date() });

export const ConsentBodySchema = z.strictObject({
  status: z.enum(['granted', 'denied']),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/).default('marketing'),
  channel: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/).default('all'),
  source: z.string().max(100).optional(),
  recordedAt: z.iso.datetime({ offset: true }).optional(),
});

export const TimelineQuerySchema = z.strictObject({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const TimelineItemSchema = z.object({
  kind: z.enum(['event', 'note', 'consent', 'merge', 'unmerge']),
  at: z.date(),
  id: z.string(),
  type: z.string().nullable(),
  data: z.unknown(),
});
export const TimelinePageSchema = z.object({ items: z.array(TimelineItemSchema), nextCursor: z.string().nullable() });

export const MergeBodySchema = z.strictObject({ otherId: z.number().int().positive().describe('The customer merged into this one'), note: z.string().max(500).optional() });
export const MergeResultSchema = z.object({ mergeId: z.string(), survivorId: z.number().int(), mergedId: z.number().int() });
export const MergeIdParamsSchema = z.strictObject({ mergeId: z.uuid() });
export const UndoResultSchema = z.object({ mergeId: z.string(), survivorId: z.number().int(), restoredId: z.number().int() });

export const ReviewQuerySchema = z.strictObject({
  status: z.enum(['open', 'merged', 'dismissed']).default('open'),
  kind: z.enum(['strong_conflict', 'weak_link']).optional(),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const ReviewCustomerSchema = z.object({ id: z.number().int(), name: z.string().nullable(), nickname: z.string().nullable(), mobile: z.string().nullable(), mergedInto: z.number().int().nullable() });
export const ReviewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  customerA: ReviewCustomerSchema,
  customerB: ReviewCustomerSchema,
  details: z.unknown(),
  createdAt: z.date(),
  decidedAt: z.date().nullable(),
});
export const ReviewPageSchema = z.object({ items: z.array(ReviewSchema), nextCursor: z.string().nullable() });
export const ReviewIdParamsSchema = z.strictObject({ reviewId: z.uuid() });
export const ResolveReviewBodySchema = z.strictObject({
  action: z.enum(['merge', 'dismiss']),
  survivorId: z.number().int().positive().optional().describe('For merge: which of the two survives (default: the older)'),
});

const labels = { labelZh: z.string().trim().min(1).max(50), labelEn: z.string().trim().min(1).max(50) };
export const IdentityTypeSchema = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  strength: z.enum(['strong', 'weak', 'strong_if_verified']),
  isScoped: z.boolean(),
  normalizer: z.enum(['trim', 'lowercase', 'mobile', 'email']),
  isBuiltin: z.boolean(),
});
export const CreateIdentityTypeBodySchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/),
  ...labels,
  strength: z.enum(['strong', 'weak', 'strong_if_verified']),
  isScoped: z.boolean().default(false),
  normalizer: z.enum(['trim', 'lowercase', 'mobile', 'email']).default('trim'),
});
export const TypeKeyParamsSchema = z.strictObject({ typeKey: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/) });
export const PatchLabelsBodySchema = z.strictObject({ labelZh: labels.labelZh.optional(), labelEn: labels.labelEn.optional() });

export const AttributeDefinitionSchema = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: z.enum(['string', 'number', 'boolean', 'date', 'enum']),
  options: z.array(z.string()),
});
export const CreateAttributeBodySchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/),
  ...labels,
  type: z.enum(['string', 'number', 'boolean', 'date', 'enum']),
  options: z.array(z.string().min(1).max(100)).max(100).default([]),
});
export const AttributeKeyParamsSchema = z.strictObject({ attributeKey: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/) });
export const PatchAttributeBodySchema = z.strictObject({ labelZh: labels.labelZh.optional(), labelEn: labels.labelEn.optional(), options: z.array(z.string().min(1).max(100)).max(100).optional() });

export const OkSchema = z.object({ ok: z.literal(true) });
