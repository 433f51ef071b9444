/**
 * Worker side of the send path: delivers queued messages through their drivers (claim in
 * one short transaction, call the providers with no transaction open, record the results
 * in another), retries with backoff, dead-letters, and releases held messages through the
 * guard rails again when their window opens.
 */
import { backoffSeconds, type DeliveryResult, type Driver, type DriverSetup, type OutboundMessage } from './drivers/driver.ts';
import { smsHttpDriver } from './drivers/sms-http.ts';
import { webhookDriver } from './drivers/webhook.ts';
import * as delivery from './delivery.repository.ts';
import type { ClaimedRow } from './delivery.repository.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import type { Channel, DriverKind, Purpose } from './message-types.ts';
import { loadConsents, loadRecipients } from './recipients.repository.ts';
import { loadDrivers, loadSettings } from './settings.repository.ts';
import type { MessagingSettings } from './settings.schemas.ts';

// The WeCom connector adds its driver here (kind 'wecom', answering awaiting_confirmation).
const DRIVERS = new Map<DriverKind, Driver>([
  ['webhook', webhookDriver],
  ['sms_http', smsHttpDriver],
]);

/** Drivers a workspace may choose for a channel today (WeCom arrives with its connector). */
export function availableDrivers(): DriverKind[] {
  return ['outbox', ...DRIVERS.keys()];
}

interface Prepared {
  row: ClaimedRow;
  message: OutboundMessage | null;
  /** Set when the message must not go out after all (the customer opted out meanwhile). */
  optedOut: boolean;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
}

const CONCURRENCY = 8;

