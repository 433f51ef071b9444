/**
 * The one send path (SPEC C6). Every message — journeys now, campaigns later, the API and
 * console — goes through `sendInTransaction`, which in order checks consent,
 * per-customer frequency caps across all sources, quiet hours (holding, not dropping),
 * channel quotas shared by every process, renders the template, runs the advertising-law
 * check, and claims the caller's idempotency key in the send ledger together with the
 * decision. Delivery then happens through the channel's driver: `outbox` records the send
 * at once; `webhook` and `sms_http` deliver from worker jobs after commit with retries and
 * a dead-letter list. See docs/messaging.md.
 *
 * For journeys:
 *   const outcomes = await messaging.sendInTransaction(trx, workspaceId, requests);  // ≤ 1,000
 *   messageKey({ sourceKind: 'journey', sourceId, version, step, customerId, occurrence })
 *   await messaging.countBySource(workspaceId, 'journey', journeyId)  // by step/status/reason
 *   await messaging.cancelPending(trx, workspaceId, { sourceKind: 'journey', sourceId })
 *
 * Posts to groups (group SOPs) go through `postToGroups`: the source hold, quiet hours, the
 * template and the ad-law check apply (consent and caps are about customers), and the group
 * post ledger claims each key; the outbox driver records them until the WeCom connector
 * delivers them.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import * as delivery from './delivery.repository.ts';
import { createDispatchService } from './dispatch.service.ts';
import * as groupPostsRepo from './group-posts.repository.ts';
import { registerGroupPostRoutes } from './group-posts.routes.ts';
import { createGroupPostsService } from './group-posts.service.ts';
import { createLedgerService } from './ledger.service.ts';
import { DISPATCH_JOB, TICK_JOB, type DispatchJob, type MessagingDeps, type Trx } from './messaging.deps.ts';
import { messagesMergeParticipant } from './merges.repository.ts';
import { registerMessagingRoutes } from './messaging.routes.ts';
import { purgeOldUsage } from './quota.repository.ts';
import { createReleaseService } from './release.service.ts';
import { createSendService, MAX_BATCH } from './send.service.ts';
import { createMessagingSettingsService } from './settings.service.ts';
import { createTemplatesService } from './templates.service.ts';
import { isUuid } from '../../platform/ids.ts';

export type { MessagingDeps, DispatchJob } from './messaging.deps.ts';
export { DISPATCH_JOB, TICK_JOB } from './messaging.deps.ts';
export {
  CHANNELS, DRIVERS, STATUSES, REASONS, PURPOSES, SOURCE_KINDS, messageKey,
  type Channel, type DriverKind, type MessageStatus, type Reason, type Purpose, type SourceKind, type MessageSource, type MessageContent, type SendRequest, type SendOutcome,
} from './message-types.ts';
export type { SourceCount } from './ledger-read.repository.ts';
export type { Driver, DeliveryResult, OutboundMessage } from './drivers/driver.ts';
export { signBody, verifySignature, SIGNATURE_HEADER } from './drivers/signature.ts';
export { DEFAULT_SETTINGS, type MessagingSettings } from './settings.schemas.ts';
export { MAX_BATCH };
export { GROUP_CHANNEL, MAX_GROUP_BATCH, type GroupPostRequest, type GroupPostOutcome } from './group-posts.service.ts';

export function createMessagingModule(deps: MessagingDeps) {
  const sender = createSendService(deps);
  const dispatcher = createDispatchService(deps);
  const groupPosts = createGroupPostsService(deps);
  const releaser = createReleaseService(deps, groupPosts);
  const ledger = createLedgerService({ ...deps, sender });
  const templates = createTemplatesService(deps);
  const settings = createMessagingSettingsService(deps);

  return {
    /** Sends a batch (≤ MAX_BATCH) in the caller's transaction; outcomes in request order. */
    sendInTransaction: sender.sendInTransaction,
    /** Sends a batch in a transaction of its own. */
    send: sender.send,
    /** The channel of each named template that exists (archived ones included: a live journey may still name one). */
    templateChannels: async (workspaceId: string, ids: readonly string[]): Promise<Map<string, { channel: string }>> => {
      // Template ids are UUIDs: anything else names no template (and would not cast).
      const wellFormed = ids.filter(isUuid);
      if (!wellFormed.length) return new Map();
      const rows = await deps.db.selectFrom('message_templates').select(['id', 'channel']).where('workspace_id', '=', workspaceId).where('id', 'in', wellFormed).execute();
      return new Map(rows.map((r) => [r.id, { channel: r.channel }]));
    },
    /** Counts of a source's messages by step, version, status and reason. */
    countBySource: ledger.countBySource,
    statusesByKey: ledger.statusesByKey,
    /**
     * Posts to groups (group SOPs) in the caller's transaction through the guard rails that
     * apply to a group (source hold, quiet hours, template, ad-law); outcomes in request order,
     * a key seen before returns its recorded outcome.
     */
    postToGroups: groupPosts.postToGroups,
    /**
     * Withdraws a source's held and queued messages (a stopped journey), and its held posts to
     * groups unless only some customers are named; returns how many.
     */
    cancelPending: async (trx: Trx, workspaceId: string, filter: { sourceKind: string; sourceId: string; customerIds?: readonly number[] }) => {
      const now = deps.clock.now();
      const messages = await delivery.cancelPending(trx, workspaceId, filter, now);
      return messages + (filter.customerIds ? 0 : await groupPostsRepo.cancelPending(trx, workspaceId, filter, now));
    },
    /**
     * Makes a source's pending messages wait (a journey paused): held messages are not
     * released and queued ones not delivered until `releaseSourceHold`.
     */
    holdSource: (trx: Trx, workspaceId: string, source: { sourceKind: string; sourceId: string }) => delivery.holdSource(trx, workspaceId, source, deps.clock.now()),
    /** Lifts the hold (a journey resumed): due held messages are released at the next tick, queued ones delivered now. */
    releaseSourceHold: async (trx: Trx, workspaceId: string, source: { sourceKind: string; sourceId: string }) => {
      if (await delivery.releaseSourceHold(trx, workspaceId, source)) await deps.enqueueDispatch(workspaceId, { trx });
    },
    /** For drivers that need a person to confirm (WeCom mass sends): the final answer. */
    confirmDelivery: (trx: Trx, workspaceId: string, messageIds: readonly string[], outcome: 'sent' | 'failed', error: string | null = null) =>
      delivery.confirm(trx, workspaceId, messageIds, outcome, deps.clock.now(), error),
    /** Worker: deliver due messages (webhook, SMS), retrying with backoff. */
    dispatcher,
    /** Worker: release held messages and posts to groups whose window opened, through the guard rails again. */
    releaser,
    /** The group post ledger (listing; posting is `postToGroups`). */
    groupPosts,
    ledger,
    templates,
    settings,
    /** Messages follow customer merges and undos (the composition registers this). */
    mergeParticipant: messagesMergeParticipant,
    /** The worker's jobs: dispatch on demand, and a minute tick (release, sweep leases, purge counters). */
    jobs(): JobDefinition<DispatchJob>[] {
      return [
        {
          name: DISPATCH_JOB,
          batchSize: 20,
          queue: { retryLimit: 5, retryDelay: 10 },
          handler: async (jobs) => {
            for (const ws of new Set(jobs.map((j) => j.data.workspaceId))) await dispatcher.runDue({ workspaceId: ws });
          },
        },
        {
          name: TICK_JOB,
          schedule: { cron: '* * * * *' },
          handler: async () => {
            await releaser.releaseDue();
            await dispatcher.runDue();
            await purgeOldUsage(deps.db, new Date(deps.clock.now().getTime() - 2 * 86_400_000));
          },
        },
      ];
    },
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerMessagingRoutes(app, authenticator, { ledger, templates, settings });
      registerGroupPostRoutes(app, authenticator, groupPosts);
    },
  };
}

export type MessagingModule = ReturnType<typeof createMessagingModule>;
