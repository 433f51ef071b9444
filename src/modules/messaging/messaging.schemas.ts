/** HTTP contracts of the messaging module (zod only; the console imports these). */
import { z } from 'zod';
import { CHANNELS, DRIVERS, PURPOSES, REASONS, SOURCE_KINDS, STATUSES } from './message-types.ts';
import { MessagingSettingsSchema, SmsHttpConfigSchema, WebhookConfigSchema } from './settings.schemas.ts';

const VarName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}(\.[A-Za-z0-9_]{1,40})?$/);
const Variables = z.record(VarName, z.union([z.string().max(2000), z.number()])).refine((v) => Object.keys(v).length <= 50, 'At most 50 variables');
const Content = z.strictObject({ title: z.string().max(200).optional(), text: z.string().min(1).max(4000) });

export const MessageIdParamsSchema = z.strictObject({ messageId: z.uuid() });
export const TemplateIdParamsSchema = z.strictObject({ templateId: z.uuid() });
export const CustomerIdParamsSchema = z.strictObject({ customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const SendBodySchema = z
  .strictObject({
    idempotencyKey: z.string().min(1).max(200).describe('Yours: the same key again is the same message (never a second send)'),
    customerId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    channel: z.enum(CHANNELS),
    purpose: z.enum(PURPOSES).default('marketing'),
    templateId: z.uuid().optional(),
    templateVersion: z.number().int().positive().optional().describe('Default: the current version'),
    content: Content.optional(),
    variables: Variables.optional(),
    payload: z.record(z.string(), z.unknown()).optional().describe('Webhook channel: a JSON body to deliver'),
    targetUrl: z.url({ protocol: /^https?$/ }).max(2000).optional().describe('Webhook channel: a URL other than the workspace webhook'),
  })
  .refine((b) => !(b.templateId && b.content), { message: 'Give templateId or content, not both', path: ['content'], params: { reason: 'one_of' } })
  .refine((b) => b.templateId || b.content || (b.channel === 'webhook' && b.payload), { message: 'Give templateId or content', path: ['content'], params: { reason: 'required' } });
export type SendBody = z.output<typeof SendBodySchema>;

export const SendBatchBodySchema = z.strictObject({ messages: z.array(SendBodySchema).min(1).max(1000) });

export const SendOutcomeSchema = z.object({
  idempotencyKey: z.string(),
  messageId: z.string(),
  customerId: z.number().int(),
  status: z.enum(STATUSES),
  reason: z.enum(REASONS).nullable(),
  releaseAt: z.date().nullable(),
  duplicate: z.boolean(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export const SendBatchResultSchema = z.object({ items: z.array(SendOutcomeSchema) });

const FindingSchema = z.object({
  term: z.string(),
  tier: z.enum(['block', 'warn']),
  source: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  matched: z.string(),
});
export const AdLawResultSchema = z.object({ verdict: z.enum(['ok', 'warn', 'block']), findings: z.array(FindingSchema) });
export const AdLawCheckBodySchema = z.strictObject({ text: z.string().min(1).max(20_000) });

export const MessageViewSchema = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  customerId: z.number().int(),
  customerLabel: z.string().nullable(),
  channel: z.string(),
  driver: z.string(),
  purpose: z.string(),
  source: z.object({ kind: z.string(), id: z.string().nullable(), version: z.number().int().nullable(), step: z.string().nullable() }),
  templateId: z.string().nullable(),
  templateVersion: z.number().int().nullable(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  status: z.enum(STATUSES),
  reason: z.string().nullable(),
  reasonDetail: z.unknown(),
  adlawWarnings: z.array(FindingSchema).nullable(),
  releaseAt: z.date().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.date().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type MessageView = z.output<typeof MessageViewSchema>;

export const MessagePageSchema = z.object({ items: z.array(MessageViewSchema), nextCursor: z.string().nullable() });

export const ListMessagesQuerySchema = z.strictObject({
  status: z.enum(STATUSES).optional(),
  reason: z.enum(REASONS).optional(),
  channel: z.enum(CHANNELS).optional(),
  driver: z.enum(DRIVERS).optional(),
  sourceKind: z.enum(SOURCE_KINDS).optional(),
  sourceId: z.string().max(200).optional(),
  sourceStep: z.string().max(200).optional(),
  customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Only messages recorded at or after this instant (ISO 8601 with an offset)'),
  until: z.iso.datetime({ offset: true }).optional().describe('Only messages recorded before this instant'),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListMessagesQuery = z.output<typeof ListMessagesQuerySchema>;

export const CustomerMessagesQuerySchema = ListMessagesQuerySchema.omit({ customerId: true });

export const CountSchema = z.object({ status: z.string(), reason: z.string().nullable(), count: z.number().int() });
export const CustomerMessagesSchema = z.object({
  customerId: z.number().int(),
  summary: z.array(CountSchema).describe('All of this customer’s messages by status and reason'),
  items: z.array(MessageViewSchema),
  nextCursor: z.string().nullable(),
});

export const SourceStatsQuerySchema = z.strictObject({ sourceKind: z.enum(SOURCE_KINDS), sourceId: z.string().min(1).max(200) });
export const SourceStatsSchema = z.object({
  items: z.array(z.object({ step: z.string().nullable(), version: z.number().int().nullable(), status: z.string(), reason: z.string().nullable(), count: z.number().int() })),
});

export const ReplayBodySchema = z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) });
export const ReplayResultSchema = z.object({ replayed: z.array(z.string()), skipped: z.array(z.string()) });

// ---- templates ----------------------------------------------------------------------------

export const TemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.string(),
  version: z.number().int(),
  title: z.string().nullable(),
  body: z.string(),
  variables: z.array(z.string()),
  archived: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const TemplateListSchema = z.object({ items: z.array(TemplateSchema) });
export const TemplateListQuerySchema = z.strictObject({ channel: z.enum(CHANNELS).optional(), archived: z.enum(['true', 'false']).optional() });

export const CreateTemplateBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  channel: z.enum(CHANNELS),
  title: z.string().max(200).nullable().optional(),
  body: z.string().min(1).max(4000),
});
export const PatchTemplateBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    channel: z.enum(CHANNELS).optional(),
    title: z.string().max(200).nullable().optional(),
    body: z.string().min(1).max(4000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change', params: { reason: 'empty' } });
export const TemplateVersionsSchema = z.object({
  items: z.array(z.object({ version: z.number().int(), title: z.string().nullable(), body: z.string(), variables: z.array(z.string()), createdBy: z.string().nullable(), createdAt: z.date() })),
});

export const PreviewBodySchema = z
  .strictObject({
    templateId: z.uuid().optional(),
    templateVersion: z.number().int().positive().optional(),
    content: z.strictObject({ title: z.string().max(200).nullable().optional(), text: z.string().max(4000) }).optional(),
    customerId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    variables: Variables.optional(),
  })
  .refine((b) => !!b.templateId !== !!b.content, { message: 'Give templateId or content, not both', path: ['content'], params: { reason: 'one_of' } });

const RenderedPart = z.object({ text: z.string(), findings: z.array(FindingSchema) });
export const PreviewSchema = z.object({
  customer: z.object({ id: z.number().int(), label: z.string().nullable() }).nullable(),
  variables: z.array(z.string()).describe('Variables the content uses'),
  missing: z.array(z.string()).describe('Variables with no value and no fallback: sending would fail with template_error'),
  syntaxError: z.object({ message: z.string(), position: z.number().int() }).nullable(),
  title: RenderedPart.nullable(),
  body: RenderedPart.describe('Missing variables stay as {name} in the text'),
  verdict: z.enum(['ok', 'warn', 'block']),
});

// ---- settings -----------------------------------------------------------------------------

const DriverStateSchema = z.object({ configured: z.boolean(), config: z.unknown().nullable(), secretSet: z.boolean(), updatedAt: z.date().nullable() });
export const SettingsViewSchema = z.object({
  settings: MessagingSettingsSchema,
  updatedAt: z.date().nullable(),
  timeZone: z.string(),
  availableDrivers: z.array(z.enum(DRIVERS)),
  drivers: z.object({ webhook: DriverStateSchema, sms_http: DriverStateSchema }),
  usage: z.array(z.object({ channel: z.string(), kind: z.string(), used: z.number().int() })).describe('Quota used in the current windows'),
  dictionary: z.object({ available: z.boolean(), words: z.number().int(), files: z.array(z.string()) }),
});

export const WebhookDriverBodySchema = WebhookConfigSchema.extend({ rotateSecret: z.boolean().default(false).describe('Make a new signing secret (shown once)') });
export const SmsDriverBodySchema = SmsHttpConfigSchema.extend({ secret: z.string().max(500).nullable().optional().describe('The auth header value; omitted keeps the stored one') });
export const DriverSavedSchema = z.object({ driver: z.string(), config: z.unknown(), secret: z.string().nullable().describe('Only when a new secret was made: shown this once'), secretSet: z.boolean() });

export const OkSchema = z.object({ ok: z.literal(true) });
