/** The segments and scoring API as the console calls it. */
import { api, request } from '../../app/api/client.ts';
import type { ListReply, Member } from '../../app/api/types.ts';
import type { Rule } from './rule/types.ts';
import type {
  AttributeOption, CustomerRow, HistoryItem, IdentityTypeOption, KeysetPage, MemberRow, PreviewResult, Segment, SegmentStatus,
  TagMembersResult, TagOption, TransitionCustomer, TransitionDimension,
} from './types.ts';

export interface SegmentDraft {
  name: string;
  description: string | null;
  rule: Rule;
}

export interface TransitionCell {
  dimension: TransitionDimension;
  from: string;
  to: string;
  /** Omitted: customers without a value on that day. */
  fromValue?: string | undefined;
  toValue?: string | undefined;
}

export const segmentsApi = {
  list: (q: string | undefined, signal?: AbortSignal) => api.get<ListReply<Segment>>('/segments', { q }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Segment>(`/segments/${id}`, undefined, signal),
  create: (draft: SegmentDraft) => api.post<Segment>('/segments', draft),
  update: (id: string, patch: Partial<SegmentDraft> & { status?: SegmentStatus }) => api.patch<Segment>(`/segments/${id}`, patch),
  remove: (id: string) => api.delete<{ ok: true }>(`/segments/${id}`),
  preview: (rule: Rule, sampleSize: number, signal?: AbortSignal) =>
    request<PreviewResult>('POST', '/segments/preview', { body: { rule, sampleSize }, ...(signal ? { signal } : {}) }),
  previewCustomers: (rule: Rule, cursor: number | null, limit: number, signal?: AbortSignal) =>
    request<KeysetPage<CustomerRow>>('POST', '/segments/preview/customers', {
      body: { rule, limit, ...(cursor ? { cursor } : {}) },
      ...(signal ? { signal } : {}),
    }),
  members: (id: string, cursor: number | null, limit: number, signal?: AbortSignal) =>
    api.get<KeysetPage<MemberRow>>(`/segments/${id}/members`, { limit, cursor: cursor ?? undefined }, signal),
  history: (id: string, change: string | undefined, cursor: number | null, limit: number, signal?: AbortSignal) =>
    api.get<KeysetPage<HistoryItem>>(`/segments/${id}/history`, { limit, change, cursor: cursor ?? undefined }, signal),
  tagMembers: (id: string, tagId: string) => api.post<TagMembersResult>(`/segments/${id}/tag`, { tagId }),
  /** A plain link: the browser streams the file with the session's current workspace. */
  membersCsvHref: (id: string) => `/api/v1/segments/${id}/members.csv`,
  transitionCustomers: (cell: TransitionCell, cursor: number | null, limit: number, signal?: AbortSignal) =>
    api.get<KeysetPage<TransitionCustomer>>('/scoring/transitions/customers', { ...cell, limit, cursor: cursor ?? undefined }, signal),
};

export const lookupsApi = {
  tags: (signal?: AbortSignal) => api.get<ListReply<TagOption>>('/tags', undefined, signal),
  identityTypes: (signal?: AbortSignal) => api.get<ListReply<IdentityTypeOption>>('/identity-types', undefined, signal),
  attributes: (signal?: AbortSignal) => api.get<ListReply<AttributeOption>>('/attribute-definitions', undefined, signal),
  members: (signal?: AbortSignal) => api.get<ListReply<Member>>('/members', undefined, signal),
};
