/** The journeys API as the console calls it. */
import { api, request } from '../../app/api/client.ts';
import type { ListReply } from '../../app/api/types.ts';
import type {
  Enrollment, EnrollmentState, Journey, JourneyDefinition, JourneyStats, JourneyStatus, JourneySummary, JourneyVersion, MessageTemplate, Playbook,
  SegmentOption, ValidationResult,
} from './types.ts';

export interface JourneyDraft {
  name: string;
  description?: string | null;
  definition: JourneyDefinition;
}

export type JourneyAction = 'activate' | 'pause' | 'resume' | 'stop';

export const journeysApi = {
  list: (status: JourneyStatus | undefined, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<{ items: JourneySummary[]; nextCursor: string | null }>('/journeys', { status, cursor, limit: 50 }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Journey>(`/journeys/${id}`, undefined, signal),
  create: (draft: JourneyDraft) => api.post<Journey>('/journeys', { ...draft, description: draft.description ?? undefined }),
  update: (id: string, patch: Partial<JourneyDraft>) => api.patch<Journey>(`/journeys/${id}`, patch),
  validate: (definition: unknown, signal?: AbortSignal) =>
    request<ValidationResult>('POST', '/journeys/validate', { body: { definition }, ...(signal ? { signal } : {}) }),
  act: (id: string, action: JourneyAction, reason?: string) =>
    api.post<Journey>(`/journeys/${id}/${action}`, action === 'stop' && reason ? { reason } : {}),
  versions: (id: string, signal?: AbortSignal) => api.get<{ items: JourneyVersion[] }>(`/journeys/${id}/versions`, undefined, signal),
  stats: (id: string, version: number | undefined, signal?: AbortSignal) => api.get<JourneyStats>(`/journeys/${id}/stats`, { version }, signal),
  enrollments: (id: string, filter: { state?: EnrollmentState | undefined; step?: string | undefined }, cursor: number | null, signal?: AbortSignal) =>
    api.get<{ items: Enrollment[]; nextCursor: number | null }>(`/journeys/${id}/enrollments`, { ...filter, limit: 50, cursor: cursor ?? undefined }, signal),
  playbooks: (signal?: AbortSignal) => api.get<{ items: Playbook[] }>('/journey-playbooks', undefined, signal),
  fromPlaybook: (key: string, body: { name?: string; activate: boolean; groupIds?: string[] }) => api.post<Journey>(`/journey-playbooks/${key}/journeys`, body),
};

export const journeyLookupsApi = {
  segments: (signal?: AbortSignal) => api.get<ListReply<SegmentOption>>('/segments', undefined, signal),
  templates: (signal?: AbortSignal) => api.get<ListReply<MessageTemplate>>('/message-templates', undefined, signal),
};
