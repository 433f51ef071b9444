/** The messaging API as the console calls it. */
import { api, request, type Query } from '../../app/api/client.ts';
import type { ListReply } from '../../app/api/types.ts';
import type {
  CustomerMessages, DriverSaved, GroupPostFilter, GroupPostPage, Message, MessageFilter, MessagePage, MessagingSettings, Preview, ReplayResult, SettingsView, SmsConfig,
  Template, TemplateDraft, TemplateVersion,
} from './types.ts';

export interface PreviewRequest {
  templateId?: string;
  content?: { title: string | null; text: string };
  customerId?: number;
}

export const messagingApi = {
  list: (filter: MessageFilter, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<MessagePage>('/messages', { ...(filter as Query), limit, cursor: cursor ?? undefined }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<Message>(`/messages/${id}`, undefined, signal),
  replayOne: (id: string) => api.post<Message>(`/messages/${id}/replay`),
  deadLetters: (cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<MessagePage>('/dead-letters', { limit, cursor: cursor ?? undefined }, signal),
  replay: (ids: string[]) => api.post<ReplayResult>('/dead-letters/replay', { ids }),
  ofCustomer: (customerId: number, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<CustomerMessages>(`/customers/${customerId}/messages`, { limit, cursor: cursor ?? undefined }, signal),
  groupPosts: (filter: GroupPostFilter, cursor: string | null, limit: number, signal?: AbortSignal) =>
    api.get<GroupPostPage>('/group-posts', { ...(filter as Query), limit, cursor: cursor ?? undefined }, signal),
  preview: (body: PreviewRequest, signal?: AbortSignal) => request<Preview>('POST', '/messages/preview', { body, ...(signal ? { signal } : {}) }),

  templates: (includeArchived: boolean, signal?: AbortSignal) =>
    api.get<ListReply<Template>>('/message-templates', { archived: includeArchived ? 'true' : 'false' }, signal),
  createTemplate: (draft: TemplateDraft) => api.post<Template>('/message-templates', draft),
  updateTemplate: (id: string, patch: Partial<TemplateDraft>) => api.patch<Template>(`/message-templates/${id}`, patch),
  archiveTemplate: (id: string) => api.delete<{ ok: true }>(`/message-templates/${id}`),
  versions: (id: string, signal?: AbortSignal) => api.get<ListReply<TemplateVersion>>(`/message-templates/${id}/versions`, undefined, signal),

  settings: (signal?: AbortSignal) => api.get<SettingsView>('/messaging/settings', undefined, signal),
  saveSettings: (settings: MessagingSettings) => request<SettingsView>('PUT', '/messaging/settings', { body: settings }),
  saveWebhook: (url: string, rotateSecret: boolean) => request<DriverSaved>('PUT', '/messaging/drivers/webhook', { body: { url, rotateSecret } }),
  saveSms: (config: SmsConfig & { secret?: string | null }) => request<DriverSaved>('PUT', '/messaging/drivers/sms', { body: config }),
};
