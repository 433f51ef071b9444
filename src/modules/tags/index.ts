/**
 * Tags (SPEC C3): tag groups and tags (static, consumption, tier), manual and bulk tagging,
 * automatic tag rules over behaviour in a window, every change on the timeline.
 *
 * Other modules: `tagCustomers` / `untagCustomers` tag many customers at once (segments:
 * "tag everyone in this segment"); `mergeParticipant` makes tags follow merges; the jobs
 * react to `customers.changed`, apply changed rules, and re-check windows as time passes.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import { createCatalogService } from './catalog.service.ts';
import { createChangeRecorder } from './changes.service.ts';
import { customersToEvaluate, isRelevantChange } from './changed-feed.ts';
import { createTagMergeParticipant } from './merges.service.ts';
import { createRulesService } from './rules.service.ts';
import { createTaggingService } from './tagging.service.ts';
import type { CustomersChanged, TagsDeps } from './tags.deps.ts';
import { registerTagsRoutes } from './tags.routes.ts';
import * as repo from './tags.repository.ts';

export type { TagsDeps, CustomersChanged } from './tags.deps.ts';
export type { BulkResult, BulkOptions } from './tagging.service.ts';
export { TAG_KINDS, TAG_SOURCES, MAX_BULK_CUSTOMERS, type TagKind, type TagSource, type RuleDefinition } from './tags.schemas.ts';

/** Subscriber of `customers.changed`: re-evaluates rule tags of the changed customers. */
export const TAGS_CHANGED_JOB = 'tags.customers-changed';
/** Applies the workspace's rules to every customer after a rule changed (one queued per workspace). */
export const TAGS_APPLY_JOB = 'tags.apply-rules';
/** Every minute: re-checks rule tags whose window may have passed; finishes interrupted tag deletions. */
export const TAGS_RECHECK_JOB = 'tags.recheck';

export function createTagsModule(deps: TagsDeps) {
  const changes = createChangeRecorder(deps);
  const catalog = createCatalogService(deps, changes);
  const tagging = createTaggingService(deps, changes);
  const rules = createRulesService(deps, changes);

  /** Re-evaluates rule tags for a batch of `customers.changed` data (idempotent, order-independent). */
  async function onCustomersChanged(batch: readonly Partial<CustomersChanged>[]): Promise<void> {
    for (const [workspaceId, ids] of customersToEvaluate(batch)) await rules.evaluateCustomers(workspaceId, ids);
  }

  /** The scheduled re-check: expired windows, then deletions a crash interrupted. */
  async function recheck(): Promise<{ rechecked: number; purged: number }> {
    const rechecked = await rules.recheckExpired();
    const pending = await repo.tagsBeingDeleted(deps.db, 100);
    for (const p of pending) await catalog.purge(p.workspaceId, p.tagId);
    return { rechecked, purged: pending.length };
  }

  function jobDefinitions(logger: Logger): JobDefinition[] {
    return [
      {
        name: TAGS_CHANGED_JOB,
        topics: ['customers.changed'],
        // The inserted events are for journeys' event triggers; this queue reads only the customers.
        omit: ['events'],
        // Changes caused by tags, scores or segments only: nothing a rule reads moved.
        accepts: (data) => isRelevantChange({ causes: data.causes ?? [] }),
        batchSize: 50,
        pollingIntervalSeconds: 0.5,
        handler: async (jobs) => onCustomersChanged(jobs.map((j) => j.data as Partial<CustomersChanged>)),
      } satisfies JobDefinition<Partial<CustomersChanged>>,
      {
        name: TAGS_APPLY_JOB,
        queue: { policy: 'stately', retryLimit: 3, retryDelay: 30, expireInSeconds: 4 * 3600 },
        pollingIntervalSeconds: 1,
        handler: async (jobs) => {
          for (const job of jobs) {
            const { workspaceId } = job.data as { workspaceId: string };
            const result = await rules.applyAll(workspaceId);
            logger.info({ job: TAGS_APPLY_JOB, workspaceId, ...result }, 'tag rules applied');
          }
        },
      },
      {
        name: TAGS_RECHECK_JOB,
        // Rule tags whose window passed go within about a minute (documented in docs/tags.md).
        schedule: { cron: '* * * * *' },
        handler: async () => {
          const result = await recheck();
          if (result.rechecked || result.purged) logger.info({ job: TAGS_RECHECK_JOB, ...result }, 'tags re-checked');
        },
      },
    ] as JobDefinition[];
  }

  return {
    catalog,
    tagging,
    rules,
    /** Gives a tag to many customers (any number, set-based chunks); see tagging.service.ts. */
    tagCustomers: tagging.tagCustomers,
    untagCustomers: tagging.untagCustomers,
    mergeParticipant: createTagMergeParticipant(deps),
    onCustomersChanged,
    recheck,
    jobDefinitions,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerTagsRoutes(app, authenticator, { catalog, tagging, rules });
    },
  };
}

export type TagsModule = ReturnType<typeof createTagsModule>;
