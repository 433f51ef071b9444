/**
 * Segments (SPEC C4): a rule tree over attributes, identities, tags, events in windows, orders,
 * RFM, lifecycle, layers and tiers (segments.schemas.ts); previews; saved segments whose
 * membership follows `customers.changed` within a second, re-evaluated after local midnight
 * for relative times, recorded as entries and exits and published on
 * `segments.membership_changed`; a rebuild from scratch that must agree with the live path.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import type { Logger } from '../../platform/logger.ts';
import { createBulkService } from './bulk.service.ts';
import { createMembershipService, loadCompileContext } from './membership.service.ts';
import { compileRule } from './rule-compiler.ts';
import type { Rule } from './segments.schemas.ts';
import type { CustomersChanged, EvaluateJob, Executor, SegmentsDeps } from './segments.deps.ts';
import { registerSegmentsRoutes } from './segments.routes.ts';
import { createSegmentsService } from './segments.service.ts';
import { matchingAmong, matchingPageAfter, membersAfter } from './membership.repository.ts';

export type { SegmentsDeps, CustomersChanged, EvaluateJob, MembershipChangeMessage, EvaluationCause } from './segments.deps.ts';
export { MEMBERSHIP_TOPIC } from './segments.deps.ts';
export { RuleSchema, isTimeRelative, type Rule, type Condition } from './segments.schemas.ts';

/** Subscriber of `customers.changed`: re-evaluates active segments for the changed customers. */
export const SEGMENTS_CHANGED_JOB = 'segments.customers-changed';
/** A full evaluation of one segment (queued when a segment is created, edited or resumed). */
export const SEGMENTS_EVALUATE_JOB = 'segments.evaluate';
/** Every 5 minutes: time-relative segments after a local midnight, and any never evaluated. */
export const SEGMENTS_TICK_JOB = 'segments.tick';
/** Hourly: facts that drifted from their sources without a change message. */
export const SEGMENTS_RECONCILE_JOB = 'segments.reconcile';

export function createSegmentsModule(deps: SegmentsDeps) {
  const membership = createMembershipService(deps);
  const segments = createSegmentsService(deps);
  const bulk = createBulkService(deps, segments, membership);

  /**
   * Which of `customerIds` match `rule` right now, read from the sources themselves (no lag):
   * for journeys' conditions on a handful of customers.
   */
  async function matching(workspaceId: string, rule: Rule, customerIds: readonly number[], db: Executor = deps.db): Promise<Set<number>> {
    if (!customerIds.length) return new Set();
    const ctx = await loadCompileContext(db, workspaceId);
    const condition = compileRule(rule, { ...ctx, now: deps.clock.now(), customerIds });
    return matchingAmong(db, workspaceId, condition, customerIds);
  }

  /**
   * Rule audiences for other modules (journeys' conditions, exits and scheduled audiences),
   * read with the caller's executor so they can run inside its transaction.
   */
  const audiences = {
    matching: (db: Executor, workspaceId: string, rule: Rule, customerIds: readonly number[]) => matching(workspaceId, rule, customerIds, db),
    /** Customers matching `rule` now, ids ascending after `afterId`, evaluated over the sources. */
    async matchingPage(db: Executor, workspaceId: string, rule: Rule, afterId: number, limit: number): Promise<number[]> {
      const ctx = await loadCompileContext(db, workspaceId);
      const condition = compileRule(rule, { ...ctx, now: deps.clock.now(), customerRange: { after: afterId, upTo: null } });
      return matchingPageAfter(db, workspaceId, condition, afterId, limit);
    },
    /** Members of a segment, ids ascending after `afterId`. */
    membersPage: (db: Executor, workspaceId: string, segmentId: string, afterId: number, limit: number) => membersAfter(db, workspaceId, segmentId, afterId, limit),
  };

  function jobDefinitions(logger: Logger): JobDefinition[] {
    return [
      {
        name: SEGMENTS_CHANGED_JOB,
        topics: ['customers.changed'],
        // The inserted events are for journeys' event triggers; this queue reads only the customers.
        omit: ['events'],
        batchSize: 100,
        pollingIntervalSeconds: 0.5,
        handler: async (jobs) => void (await membership.onCustomersChanged(jobs.map((j) => j.data as Partial<CustomersChanged>))),
      },
      {
        name: SEGMENTS_EVALUATE_JOB,
        // One evaluation per segment at a time; a later edit queues a fresh one.
        queue: { retryLimit: 3, retryDelay: 10, expireInSeconds: 4 * 3600 },
        pollingIntervalSeconds: 0.5,
        handler: async (jobs) => {
          for (const job of jobs) {
            const { workspaceId, segmentId } = job.data as EvaluateJob;
            const r = await membership.evaluateSegment(workspaceId, segmentId, 'rule');
            logger.info({ job: SEGMENTS_EVALUATE_JOB, workspaceId, segmentId, ...r }, 'segment evaluated');
          }
        },
      },
      {
        name: SEGMENTS_TICK_JOB,
        schedule: { cron: '*/5 * * * *' },
        handler: async () => {
          const n = await membership.runDue();
          if (n) logger.info({ job: SEGMENTS_TICK_JOB, segments: n }, 'segments re-evaluated');
        },
      },
      {
        name: SEGMENTS_RECONCILE_JOB,
        schedule: { cron: '17 * * * *' },
        queue: { expireInSeconds: 3600 },
        handler: async () => {
          const r = await membership.reconcileAll();
          if (r.customers) logger.info({ job: SEGMENTS_RECONCILE_JOB, ...r }, 'segment facts reconciled');
        },
      },
    ] as JobDefinition[];
  }

  return {
    segments,
    membership,
    bulk,
    matching,
    audiences,
    jobDefinitions,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerSegmentsRoutes(app, authenticator, { segments, bulk });
    },
  };
}

export type SegmentsModule = ReturnType<typeof createSegmentsModule>;
