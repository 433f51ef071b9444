/**
 * A generic HTTP SMS provider: URL, method, content type, a body template with {mobile},
 * {text}, {title} and {id}, fixed headers, an auth header carrying the secret, and what a
 * successful answer contains. Transient failures are retried like the webhook's.
 */
import { SmsHttpConfigSchema, type SmsHttpConfig } from '../settings.schemas.ts';
import { classifyStatus, httpAttempt, type Driver, type OutboundMessage } from './driver.ts';

type Escape = (v: string) => string;

const jsonEscape: Escape = (v) => JSON.stringify(v).slice(1, -1);

/** Fills {mobile}, {text}, {title}, {id} with escaped values; other braces stay. */
export function fillSmsTemplate(template: string, m: OutboundMessage, escape: Escape): string {
  const values: Record<string, string> = { mobile: m.mobile ?? '', text: m.text ?? '', title: m.title ?? '', id: m.id };
  return template.replace(/\{(mobile|text|title|id)\}/g, (_, k: string) => escape(values[k]!));
}

function buildRequest(config: SmsHttpConfig, secret: string | null, m: OutboundMessage): { url: string; init: RequestInit } {
  const headers: Record<string, string> = { ...config.headers, 'idempotency-key': m.id };
  if (config.authHeader && secret) headers[config.authHeader] = secret;
  const url = fillSmsTemplate(config.url, m, encodeURIComponent);
  if (config.method === 'GET') return { url, init: { method: 'GET', headers } };
  headers['content-type'] = config.contentType;
  const escape = config.contentType === 'application/json' ? jsonEscape : encodeURIComponent;
  return { url, init: { method: config.method, headers, body: fillSmsTemplate(config.bodyTemplate, m, escape) } };
}

export const smsHttpDriver: Driver = {
  kind: 'sms_http',
  async deliver(message, setup, ctx) {
    const parsed = setup ? SmsHttpConfigSchema.safeParse(setup.config) : null;
    if (!parsed?.success) return { outcome: 'failed', error: 'the SMS provider is not configured' };
    if (!message.mobile) return { outcome: 'failed', error: 'the customer has no mobile number' };
    const { url, init } = buildRequest(parsed.data, setup!.secret, message);
    const res = await httpAttempt(ctx, url, init);
    if ('outcome' in res) return res;
    const result = classifyStatus(res.response.status, res.response.headers.get('retry-after'));
    if (result.outcome !== 'sent') return result;
    const marker = parsed.data.successContains;
    if (marker && !res.text.includes(marker)) return { outcome: 'retry', error: `provider answered without "${marker}": ${res.text.slice(0, 200)}` };
    return { outcome: 'sent' };
  },
};
