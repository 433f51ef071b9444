/** The tags API as the console calls it: catalog, one customer's tags, bulk tagging, rules. */
import { api } from '../../app/api/client.ts';
import type { ListReply } from '../../app/api/types.ts';
import type { BulkResult, CustomerTag, CustomerTagChange, GroupView, PreviewResult, RuleDefinition, RuleInput, TagRule } from './types.ts';

export const tagsApi = {
  groups: (signal?: AbortSignal) => api.get<ListReply<GroupView>>('/tag-groups', undefined, signal),
  customerTags: (customerId: number, signal?: AbortSignal) => api.get<{ customerId: number; items: CustomerTag[] }>(`/customers/${customerId}/tags`, undefined, signal),
  addToCustomer: (customerId: number, tagId: string) => api.post<CustomerTagChange>(`/customers/${customerId}/tags`, { tagId }),
  removeFromCustomer: (customerId: number, tagId: string) => api.delete<CustomerTagChange>(`/customers/${customerId}/tags/${tagId}`),
  tagCustomers: (tagId: string, customerIds: number[]) => api.post<BulkResult>(`/tags/${tagId}/customers`, { customerIds }),
  untagCustomers: (tagId: string, customerIds: number[]) => api.post<BulkResult>(`/tags/${tagId}/customers/remove`, { customerIds }),
  rules: (signal?: AbortSignal) => api.get<ListReply<TagRule>>('/tag-rules', undefined, signal),
  eventTypes: (signal?: AbortSignal) => api.get<ListReply<string>>('/tag-rules/event-types', undefined, signal),
  createRule: (body: RuleInput) => api.post<TagRule>('/tag-rules', body),
  patchRule: (id: string, body: Partial<RuleInput>) => api.patch<TagRule>(`/tag-rules/${id}`, body),
  deleteRule: (id: string) => api.delete<{ ok: true }>(`/tag-rules/${id}`),
  preview: (definition: RuleDefinition) => api.post<PreviewResult>('/tag-rules/preview', { definition }),
};
