/**
 * Workspace messaging settings (zod contracts; the console imports these): frequency caps,
 * quiet hours, channel quotas, which driver delivers each channel, delivery retries, extra
 * advertising-law terms; and the drivers' own configuration.
 */
import { z } from 'zod';
import { CHANNELS, DRIVERS } from './message-types.ts';

const limit = z.number().int().min(1).max(1_000_000).nullable();

/** Per customer; null means no cap. Days, weeks (from Monday) and months are local to the workspace. */
export const CapsSchema = z.strictObject({ daily: limit, weekly: limit, monthly: limit });
export type Caps = z.output<typeof CapsSchema>;

const ChannelMap = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(CHANNELS), value);

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

/** Per workspace and channel, across every process; null means no limit. */
export const QuotaSchema = z.strictObject({ perMinute: limit, perHour: limit, perDay: limit });
export type Quota = z.output<typeof QuotaSchema>;

export const MessagingSettingsSchema = z.strictObject({
  caps: z.strictObject({
    /** Across all channels and sources. */
    all: CapsSchema,
    /** Additional caps for one channel. */
    channels: ChannelMap(CapsSchema),
  }),
  quietHours: z.strictObject({ enabled: z.boolean(), start: HHMM, end: HHMM }),
  quotas: ChannelMap(QuotaSchema),
  /** The driver that delivers each channel. */
  drivers: z.strictObject({ wecom: z.enum(DRIVERS), sms: z.enum(DRIVERS), official_account: z.enum(DRIVERS), webhook: z.enum(DRIVERS) }),
  delivery: z.strictObject({
    /** Attempts before a message becomes a dead letter. */
    maxAttempts: z.number().int().min(1).max(20),
    /** First retry delay; each next one doubles (jittered between half and all of it), up to an hour. */
    backoffSeconds: z.number().int().min(1).max(3600),
    timeoutMs: z.number().int().min(500).max(60_000),
  }),
  adLaw: z.strictObject({
    blockTerms: z.array(z.string().trim().min(1).max(50)).max(500),
    warnTerms: z.array(z.string().trim().min(1).max(50)).max(500),
    /** Use the extra advertising dictionary (../shared/data/sensitive-words) when present. */
    useDictionary: z.boolean(),
  }),
});
export type MessagingSettings = z.output<typeof MessagingSettingsSchema>;

export const DEFAULT_SETTINGS: MessagingSettings = {
  caps: { all: { daily: 2, weekly: 6, monthly: 20 }, channels: {} },
  quietHours: { enabled: true, start: '22:00', end: '08:00' },
  quotas: {},
  drivers: { wecom: 'outbox', sms: 'outbox', official_account: 'outbox', webhook: 'outbox' },
  delivery: { maxAttempts: 6, backoffSeconds: 30, timeoutMs: 10_000 },
  adLaw: { blockTerms: [], warnTerms: [], useDictionary: true },
};

/** Outbound webhook: every message is POSTed as JSON, signed with the workspace secret. */
export const WebhookConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
});
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

/**
 * A generic HTTP SMS provider. `bodyTemplate` may use {mobile}, {text}, {title}, {id} (JSON-
 * escaped when the content type is JSON, URL-encoded for forms). The secret goes into
 * `authHeader` (e.g. Authorization: Bearer …). Success is a 2xx status and, when given, a
 * response body containing `successContains`.
 */
export const SmsHttpConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  method: z.enum(['POST', 'PUT', 'GET']),
  contentType: z.enum(['application/json', 'application/x-www-form-urlencoded']),
  bodyTemplate: z.string().max(4000),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,60}$/), z.string().max(500)),
  authHeader: z.string().regex(/^[A-Za-z0-9-]{1,60}$/).nullable(),
  successContains: z.string().max(200).nullable(),
});
export type SmsHttpConfig = z.output<typeof SmsHttpConfigSchema>;
