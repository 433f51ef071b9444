/** The tasks API as the console calls it. */
import { api, type Query } from '../../app/api/client.ts';
import type { CompleteBody, Task, TaskCounts, TaskPage, TaskQuery } from './types.ts';

export const tasksApi = {
  list: (query: TaskQuery, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<TaskPage>('/tasks', { ...(query as unknown as Query), limit, cursor: cursor ?? undefined }, signal),
  counts: (query: Pick<TaskQuery, 'assignee' | 'pool'>, signal?: AbortSignal) => api.get<TaskCounts>('/tasks/counts', query as Query, signal),
  take: (id: string) => api.post<Task>(`/tasks/${id}/assign`, { assigneeUserId: 'me' }),
  complete: (id: string, body: CompleteBody) => api.post<Task>(`/tasks/${id}/complete`, body),
};
