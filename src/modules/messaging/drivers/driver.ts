/**
 * The delivery driver port. The outbox driver needs none of this (recording the message in
 * the ledger is its send); drivers that talk to the outside world run in worker jobs after
 * the decision committed, one `deliver` per attempt.
 *
 * A driver answers for one attempt:
 * - sent: the provider accepted it;
 * - awaiting_confirmation: accepted as a task a person must confirm (WeCom mass sends are
 *   confirmed by staff in their app); the message counts against caps and waits for
 *   `confirmDelivery` from the connector's callback;
 * - retry: a transient failure (network, timeout, 408/429/5xx); tried again with backoff
 *   until the workspace's attempt limit, then a dead letter;
 * - failed: a permanent refusal (other 4xx): a dead letter at once.
 */
import { blockedAddressOf } from '../../../platform/http/outbound.ts';
import type { Channel, DriverKind, Purpose } from '../message-types.ts';

export interface OutboundMessage {
  /** The ledger id; sent as the Idempotency-Key header so receivers can dedupe. */
  id: string;
  workspaceId: string;
  customerId: number;
  channel: Channel;
  purpose: Purpose;
  title: string | null;
  text: string | null;
  payload: unknown;
  targetUrl: string | null;
  /** The recipient's mobile (E.164) for SMS. */
  mobile: string | null;
  source: { kind: string; id: string | null; version: number | null; step: string | null };
  /** 1 for the first attempt. */
  attempt: number;
  createdAt: Date;
}

export type DeliveryResult =
  | { outcome: 'sent'; providerRef?: string | undefined }
  | { outcome: 'awaiting_confirmation'; providerRef?: string | undefined }
  | { outcome: 'retry'; error: string; retryAfterSeconds?: number | undefined }
  | { outcome: 'failed'; error: string };

/** A driver's stored configuration and secret (null when the workspace has not set it up). */
export interface DriverSetup {
  config: unknown;
  secret: string | null;
}

export interface DeliveryContext {
  fetch: typeof fetch;
  now: Date;
  timeoutMs: number;
}

export interface Driver {
  kind: DriverKind;
  deliver(message: OutboundMessage, setup: DriverSetup | null, ctx: DeliveryContext): Promise<DeliveryResult>;
}

/** Classifies an HTTP answer: 2xx sent; 408, 425, 429 and 5xx retried; other codes refused. */
export function classifyStatus(status: number, retryAfter: string | null): DeliveryResult {
  if (status >= 200 && status < 300) return { outcome: 'sent' };
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 408 || status === 425 || status === 429 || status >= 500) return { outcome: 'retry', error: `HTTP ${status}`, retryAfterSeconds: seconds };
  return { outcome: 'failed', error: `HTTP ${status}` };
}

/** Runs a request with a timeout; network errors and timeouts are transient. */
export async function httpAttempt(ctx: DeliveryContext, url: string, init: RequestInit): Promise<{ response: Response; text: string } | DeliveryResult> {
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  try {
    const response = await ctx.fetch(url, { ...init, signal, redirect: 'manual' });
    const text = await response.text().catch(() => '');
    return { response, text };
  } catch (err) {
    const e = err as Error;
    // A blocked address stays blocked: refused at once, not retried.
    const blocked = blockedAddressOf(err);
    if (blocked) return { outcome: 'failed', error: `blocked_address: ${blocked.message}` };
    return { outcome: 'retry', error: e.name === 'TimeoutError' ? `timeout after ${ctx.timeoutMs} ms` : `network: ${e.message}` };
  }
}

/** Exponential backoff with equal jitter, capped at an hour. */
export function backoffSeconds(attempt: number, baseSeconds: number, random: () => number): number {
  const ceiling = Math.min(3600, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
