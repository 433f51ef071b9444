/**
 * Shapes of the messaging API as the console reads them (dates arrive as ISO strings). They
 * follow src/modules/messaging/messaging.schemas.ts, settings.schemas.ts and message-types.ts.
 */
export const CHANNELS = ['wecom', 'sms', 'official_account', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DRIVERS = ['outbox', 'webhook', 'sms_http', 'wecom'] as const;
export type DriverKind = (typeof DRIVERS)[number];

export const STATUSES = ['held', 'queued', 'sending', 'awaiting_confirmation', 'sent', 'suppressed', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof STATUSES)[number];

export const REASONS = [
  'opted_out', 'capped_daily', 'capped_weekly', 'capped_monthly', 'quiet_hours', 'quota', 'template_error',
  'adlaw_blocked', 'driver_failed', 'unknown_customer', 'no_address', 'cancelled',
] as const;
export type Reason = (typeof REASONS)[number];

export const SOURCE_KINDS = ['journey', 'campaign', 'sop', 'api', 'console', 'cli'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface AdLawFinding {
  term: string;
  tier: 'block' | 'warn';
  source: string;
  start: number;
  end: number;
  matched: string;
}

export interface Message {
  id: string;
  idempotencyKey: string;
  customerId: number;
  customerLabel: string | null;
  channel: string;
  driver: string;
  purpose: string;
  source: { kind: string; id: string | null; version: number | null; step: string | null };
  templateId: string | null;
  templateVersion: number | null;
  title: string | null;
  body: string | null;
  status: MessageStatus;
  reason: string | null;
  reasonDetail: unknown;
  adlawWarnings: AdLawFinding[] | null;
  releaseAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}

export interface StatusCount {
  status: string;
  reason: string | null;
  count: number;
}

export interface CustomerMessages extends MessagePage {
  customerId: number;
  summary: StatusCount[];
}

export interface MessageFilter {
  status?: MessageStatus | undefined;
  reason?: Reason | undefined;
  channel?: Channel | undefined;
  sourceKind?: SourceKind | undefined;
  sourceId?: string | undefined;
  customerId?: number | undefined;
  /** Recorded at or after this instant (ISO 8601). */
  since?: string | undefined;
}

export interface ReplayResult {
  replayed: string[];
  skipped: string[];
}

export interface Template {
  id: string;
  name: string;
  channel: Channel;
  version: number;
  title: string | null;
  body: string;
  variables: string[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateDraft {
  name: string;
  channel: Channel;
  title: string | null;
  body: string;
}

export interface TemplateVersion {
  version: number;
  title: string | null;
  body: string;
  variables: string[];
  createdBy: string | null;
  createdAt: string;
}

export interface RenderedPart {
  text: string;
  findings: AdLawFinding[];
}

export interface Preview {
  customer: { id: number; label: string | null } | null;
  variables: string[];
  missing: string[];
  syntaxError: { message: string; position: number } | null;
  title: RenderedPart | null;
  body: RenderedPart;
  verdict: 'ok' | 'warn' | 'block';
}

export interface Caps {
  daily: number | null;
  weekly: number | null;
  monthly: number | null;
}

export interface Quota {
  perMinute: number | null;
  perHour: number | null;
  perDay: number | null;
}

export interface MessagingSettings {
  caps: { all: Caps; channels: Partial<Record<Channel, Caps>> };
  quietHours: { enabled: boolean; start: string; end: string };
  quotas: Partial<Record<Channel, Quota>>;
  drivers: Record<Channel, DriverKind>;
  delivery: { maxAttempts: number; backoffSeconds: number; timeoutMs: number };
  adLaw: { blockTerms: string[]; warnTerms: string[]; useDictionary: boolean };
}

export interface DriverState {
  configured: boolean;
  config: unknown;
  secretSet: boolean;
  updatedAt: string | null;
}

export interface SettingsView {
  settings: MessagingSettings;
  updatedAt: string | null;
  timeZone: string;
  availableDrivers: DriverKind[];
  drivers: { webhook: DriverState; sms_http: DriverState };
  usage: { channel: string; kind: string; used: number }[];
  dictionary: { available: boolean; words: number; files: string[] };
}

export interface SmsConfig {
  url: string;
  method: 'POST' | 'PUT' | 'GET';
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
  bodyTemplate: string;
  headers: Record<string, string>;
  authHeader: string | null;
  successContains: string | null;
}

export interface DriverSaved {
  driver: string;
  config: unknown;
  secret: string | null;
  secretSet: boolean;
}

/** Posts to groups (group SOPs): src/modules/messaging/group-posts.schemas.ts. */
export const GROUP_POST_STATUSES = ['sent', 'held', 'suppressed', 'cancelled'] as const;
export type GroupPostStatus = (typeof GROUP_POST_STATUSES)[number];
export const GROUP_POST_REASONS = ['quiet_hours', 'template_error', 'adlaw_blocked', 'cancelled'] as const;

export interface GroupPost {
  id: string;
  idempotencyKey: string;
  groupId: string;
  channel: string;
  driver: string;
  source: { kind: string; id: string | null; version: number | null; step: string | null };
  templateId: string | null;
  templateVersion: number | null;
  title: string | null;
  body: string | null;
  status: GroupPostStatus;
  reason: string | null;
  reasonDetail: unknown;
  adlawWarnings: AdLawFinding[] | null;
  releaseAt: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GroupPostFilter {
  status?: GroupPostStatus | undefined;
  reason?: (typeof GROUP_POST_REASONS)[number] | undefined;
  groupId?: string | undefined;
  sourceKind?: SourceKind | undefined;
  sourceId?: string | undefined;
}

export interface GroupPostPage {
  items: GroupPost[];
  nextCursor: string | null;
}
