import type { FastifyInstance } from 'fastify';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { TasksService } from './tasks.service.ts';
import * as s from './tasks.schemas.ts';

export function registerTasksRoutes(app: FastifyInstance, authenticator: Authenticator, tasks: TasksService): void {
  const read = { kind: 'workspace', permission: 'tasks.read', apiKey: true } as const;
  const write = { kind: 'workspace', permission: 'tasks.write' } as const;
  const tags = ['tasks'];

  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tasks', auth: read, tags,
    summary: 'The task inbox: tasks by due time, filtered by assignee (me, unassigned, a member), pool, status, due, customer or source',
    query: s.ListTasksQuerySchema, response: { 200: s.TaskPageSchema },
    handler: ({ ctx, query }) => tasks.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tasks/counts', auth: read, tags,
    summary: 'Open, overdue, due today and completed today for an assignee or pool; open unassigned tasks per pool',
    query: s.CountsQuerySchema, response: { 200: s.TaskCountsSchema },
    handler: ({ ctx, query }) => tasks.counts(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tasks/:taskId', auth: read, tags,
    summary: 'One task',
    params: s.TaskIdParamsSchema, response: { 200: s.TaskSchema },
    handler: ({ ctx, params }) => tasks.get(ctx, params.taskId),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tasks', auth: write, tags,
    summary: 'Create a task by hand (a member or a pool, a due time, an optional customer and script)',
    body: s.CreateTaskBodySchema, response: { 201: s.TaskSchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return tasks.create(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tasks/:taskId/complete', auth: write, tags,
    summary: 'Close a task: done with an outcome (reached, no answer, converted, not interested, other) or skipped, with a note',
    params: s.TaskIdParamsSchema, body: s.CompleteTaskBodySchema, response: { 200: s.TaskSchema },
    handler: ({ ctx, params, body }) => tasks.complete(ctx, params.taskId, body),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tasks/:taskId/assign', auth: write, tags,
    summary: 'Take a task (assigneeUserId "me"), give it to a member, or put it back into a pool',
    params: s.TaskIdParamsSchema, body: s.AssignTaskBodySchema, response: { 200: s.TaskSchema },
    handler: ({ ctx, params, body }) => tasks.assign(ctx, params.taskId, body),
  });
}
