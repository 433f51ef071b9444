/** HTTP contracts of the tags module (zod only; the console imports these). */
import { z } from 'zod';

export const TAG_KINDS = ['static', 'consumption', 'tier'] as const;
export type TagKind = (typeof TAG_KINDS)[number];
export const TAG_SOURCES = ['manual', 'rule', 'import', 'sync', 'journey'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

/** Customers per bulk request; larger sets (a whole segment) go through the module's bulk function. */
export const MAX_BULK_CUSTOMERS = 10_000;

const name = z.string().trim().min(1).max(60);
const description = z.string().trim().max(500);
/** An Ant Design preset colour name, or #rrggbb. */
const color = z.string().regex(/^([a-z]{3,10}|#[0-9a-f]{6})$/, 'a colour name (blue, green, ...) or #rrggbb');
const customerId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- groups and tags ---------------------------------------------------------

export const TagGroupIdParamsSchema = z.strictObject({ groupId: z.uuid() });
export const TagIdParamsSchema = z.strictObject({ tagId: z.uuid() });
export const CustomerTagParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), tagId: z.uuid() });
export const CustomerParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const CreateTagGroupBodySchema = z.strictObject({
  name,
  kind: z.enum(TAG_KINDS).describe('static: who they are; consumption: what/how they buy; tier: value layer'),
  description: description.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const PatchTagGroupBodySchema = z.strictObject({
  name: name.optional(),
  kind: z.enum(TAG_KINDS).optional(),
  description: description.nullable().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const CreateTagBodySchema = z.strictObject({
  groupId: z.uuid(),
  name,
  kind: z.enum(TAG_KINDS).optional().describe("Defaults to the group's kind"),
  color: color.optional(),
  description: description.optional(),
});
export const PatchTagBodySchema = z.strictObject({
  groupId: z.uuid().optional(),
  name: name.optional(),
  kind: z.enum(TAG_KINDS).optional(),
  color: color.optional(),
  description: description.nullable().optional(),
});

export const TagSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  name: z.string(),
  kind: z.enum(TAG_KINDS),
  color: z.string(),
  description: z.string().nullable(),
  customerCount: z.number().int().describe('Customers holding the tag now'),
  ruleCount: z.number().int().describe('Automatic rules that give this tag'),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const TagGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(TAG_KINDS),
  description: z.string().nullable(),
  position: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
  tags: z.array(TagSchema),
});
export const TagGroupListSchema = z.object({ items: z.array(TagGroupSchema) });
export const TagListQuerySchema = z.strictObject({
  groupId: z.uuid().optional(),
  kind: z.enum(TAG_KINDS).optional(),
  q: z.string().trim().min(1).max(60).optional().describe('Name contains'),
});
export const TagListSchema = z.object({ items: z.array(TagSchema) });
export const DeletedTagSchema = z.object({ id: z.string(), removedFrom: z.number().int().describe('Customers the tag was removed from'), rulesDeleted: z.number().int() });
export const OkSchema = z.object({ ok: z.literal(true) });

// ---- customers' tags ---------------------------------------------------------

export const CustomerTagSchema = z.object({
  tagId: z.string(),
  name: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  kind: z.enum(TAG_KINDS),
  color: z.string(),
  source: z.enum(TAG_SOURCES),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  addedBy: z.string().nullable(),
  addedAt: z.date(),
  expiresAt: z.date().nullable().describe('Rule tags: when the rule is re-checked because its window may have passed'),
});
export const CustomerTagListSchema = z.object({ customerId: z.number().int(), items: z.array(CustomerTagSchema) });
export const AddCustomerTagBodySchema = z.strictObject({ tagId: z.uuid() });
export const CustomerTagChangeSchema = z.object({ customerId: z.number().int(), tagId: z.string(), changed: z.boolean().describe('False when nothing had to change (idempotent)') });

export const BulkCustomersBodySchema = z.strictObject({
  customerIds: z.array(customerId).min(1).max(MAX_BULK_CUSTOMERS).describe(`At most ${MAX_BULK_CUSTOMERS} customer ids`),
});
export const BulkResultSchema = z.object({
  requested: z.number().int().describe('Distinct ids in the request'),
  changed: z.number().int().describe('Customers that gained (or lost) the tag'),
  unchanged: z.number().int().describe('Customers that already had (or did not have) it'),
  skipped: z.number().int().describe('Ids that are unknown or were merged into another customer'),
  skippedIds: z.array(z.number().int()).describe('The first 100 skipped ids'),
});

// ---- rules -------------------------------------------------------------------

export const FILTER_OPS = ['eq', 'neq', 'in', 'contains', 'gte', 'lte', 'exists'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];
const scalar = z.union([z.string().max(200), z.number().finite(), z.boolean()]);

export const PropertyFilterSchema = z
  .strictObject({
    property: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a top-level property name (letters, digits, _)'),
    op: z.enum(FILTER_OPS),
    value: z.union([scalar, z.array(z.union([z.string().max(200), z.number().finite()])).min(1).max(100)]).optional(),
  })
  .superRefine((f, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (f.op === 'exists') {
      if (f.value !== undefined) fail('exists takes no value');
    } else if (f.value === undefined) fail(`${f.op} needs a value`);
    else if (f.op === 'in' && !Array.isArray(f.value)) fail('in needs a list of values');
    else if (f.op !== 'in' && Array.isArray(f.value)) fail(`${f.op} takes one value, not a list`);
    else if ((f.op === 'gte' || f.op === 'lte') && typeof f.value !== 'number') fail(`${f.op} compares numbers`);
    else if (f.op === 'contains' && typeof f.value !== 'string') fail('contains looks for text');
  });
export type PropertyFilter = z.output<typeof PropertyFilterSchema>;

const windowDays = z.number().int().min(1).max(3650).nullable().default(null).describe('Only the last N days (rolling, N × 24 h); null: ever');
const minCount = z.number().int().min(1).max(10_000).default(1);

export const EventConditionSchema = z.strictObject({
  type: z.literal('event'),
  eventType: z.string().min(1).max(100).describe('e.g. product.viewed, cart.added, checkin, custom.activity_joined'),
  filters: z.array(PropertyFilterSchema).max(10).default([]),
  minCount,
  windowDays,
});
export const OrderConditionSchema = z.strictObject({
  type: z.literal('order'),
  productId: z.string().trim().min(1).max(200).optional().describe('Only orders with this product'),
  category: z.string().trim().min(1).max(200).optional().describe('Only orders with an item of this category'),
  minCount,
  minAmountFen: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().describe('Net paid amount of those orders at least this'),
  windowDays,
});
export const ConditionSchema = z.discriminatedUnion('type', [EventConditionSchema, OrderConditionSchema]);
export type EventCondition = z.output<typeof EventConditionSchema>;
export type OrderCondition = z.output<typeof OrderConditionSchema>;
export type Condition = z.output<typeof ConditionSchema>;

export const RuleDefinitionSchema = z.strictObject({
  match: z.enum(['all', 'any']).default('all').describe('all: every condition holds; any: one does'),
  conditions: z.array(ConditionSchema).min(1).max(10),
});
export type RuleDefinition = z.output<typeof RuleDefinitionSchema>;

export const TagRuleIdParamsSchema = z.strictObject({ ruleId: z.uuid() });
export const CreateTagRuleBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: description.optional(),
  tagId: z.uuid(),
  definition: RuleDefinitionSchema,
  enabled: z.boolean().default(true),
});
export const PatchTagRuleBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: description.nullable().optional(),
  tagId: z.uuid().optional(),
  definition: RuleDefinitionSchema.optional(),
  enabled: z.boolean().optional(),
});
export const TagRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  tagId: z.string(),
  tagName: z.string(),
  definition: RuleDefinitionSchema,
  enabled: z.boolean(),
  appliedAt: z.date().nullable().describe('When the rule was last applied to every customer'),
  isApplied: z.boolean().describe('False while the current version is still being applied to existing customers'),
  customerCount: z.number().int().describe('Customers holding the tag through this rule'),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const TagRuleListSchema = z.object({ items: z.array(TagRuleSchema) });
export const PreviewRuleBodySchema = z.strictObject({ definition: RuleDefinitionSchema });
export const PreviewRuleResultSchema = z.object({
  count: z.number().int().describe('Customers the definition matches now'),
  sample: z.array(z.number().int()).describe('Up to 20 of them'),
});
