/**
 * Releases held messages (quiet hours over, a rate-limit window open) through the guard
 * rails again: consent, caps and quotas are checked as of the release, so a customer who
 * opted out or filled their cap meanwhile is not messaged.
 */
import { evaluate, type Item } from './evaluate.ts';
import { createGroupPostsService } from './group-posts.service.ts';
import * as ledger from './ledger.repository.ts';
import type { MessagingDeps, Trx } from './messaging.deps.ts';
import type { Channel, MessageContent, Purpose } from './message-types.ts';
import { loadSettings } from './settings.repository.ts';

type HeldRow = ledger.LedgerRow & { workspace_id: string };

const toItem = (row: ledger.LedgerRow): Item => ({
  customerId: Number(row.customer_id),
  channel: row.channel as Channel,
  purpose: row.purpose as Purpose,
  template: row.template_id ? { id: row.template_id, version: row.template_version ?? undefined } : null,
  content: (row.content as MessageContent | null) ?? null,
  variables: (row.variables as Record<string, string | number> | null) ?? {},
  hasPayload: row.payload !== null && row.payload !== undefined,
});

export interface ReleaseSummary {
  released: number;
  sent: number;
  queued: number;
  held: number;
  suppressed: number;
}

export function createReleaseService(deps: MessagingDeps, groupPosts = createGroupPostsService(deps)) {
  const { db, clock } = deps;

  async function releaseWorkspace(trx: Trx, workspaceId: string, rows: readonly HeldRow[], summary: ReleaseSummary): Promise<void> {
    const now = clock.now();
    await ledger.lockCustomers(trx, workspaceId, rows.map((r) => Number(r.customer_id)));
    const [timeZone, { settings }] = await Promise.all([deps.timeZoneOf(trx, workspaceId), loadSettings(trx, workspaceId)]);
    const outcomes = await evaluate(trx, { workspaceId, now, timeZone, settings }, rows.map(toItem));
    await ledger.applyRedecisions(
      trx,
      workspaceId,
      outcomes.map((o, n) => ({
        id: rows[n]!.id, status: o.status, reason: o.reason, reason_detail: o.detail, adlaw_warnings: o.warnings, title: o.title, body: o.body,
        release_at: o.releaseAt, next_attempt_at: o.nextAttemptAt, counted_at: o.countedAt, sent_at: o.sentAt, customer_id: o.customerId,
      })),
      now,
    );
    for (const o of outcomes) {
      if (o.status === 'sent') summary.sent++;
      else if (o.status === 'queued') summary.queued++;
      else if (o.status === 'held') summary.held++;
      else summary.suppressed++;
    }
    if (outcomes.some((o) => o.status === 'queued')) await deps.enqueueDispatch(workspaceId, { trx });
  }

  /** One transaction: up to `limit` due held messages, skipping ones another worker holds. */
  async function releaseOnce(limit: number, workspaceId: string | null): Promise<ReleaseSummary> {
    const summary: ReleaseSummary = { released: 0, sent: 0, queued: 0, held: 0, suppressed: 0 };
    await db.transaction().execute(async (trx) => {
      const rows = (await ledger.lockDueHeld(trx, clock.now(), limit, workspaceId)) as HeldRow[];
      summary.released = rows.length;
      for (const ws of new Set(rows.map((r) => r.workspace_id))) {
        await releaseWorkspace(trx, ws, rows.filter((r) => r.workspace_id === ws), summary);
      }
    });
    return summary;
  }

  /** Releases everything due (messages, then posts to groups), in batches. */
  async function releaseDue(options: { workspaceId?: string | null; limit?: number; maxRounds?: number } = {}): Promise<ReleaseSummary> {
    const total: ReleaseSummary = { released: 0, sent: 0, queued: 0, held: 0, suppressed: 0 };
    const limit = options.limit ?? 500;
    for (let round = 0; round < (options.maxRounds ?? 100); round++) {
      const s = await releaseOnce(limit, options.workspaceId ?? null);
      for (const k of Object.keys(total) as (keyof ReleaseSummary)[]) total[k] += s[k];
      if (s.released < limit) break;
    }
    const posts = await groupPosts.releaseDue(options);
    total.released += posts.released;
    total.sent += posts.sent;
    total.held += posts.held;
    total.suppressed += posts.suppressed;
    return total;
  }

  return { releaseDue };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
