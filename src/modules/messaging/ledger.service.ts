/**
 * Reading the ledger (listings, one message, a customer's messages with why each was not
 * sent, counts per source step) and operator actions on it (send from the API or console,
 * replay dead letters, cancel pending messages of a source). Every change is audited.
 */
import { invalid, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import * as delivery from './delivery.repository.ts';
import type { LedgerRow } from './ledger.repository.ts';
import * as read from './ledger-read.repository.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import type { ListMessagesQuery, MessageView, SendBody } from './messaging.schemas.ts';
import type { SendRequest, SourceKind } from './message-types.ts';
import type { SendService } from './send.service.ts';

export function messageView(r: LedgerRow, label: string | null): MessageView {
  return {
    id: r.id, idempotencyKey: r.idempotency_key, customerId: Number(r.customer_id), customerLabel: label, channel: r.channel, driver: r.driver,
    purpose: r.purpose, source: { kind: r.source_kind, id: r.source_id, version: r.source_version, step: r.source_step },
    templateId: r.template_id, templateVersion: r.template_version, title: r.title, body: r.body, status: r.status, reason: r.reason,
    reasonDetail: r.reason_detail ?? null, adlawWarnings: (r.adlaw_warnings as MessageView['adlawWarnings']) ?? null, releaseAt: r.release_at,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, sentAt: r.sent_at, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Where an API or console send comes from, and its key in the ledger's namespace. */
function sourceOf(ctx: WorkspaceContext, origin: 'api' | 'cli'): SourceKind {
  if (origin === 'cli') return 'cli';
  return ctx.actor.type === 'user' ? 'console' : 'api';
}

export function toSendRequest(ctx: WorkspaceContext, body: SendBody, origin: 'api' | 'cli' = 'api'): SendRequest {
  const kind = sourceOf(ctx, origin);
  return {
    idempotencyKey: `${kind}:${body.idempotencyKey}`,
    customerId: body.customerId,
    channel: body.channel,
    purpose: body.purpose,
    template: body.templateId ? { id: body.templateId, version: body.templateVersion } : undefined,
    content: body.content,
    variables: body.variables,
    payload: body.payload,
    targetUrl: body.targetUrl,
    source: { kind, id: ctx.actor.id ?? ctx.actor.label },
  };
}

export function createLedgerService(deps: MessagingDeps & { sender: SendService }) {
  const { db, clock, sender } = deps;

  async function page(ctx: WorkspaceContext, filter: read.LedgerFilter) {
    const rows = await read.listMessages(db, ctx.workspaceId, { ...filter, limit: filter.limit + 1 });
    const items = rows.slice(0, filter.limit);
    const labels = await read.customerLabels(db, ctx.workspaceId, items.map((r) => Number(r.customer_id)));
    return { items: items.map((r) => messageView(r, labels.get(Number(r.customer_id)) ?? null)), nextCursor: rows.length > filter.limit ? (items.at(-1)?.id ?? null) : null };
  }

  function list(ctx: WorkspaceContext, q: ListMessagesQuery) {
    return page(ctx, { ...q, before: q.cursor });
  }

  async function get(ctx: WorkspaceContext, id: string) {
    const row = await read.getMessage(db, ctx.workspaceId, id);
    if (!row) throw notFound('message.not_found', 'Message not found');
    const labels = await read.customerLabels(db, ctx.workspaceId, [Number(row.customer_id)]);
    return messageView(row, labels.get(Number(row.customer_id)) ?? null);
  }

  /** A customer's messages, newest first, each with its status and why it was not sent. */
  async function forCustomer(ctx: WorkspaceContext, customerId: number, q: Omit<ListMessagesQuery, 'customerId'>) {
    if (!(await read.customerExists(db, ctx.workspaceId, customerId))) throw notFound('customer.not_found', 'Customer not found');
    const [p, summary] = await Promise.all([page(ctx, { ...q, customerId, before: q.cursor }), read.customerSummary(db, ctx.workspaceId, customerId)]);
    return { customerId, summary, ...p };
  }

  /** Sends from the API, CLI or console (single or batch), audited in the same transaction. */
  async function sendAsCaller(ctx: WorkspaceContext, bodies: readonly SendBody[], origin: 'api' | 'cli' = 'api') {
    const requests = bodies.map((b) => toSendRequest(ctx, b, origin));
    return db.transaction().execute(async (trx) => {
      const outcomes = await sender.sendInTransaction(trx, ctx.workspaceId, requests);
      const fresh = outcomes.filter((o) => !o.duplicate);
      await recordAudit(trx, ctx, {
        action: 'messages.send',
        targetType: 'message',
        ...(outcomes.length === 1 ? { targetId: outcomes[0]!.messageId } : {}),
        details: { count: outcomes.length, new: fresh.length, statuses: countBy(fresh.map((o) => o.status)) },
      });
      return outcomes;
    });
  }

  /** Dead letters back to the queue; consent is checked again when they are delivered. */
  async function replay(ctx: WorkspaceContext, ids: readonly string[]) {
    const replayed = await db.transaction().execute(async (trx) => {
      const done = await delivery.requeue(trx, ctx.workspaceId, ids, clock.now());
      await recordAudit(trx, ctx, { action: 'messages.replay', targetType: 'message', details: { ids: done } });
      if (done.length) await deps.enqueueDispatch(ctx.workspaceId, { trx });
      return done;
    });
    return { replayed, skipped: ids.filter((id) => !replayed.includes(id)) };
  }

  async function replayOne(ctx: WorkspaceContext, id: string) {
    const row = await read.getMessage(db, ctx.workspaceId, id);
    if (!row) throw notFound('message.not_found', 'Message not found');
    if (row.status !== 'failed') throw invalid('message.not_dead_letter', `Only failed messages are replayed; this one is ${row.status}`, [{ field: 'messageId', reason: 'not_failed' }]);
    await replay(ctx, [id]);
    return get(ctx, id);
  }

  function countBySource(workspaceId: string, sourceKind: SourceKind, sourceId: string) {
    return read.countBySource(db, workspaceId, sourceKind, sourceId);
  }

  /** Where messages stand now, by the idempotency keys their senders kept (a journey's log). */
  function statusesByKey(workspaceId: string, keys: readonly string[]) {
    return read.statusesByKey(db, workspaceId, keys);
  }

  return { list, get, forCustomer, sendAsCaller, replay, replayOne, countBySource, statusesByKey };
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export type LedgerService = ReturnType<typeof createLedgerService>;
