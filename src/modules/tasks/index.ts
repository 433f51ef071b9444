/**
 * Operator tasks: customers handed to people (1-on-1 private chat, call back) with an assignee
 * or pool, a due time and a script suggestion; each advisor's inbox; done/skip with an outcome.
 * Journeys (and later campaigns) create tasks through `createTasks` inside their transaction.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import { registerTasksRoutes } from './tasks.routes.ts';
import { createTasksService, type TasksDeps } from './tasks.service.ts';

export type { TasksDeps, NewTask } from './tasks.service.ts';
export { TASK_KINDS, TASK_OUTCOMES, TASK_STATUSES, type TaskKind, type TaskOutcome, type TaskStatus, type TaskSourceKind } from './tasks.schemas.ts';

export function createTasksModule(deps: TasksDeps) {
  const service = createTasksService(deps);
  return {
    service,
    /** Creates tasks in the caller's transaction, idempotently by sourceKey; returns the ids created. */
    createTasks: service.createTasks,
    /** Tasks of a source (e.g. a journey) by step, version, status and outcome. */
    countBySource: service.countBySource,
    skipOpenBySource: service.skipOpenBySource,
    mergeParticipant: service.mergeParticipant,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerTasksRoutes(app, authenticator, service);
    },
  };
}

export type TasksModule = ReturnType<typeof createTasksModule>;