async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function createDispatchService(deps: MessagingDeps) {
  const { db, clock } = deps;
  const random = deps.random ?? Math.random;

  /** Claims due messages and, in the same transaction, checks consent once more (an opt-out stops at once). */
  async function claim(workspaceId: string | null, limit: number, leaseSeconds: number): Promise<Prepared[]> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const rows = await delivery.claimDue(trx, now, new Date(now.getTime() + leaseSeconds * 1000), limit, workspaceId);
      const out: Prepared[] = [];
      for (const ws of new Set(rows.map((r) => r.workspace_id))) {
        const mine = rows.filter((r) => r.workspace_id === ws);
        const ids = [...new Set(mine.map((r) => Number(r.customer_id)))];
        const [recipients, consents] = await Promise.all([loadRecipients(trx, ws, ids), loadConsents(trx, ws, ids)]);
        for (const row of mine) {
          const r = recipients.get(Number(row.customer_id));
          const decisions = consents.get(Number(row.customer_id));
          const purpose = row.purpose as Purpose;
          const optedOut =
            (purpose === 'marketing' && r?.consentStatus === 'denied') ||
            decisions?.get(`${purpose}:${row.channel}`) === 'denied' ||
            decisions?.get(`${purpose}:all`) === 'denied';
          out.push({ row, optedOut, message: optedOut ? null : toOutbound(row, r?.mobile ?? null) });
        }
      }
      return out;
    });
  }

  function toOutbound(row: ClaimedRow, mobile: string | null): OutboundMessage {
    return {
      id: row.id, workspaceId: row.workspace_id, customerId: Number(row.customer_id), channel: row.channel as Channel, purpose: row.purpose as Purpose,
      title: row.title, text: row.body, payload: row.payload, targetUrl: row.target_url, mobile,
      source: { kind: row.source_kind, id: row.source_id, version: row.source_version, step: row.source_step },
      attempt: row.attempts, createdAt: row.created_at,
    };
  }

  function toResult(p: Prepared, result: DeliveryResult | null, settings: MessagingSettings): delivery.AttemptResult {
    const now = clock.now();
    const base = { workspaceId: p.row.workspace_id, id: p.row.id, attempts: p.row.attempts, reasonDetail: null, lastError: null, providerRef: null, nextAttemptAt: null, sentAt: null };
    if (!result) return { ...base, status: 'suppressed', reason: 'opted_out', reasonDetail: { at: 'delivery' } };
    if (result.outcome === 'sent') return { ...base, status: 'sent', reason: null, providerRef: result.providerRef ?? null, sentAt: now };
    if (result.outcome === 'awaiting_confirmation') return { ...base, status: 'awaiting_confirmation', reason: null, providerRef: result.providerRef ?? null };
    const giveUp = result.outcome === 'failed' || p.row.attempts >= settings.delivery.maxAttempts;
    if (giveUp) return { ...base, status: 'failed', reason: 'driver_failed', lastError: result.error, reasonDetail: { attempts: p.row.attempts, error: result.error } };
    const delay = Math.max(backoffSeconds(p.row.attempts, settings.delivery.backoffSeconds, random), result.retryAfterSeconds ?? 0);
    return { ...base, status: 'queued', reason: null, lastError: result.error, nextAttemptAt: new Date(now.getTime() + delay * 1000) };
  }

  /** One round: claim up to `limit` due messages, deliver them, record the results. */
  async function runOnce(workspaceId: string | null, limit: number): Promise<DispatchSummary> {
    const prepared = await claim(workspaceId, limit, 300);
    const summary: DispatchSummary = { claimed: prepared.length, sent: 0, retried: 0, failed: 0, suppressed: 0 };
    if (!prepared.length) return summary;
    const workspaces = [...new Set(prepared.map((p) => p.row.workspace_id))];
    const settings = new Map(await Promise.all(workspaces.map(async (ws) => [ws, (await loadSettings(db, ws)).settings] as const)));
    const setups = new Map((await loadDrivers(db, workspaces)).map((d) => [`${d.workspace_id}:${d.driver}`, { config: d.config, secret: d.secret } as DriverSetup]));
    const fetchImpl = deps.fetch ?? fetch;
    const results = await inParallel(prepared, CONCURRENCY, async (p) => {
      const s = settings.get(p.row.workspace_id)!;
      if (!p.message) return toResult(p, null, s);
      const driver = DRIVERS.get(p.row.driver as DriverKind);
      const result: DeliveryResult = driver
        ? await driver.deliver(p.message, setups.get(`${p.row.workspace_id}:${p.row.driver}`) ?? null, { fetch: fetchImpl, now: clock.now(), timeoutMs: s.delivery.timeoutMs })
        : { outcome: 'failed', error: `no driver ${p.row.driver} in this version` };
      return toResult(p, result, s);
    });
    await db.transaction().execute((trx) => delivery.recordAttempts(trx, results, clock.now()));
    for (const r of results) {
      if (r.status === 'sent' || r.status === 'awaiting_confirmation') summary.sent++;
      else if (r.status === 'queued') summary.retried++;
      else if (r.status === 'failed') summary.failed++;
      else summary.suppressed++;
    }
    await scheduleRetries(results);
    return summary;
  }

  async function scheduleRetries(results: readonly delivery.AttemptResult[]): Promise<void> {
    const now = clock.now().getTime();
    const soonest = new Map<string, number>();
    for (const r of results) {
      if (r.status !== 'queued' || !r.nextAttemptAt) continue;
      const s = Math.max(1, Math.ceil((r.nextAttemptAt.getTime() - now) / 1000));
      soonest.set(r.workspaceId, Math.min(soonest.get(r.workspaceId) ?? Infinity, s));
    }
    for (const [ws, delaySeconds] of soonest) await deps.enqueueDispatch(ws, { delaySeconds });
  }

  /** Delivers until nothing is due (or `maxRounds` rounds ran). */
  async function runDue(options: { workspaceId?: string | null; limit?: number; maxRounds?: number } = {}): Promise<DispatchSummary> {
    const total: DispatchSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, suppressed: 0 };
    for (let round = 0; round < (options.maxRounds ?? 50); round++) {
      const s = await runOnce(options.workspaceId ?? null, options.limit ?? 200);
      for (const k of Object.keys(total) as (keyof DispatchSummary)[]) total[k] += s[k];
      if (s.claimed < (options.limit ?? 200)) break;
    }
    return total;
  }

  return { runDue };
}

export type DispatchService = ReturnType<typeof createDispatchService>;
