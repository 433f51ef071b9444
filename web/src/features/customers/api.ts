/** The customers API as the console calls it. */
import { api, type Query } from '../../app/api/client.ts';
import type { ListReply, Member } from '../../app/api/types.ts';
import type {
  AttributeDefinition,
  CustomerPage,
  CustomerPatch,
  CustomerProfile,
  IdentityType,
  MergeResult,
  Note,
  ResolveResult,
  ReviewPage,
  TimelinePage,
  UndoResult,
} from './types.ts';

/** Filters of the customer list; empty values are left out of the request. */
export interface CustomerFilter {
  q?: string;
  phone?: string;
  identityType?: string;
  identityValue?: string;
  identityScope?: string;
  consent?: string;
  sourceChannel?: string;
  owner?: string;
  attribute?: string;
}

export const customersApi = {
  list: (filter: CustomerFilter, cursor: number | null, limit: number, signal?: AbortSignal) =>
    api.get<CustomerPage>('/customers', { ...(filter as Query), limit, cursor: cursor ?? undefined }, signal),
  profile: (id: number, signal?: AbortSignal) => api.get<CustomerProfile>(`/customers/${id}`, undefined, signal),
  patch: (id: number, body: CustomerPatch) => api.patch<CustomerProfile>(`/customers/${id}`, body),
  timeline: (id: number, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<TimelinePage>(`/customers/${id}/timeline`, { limit, cursor: cursor ?? undefined }, signal),
  addNote: (id: number, body: string) => api.post<Note>(`/customers/${id}/notes`, { body }),
  recordConsent: (id: number, status: 'granted' | 'denied', source?: string) =>
    api.post<CustomerProfile>(`/customers/${id}/consent`, { status, ...(source ? { source } : {}) }),
  merge: (survivorId: number, otherId: number, note?: string) =>
    api.post<MergeResult>(`/customers/${survivorId}/merge`, { otherId, ...(note ? { note } : {}) }),
  undoMerge: (mergeId: string) => api.post<UndoResult>(`/customer-merges/${mergeId}/undo`),
  reviews: (status: string, kind: string | undefined, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<ReviewPage>('/merge-reviews', { status, kind, cursor: cursor ?? undefined, limit }, signal),
  resolveReview: (reviewId: string, action: 'merge' | 'dismiss', survivorId?: number) =>
    api.post<ResolveResult>(`/merge-reviews/${reviewId}/resolve`, { action, ...(survivorId ? { survivorId } : {}) }),
  identityTypes: (signal?: AbortSignal) => api.get<ListReply<IdentityType>>('/identity-types', undefined, signal),
  attributeDefinitions: (signal?: AbortSignal) => api.get<ListReply<AttributeDefinition>>('/attribute-definitions', undefined, signal),
  members: (signal?: AbortSignal) => api.get<ListReply<Member>>('/members', undefined, signal),
};
