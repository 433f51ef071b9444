/**
 * The outbound webhook driver: POSTs each message as JSON to the workspace's URL (or the
 * message's own target URL), signed with the workspace secret. At least once on the wire;
 * the ledger id in Idempotency-Key lets the receiver make it exactly once.
 */
import { WebhookConfigSchema } from '../settings.schemas.ts';
import { classifyStatus, httpAttempt, type Driver } from './driver.ts';
import { SIGNATURE_HEADER, signBody } from './signature.ts';

export const webhookDriver: Driver = {
  kind: 'webhook',
  async deliver(message, setup, ctx) {
    const config = setup ? WebhookConfigSchema.safeParse(setup.config) : null;
    const url = message.targetUrl ?? (config?.success ? config.data.url : null);
    if (!url || !setup?.secret) return { outcome: 'failed', error: 'the webhook driver is not configured (URL and secret)' };
    const body = JSON.stringify({
      id: message.id,
      type: 'message',
      workspaceId: message.workspaceId,
      customerId: message.customerId,
      channel: message.channel,
      purpose: message.purpose,
      title: message.title,
      text: message.text,
      payload: message.payload ?? null,
      source: message.source,
      attempt: message.attempt,
      createdAt: message.createdAt.toISOString(),
    });
    const res = await httpAttempt(ctx, url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Siyu-Webhook/1',
        'idempotency-key': message.id,
        'x-siyu-attempt': String(message.attempt),
        [SIGNATURE_HEADER]: signBody(setup.secret, body, ctx.now),
      },
    });
    if ('outcome' in res) return res;
    const result = classifyStatus(res.response.status, res.response.headers.get('retry-after'));
    return result.outcome === 'sent' ? { outcome: 'sent', providerRef: res.response.headers.get('x-request-id') ?? undefined } : result;
  },
};
