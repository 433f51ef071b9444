/**
 * The vocabulary of the send path: channels, drivers, message states and the reasons a
 * message was not sent. Shared by the service, the schemas and the console.
 */

/** How a customer is reached. Each channel is delivered by the driver the workspace chose. */
export const CHANNELS = ['wecom', 'sms', 'official_account', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Delivery drivers. `outbox` records the message as sent (exactly once by construction:
 * recording is the send); `webhook` and `sms_http` deliver from worker jobs after commit
 * (at least once on the wire, exactly once with the receiver's dedupe on Idempotency-Key);
 * `wecom` is reserved for the WeCom connector (staff-confirmed mass sends).
 */
export const DRIVERS = ['outbox', 'webhook', 'sms_http', 'wecom'] as const;
export type DriverKind = (typeof DRIVERS)[number];

/**
 * held: waiting for quiet hours or a rate-limit window to open (release_at), re-checked then;
 * queued: accepted, waiting for a worker to deliver it (next_attempt_at);
 * sending: a worker holds it (lease_until) — a crash leaves it to be retried after the lease;
 * awaiting_confirmation: handed to a channel that needs a person to confirm (WeCom mass send);
 * sent; suppressed: not sent, with a reason; failed: delivery gave up (dead letter, replayable);
 * cancelled: a held or queued message withdrawn by its source.
 */
export const STATUSES = ['held', 'queued', 'sending', 'awaiting_confirmation', 'sent', 'suppressed', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof STATUSES)[number];

/** Why a message was not sent (suppressed, held or failed). */
export const REASONS = [
  'opted_out',
  'capped_daily',
  'capped_weekly',
  'capped_monthly',
  'quiet_hours',
  'quota',
  'template_error',
  'adlaw_blocked',
  'driver_failed',
  'unknown_customer',
  'no_address',
  'cancelled',
] as const;
export type Reason = (typeof REASONS)[number];

/** Marketing obeys consent and caps; transactional notices (order shipped) bypass both and quiet hours. */
export const PURPOSES = ['marketing', 'transactional'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Who asked for the message; with the source id, version and step it groups the ledger for stats. */
export const SOURCE_KINDS = ['journey', 'campaign', 'sop', 'api', 'console', 'cli'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface MessageSource {
  kind: SourceKind;
  id?: string | undefined;
  version?: number | undefined;
  step?: string | undefined;
}

export interface MessageContent {
  title?: string | undefined;
  text: string;
}

/** One message a caller asks the service to send. */
export interface SendRequest {
  /**
   * Unique per workspace and message: the same key twice is one message. Build it with
   * `messageKey()` from source, version, step, customer and occurrence.
   */
  idempotencyKey: string;
  customerId: number;
  channel: Channel;
  purpose?: Purpose | undefined;
  /** A template (its current version unless one is named) or inline content; exactly one. */
  template?: { id: string; version?: number | undefined } | undefined;
  content?: MessageContent | undefined;
  /** Added to (and overriding) the customer's own variables: product, coupon, link… */
  variables?: Record<string, string | number> | undefined;
  source: MessageSource;
  /** Webhook channel: the JSON body to deliver, and a URL other than the workspace's. */
  payload?: Record<string, unknown> | undefined;
  targetUrl?: string | undefined;
}

/** What became of one request. */
export interface SendOutcome {
  idempotencyKey: string;
  messageId: string;
  customerId: number;
  status: MessageStatus;
  reason: Reason | null;
  /** For held messages: when they are released and checked again. */
  releaseAt: Date | null;
  /** True when the key was already in the ledger: nothing new happened. */
  duplicate: boolean;
  detail: Record<string, unknown> | null;
}

/**
 * The ledger key for a message of a source: journeys pass journey id, version, step,
 * customer and occurrence (the n-th time this customer passes this step).
 */
export function messageKey(parts: { sourceKind: SourceKind; sourceId: string; version?: number | undefined; step?: string | undefined; customerId: number; occurrence?: number | string | undefined }): string {
  return [parts.sourceKind, parts.sourceId, parts.version ?? '', parts.step ?? '', parts.customerId, parts.occurrence ?? 0].join(':');
}
