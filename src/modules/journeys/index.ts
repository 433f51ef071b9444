/**
 * Journeys (SPEC C5): definitions (trigger, step graph, re-entry, exits, goal) with versions,
 * the step runner (worker batches, one transaction per batch, exactly-once sends through
 * messaging), triggers from the change feed, segment changes and schedules, built-in
 * playbooks and group SOPs, funnels and A/B results. See docs/journeys.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import type { JobDefinition } from '../../platform/jobs/jobs.ts';
import { createEnrollmentsService } from './enrollments.service.ts';
import * as enr from './enrollments.repository.ts';
import { CUSTOMERS_CHANGED_JOB, RUN_JOB, SEGMENTS_CHANGED_JOB, TICK_JOB, type JourneysDeps, type Trx } from './journeys.deps.ts';
import { registerJourneysRoutes } from './journeys.routes.ts';
import { createJourneysService } from './journeys.service.ts';
import { createRunner } from './runner.service.ts';
import { createStatsService } from './stats.service.ts';
import { createTriggers, type CustomersChanged, type MembershipChanged } from './triggers.service.ts';

export type { JourneysDeps, JourneyMessaging, JourneySegments, JourneyTags, JourneyTasks, GroupPost } from './journeys.deps.ts';
export { RUN_JOB, TICK_JOB, CUSTOMERS_CHANGED_JOB, SEGMENTS_CHANGED_JOB } from './journeys.deps.ts';
export type { CustomersChanged, MembershipChanged } from './triggers.service.ts';
export { PLAYBOOKS, findPlaybook, type Playbook } from './playbooks.ts';
export { JourneyDefinitionSchema, type JourneyDefinition, type JourneyDefinitionInput } from './journeys.schemas.ts';

export function createJourneysModule(deps: JourneysDeps) {
  const runner = createRunner(deps);
  const triggers = createTriggers(deps, runner);
  const journeys = createJourneysService(deps);
  const enrollments = createEnrollmentsService(deps, runner);
  const stats = createStatsService(deps);

  function jobDefinitions(): JobDefinition[] {
    return [
      {
        name: RUN_JOB,
        // Kicks are deduplicated per slot (policy short + singletonKey): at most one waits per slot.
        // A worker that dies mid-batch stops its heartbeat: the batch is retried within about a
        // minute (the supervisor's interval), not after the default 15-minute expiry.
        queue: { policy: 'short', retryLimit: 5, retryDelay: 5, heartbeatSeconds: 10 },
        concurrency: 2,
        pollingIntervalSeconds: 0.5,
        handler: async () => {
          const { more } = await runner.drain({ budgetMs: 30_000 });
          if (more) await deps.wakeRunner({});
        },
      },
      {
        name: TICK_JOB,
        schedule: { cron: '* * * * *' },
        handler: async () => {
          await triggers.tick();
        },
      },
      {
        name: CUSTOMERS_CHANGED_JOB,
        topics: ['customers.changed'],
        batchSize: 50,
        pollingIntervalSeconds: 0.5,
        queue: { retryLimit: 5, retryDelay: 5, heartbeatSeconds: 10 },
        handler: async (jobs) => triggers.onCustomersChanged(jobs.map((j) => j.data as Partial<CustomersChanged>)),
      } satisfies JobDefinition<Partial<CustomersChanged>>,
      {
        name: SEGMENTS_CHANGED_JOB,
        topics: ['segments.membership_changed'],
        batchSize: 50,
        pollingIntervalSeconds: 0.5,
        queue: { retryLimit: 5, retryDelay: 5, heartbeatSeconds: 10 },
        handler: async (jobs) => triggers.onSegmentsChanged(jobs.map((j) => j.data as Partial<MembershipChanged>)),
      } satisfies JobDefinition<Partial<MembershipChanged>>,
    ] as JobDefinition[];
  }

  return {
    journeys,
    enrollments,
    stats,
    runner,
    triggers,
    jobDefinitions,
    /** A merged-away customer's journeys end ("merged"); the survivor enters on its own triggers. */
    mergeParticipant: {
      name: 'journeys',
      onMerge: async (trx: Trx, workspaceId: string, fromCustomerId: number) => {
        await enr.exitCustomers(trx, workspaceId, [fromCustomerId], 'merged', deps.clock.now());
      },
      onMergeMany: async (trx: Trx, workspaceId: string, moves: { from: number }[]) => {
        await enr.exitCustomers(trx, workspaceId, moves.map((m) => m.from), 'merged', deps.clock.now());
      },
      onUnmerge: async () => {},
    },
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerJourneysRoutes(app, authenticator, { journeys, enrollments, stats });
    },
  };
}

export type JourneysModule = ReturnType<typeof createJourneysModule>;
