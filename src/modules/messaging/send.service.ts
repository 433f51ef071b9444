/**
 * The one send path. `sendInTransaction` takes a batch, claims each idempotency key in the
 * caller's transaction together with the decision (so step progress and the ledger commit
 * together and a retry finds its key), and asks a worker to deliver what is queued.
 */
import { invalid } from '../../platform/errors.ts';
import { isUuid, newId } from '../../platform/ids.ts';
import { evaluate, returnQuota, type Item, type Outcome } from './evaluate.ts';
import * as ledger from './ledger.repository.ts';
import type { MessagingDeps, Trx } from './messaging.deps.ts';
import { CHANNELS, PURPOSES, SOURCE_KINDS, type MessageStatus, type Reason, type SendOutcome, type SendRequest } from './message-types.ts';
import { loadSettings } from './settings.repository.ts';

export const MAX_BATCH = 1000;


function checkRequest(r: SendRequest, n: number): void {
  const fail = (field: string, reason: string, message: string) => {
    throw invalid('message.invalid_request', message, [{ field: `messages[${n}].${field}`, reason }]);
  };
  if (!r.idempotencyKey || r.idempotencyKey.length > 300) fail('idempotencyKey', 'required', 'An idempotency key of 1–300 characters is required');
  if (!Number.isSafeInteger(r.customerId) || r.customerId <= 0) fail('customerId', 'invalid', 'Not a customer id');
  if (!(CHANNELS as readonly string[]).includes(r.channel)) fail('channel', 'unknown_channel', `Channels: ${CHANNELS.join(', ')}`);
  if (r.purpose && !(PURPOSES as readonly string[]).includes(r.purpose)) fail('purpose', 'invalid', `Purposes: ${PURPOSES.join(', ')}`);
  if (!(SOURCE_KINDS as readonly string[]).includes(r.source?.kind)) fail('source.kind', 'invalid', `Source kinds: ${SOURCE_KINDS.join(', ')}`);
  if (r.template && !isUuid(r.template.id ?? '')) fail('template.id', 'invalid', 'A template id is a UUID');
  if (r.template?.version !== undefined && (!Number.isSafeInteger(r.template.version) || r.template.version <= 0)) fail('template.version', 'invalid', 'A template version is a positive integer');
  if (r.template && r.content) fail('template', 'one_of', 'Give a template or content, not both');
  if (!r.template && !r.content && !(r.channel === 'webhook' && r.payload)) fail('content', 'required', 'Give a template or content (a webhook message may carry a payload instead)');
}

const toItem = (r: SendRequest): Item => ({
  customerId: r.customerId,
  channel: r.channel,
  purpose: r.purpose ?? 'marketing',
  template: r.template ?? null,
  content: r.content ?? null,
  variables: r.variables ?? {},
  hasPayload: !!r.payload,
});

function toRow(r: SendRequest, o: Outcome, now: Date): ledger.LedgerRow {
  return {
    id: newId(), idempotency_key: r.idempotencyKey, source_kind: r.source.kind, source_id: r.source.id ?? null,
    source_version: r.source.version ?? null, source_step: r.source.step ?? null, customer_id: o.customerId, channel: r.channel,
    driver: o.driver, purpose: r.purpose ?? 'marketing', template_id: r.template?.id ?? null, template_version: o.templateVersion,
    content: r.content ?? null, payload: r.payload ?? null, target_url: r.targetUrl ?? null, variables: r.variables ?? {},
    title: o.title, body: o.body, status: o.status, reason: o.reason, reason_detail: o.detail, adlaw_warnings: o.warnings,
    release_at: o.releaseAt, attempts: 0, next_attempt_at: o.nextAttemptAt, lease_until: null, last_error: null, provider_ref: null,
    requested_at: now, counted_at: o.countedAt, sent_at: o.sentAt, created_at: now, updated_at: now,
  };
}

export function outcomeOf(row: ledger.LedgerRow, duplicate: boolean): SendOutcome {
  return {
    idempotencyKey: row.idempotency_key,
    messageId: row.id,
    customerId: Number(row.customer_id),
    status: row.status,
    reason: (row.reason as Reason | null) ?? null,
    releaseAt: row.release_at,
    duplicate,
    detail: (row.reason_detail as Record<string, unknown> | null) ?? null,
  };
}

export function createSendService(deps: MessagingDeps) {
  const { clock } = deps;

  /**
   * Sends a batch (up to MAX_BATCH) inside the caller's transaction. A key seen before —
   * in the ledger, or earlier in the same batch — is a duplicate: nothing new happens and
   * its recorded outcome is returned. Outcomes come back in request order.
   */
  async function sendInTransaction(trx: Trx, workspaceId: string, requests: readonly SendRequest[]): Promise<SendOutcome[]> {
    if (requests.length > MAX_BATCH) throw invalid('message.batch_too_large', `At most ${MAX_BATCH} messages per batch`, [{ field: 'messages', reason: 'too_many' }]);
    requests.forEach(checkRequest);
    if (!requests.length) return [];
    const now = clock.now();
    await ledger.lockCustomers(trx, workspaceId, requests.map((r) => r.customerId));
    const existing = new Map((await ledger.findByKeys(trx, workspaceId, requests.map((r) => r.idempotencyKey))).map((r) => [r.idempotency_key, r]));
    const fresh = new Map<string, SendRequest>();
    for (const r of requests) if (!existing.has(r.idempotencyKey) && !fresh.has(r.idempotencyKey)) fresh.set(r.idempotencyKey, r);
    const created = new Map<string, ledger.LedgerRow>();
    if (fresh.size) {
      const list = [...fresh.values()];
      const [timeZone, { settings }] = await Promise.all([deps.timeZoneOf(trx, workspaceId), loadSettings(trx, workspaceId)]);
      const ctx = { workspaceId, now, timeZone, settings };
      const outcomes = await evaluate(trx, ctx, list.map(toItem));
      const rows = list.map((r, n) => toRow(r, outcomes[n]!, now));
      const claimed = await ledger.insertMessages(trx, workspaceId, rows);
      for (const row of rows) if (claimed.has(row.idempotency_key)) created.set(row.idempotency_key, row);
      // Claimed elsewhere between our look-up and insert: theirs stands, and the quota ours took goes back.
      const lostRows = rows.filter((row) => !claimed.has(row.idempotency_key));
      const lostAccepted = lostRows.filter((row) => row.status === 'sent' || row.status === 'queued');
      if (lostAccepted.length) await returnQuota(trx, ctx, lostAccepted.map((row) => row.channel as SendRequest['channel']));
      for (const row of await ledger.findByKeys(trx, workspaceId, lostRows.map((row) => row.idempotency_key))) existing.set(row.idempotency_key, row);
      if (rows.some((row) => claimed.has(row.idempotency_key) && row.status === 'queued')) await deps.enqueueDispatch(workspaceId, { trx });
    }
    const firstOfKey = new Set<string>();
    return requests.map((r) => {
      const mine = created.get(r.idempotencyKey);
      const isFirst = !firstOfKey.has(r.idempotencyKey);
      firstOfKey.add(r.idempotencyKey);
      if (mine) return outcomeOf(mine, !isFirst);
      return outcomeOf(existing.get(r.idempotencyKey)!, true);
    });
  }

  /** Sends a batch in a transaction of its own. */
  function send(workspaceId: string, requests: readonly SendRequest[]): Promise<SendOutcome[]> {
    return deps.db.transaction().execute((trx) => sendInTransaction(trx, workspaceId, requests));
  }

  return { sendInTransaction, send };
}

export type SendService = ReturnType<typeof createSendService>;
export type { MessageStatus };
