import type { FastifyInstance } from 'fastify';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { LedgerService } from './ledger.service.ts';
import type { MessagingSettingsService } from './settings.service.ts';
import type { TemplatesService } from './templates.service.ts';
import { MessagingSettingsSchema } from './settings.schemas.ts';
import * as s from './messaging.schemas.ts';

export interface MessagingRouteDeps {
  ledger: LedgerService;
  templates: TemplatesService;
  settings: MessagingSettingsService;
}

export function registerMessagingRoutes(app: FastifyInstance, authenticator: Authenticator, deps: MessagingRouteDeps): void {
  const { ledger, templates, settings } = deps;
  const read = { kind: 'workspace', permission: 'messages.read', apiKey: true } as const;
  const send = { kind: 'workspace', permission: 'messages.send', apiKey: true } as const;
  const manage = { kind: 'workspace', permission: 'workspace.manage' } as const;
  const tags = ['messages'];

  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/messages', auth: send, tags,
    summary: 'Send one message through every guard rail (consent, caps, quiet hours, quotas, template, ad-law, ledger)',
    body: s.SendBodySchema, response: { 200: s.SendOutcomeSchema },
    handler: async ({ ctx, body }) => (await ledger.sendAsCaller(ctx, [body]))[0]!,
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/messages/batch', auth: send, tags,
    summary: 'Send up to 1,000 messages in one call; outcomes in request order',
    body: s.SendBatchBodySchema, response: { 200: s.SendBatchResultSchema }, bodyLimit: 8 * 1024 * 1024,
    handler: async ({ ctx, body }) => ({ items: await ledger.sendAsCaller(ctx, body.messages) }),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/messages', auth: read, tags,
    summary: 'The send ledger, newest first, filtered by status, reason, channel, driver, source or customer',
    query: s.ListMessagesQuerySchema, response: { 200: s.MessagePageSchema },
    handler: ({ ctx, query }) => ledger.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/messages/:messageId', auth: read, tags,
    summary: 'One message with its status, reason and delivery attempts',
    params: s.MessageIdParamsSchema, response: { 200: s.MessageViewSchema },
    handler: ({ ctx, params }) => ledger.get(ctx, params.messageId),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/messages/:messageId/replay', auth: send, tags,
    summary: 'Deliver a dead letter again (consent is checked again first)',
    params: s.MessageIdParamsSchema, response: { 200: s.MessageViewSchema },
    handler: ({ ctx, params }) => ledger.replayOne(ctx, params.messageId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/dead-letters', auth: read, tags,
    summary: 'Messages whose delivery gave up after the attempt limit, newest first',
    query: s.ListMessagesQuerySchema.omit({ status: true }), response: { 200: s.MessagePageSchema },
    handler: ({ ctx, query }) => ledger.list(ctx, { ...query, status: 'failed' }),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/dead-letters/replay', auth: send, tags,
    summary: 'Deliver dead letters again; ids that are not dead letters are skipped',
    body: s.ReplayBodySchema, response: { 200: s.ReplayResultSchema },
    handler: ({ ctx, body }) => ledger.replay(ctx, body.ids),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId/messages', auth: read, tags,
    summary: 'A customer’s messages with why each was not sent (opted out, capped, quiet hours, quota, template, ad-law, driver)',
    params: s.CustomerIdParamsSchema, query: s.CustomerMessagesQuerySchema, response: { 200: s.CustomerMessagesSchema },
    handler: ({ ctx, params, query }) => ledger.forCustomer(ctx, params.customerId, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/message-stats', auth: read, tags,
    summary: 'Messages of a source (e.g. a journey) by step, version, status and reason',
    query: s.SourceStatsQuerySchema, response: { 200: s.SourceStatsSchema },
    handler: async ({ ctx, query }) => ({ items: await ledger.countBySource(ctx.workspaceId, query.sourceKind, query.sourceId) }),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/messages/preview', auth: read, tags,
    summary: 'Render a template or draft for a customer: missing variables and ad-law findings (changes nothing)',
    body: s.PreviewBodySchema, response: { 200: s.PreviewSchema }, audit: false,
    handler: ({ ctx, body }) => templates.preview(ctx, body),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/ad-law/check', auth: read, tags,
    summary: 'Check a text against the advertising-law lists (block and warn tiers; changes nothing)',
    body: s.AdLawCheckBodySchema, response: { 200: s.AdLawResultSchema }, audit: false,
    handler: ({ ctx, body }) => templates.checkText(ctx, body.text),
  });

  registerTemplateRoutes(app, authenticator, templates, { read, send });

  const settingsTags = ['messaging settings'];
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/messaging/settings', auth: { kind: 'workspace', permission: 'messages.read' }, tags: settingsTags,
    summary: 'Caps, quiet hours, quotas (with current usage), channel drivers, delivery and ad-law options',
    response: { 200: s.SettingsViewSchema },
    handler: ({ ctx }) => settings.get(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'PUT', url: '/api/v1/messaging/settings', auth: manage, tags: settingsTags,
    summary: 'Replace the messaging settings', body: MessagingSettingsSchema, response: { 200: s.SettingsViewSchema },
    handler: ({ ctx, body }) => settings.put(ctx, body),
  });
  defineRoute(app, authenticator, {
    method: 'PUT', url: '/api/v1/messaging/drivers/webhook', auth: manage, tags: settingsTags,
    summary: 'Set the outbound webhook URL; the signing secret is made the first time (or on rotate) and shown once',
    body: s.WebhookDriverBodySchema, response: { 200: s.DriverSavedSchema },
    handler: ({ ctx, body }) => settings.setWebhook(ctx, body),
  });
  defineRoute(app, authenticator, {
    method: 'PUT', url: '/api/v1/messaging/drivers/sms', auth: manage, tags: settingsTags,
    summary: 'Configure the generic HTTP SMS provider (the secret is never shown again)',
    body: s.SmsDriverBodySchema, response: { 200: s.DriverSavedSchema },
    handler: ({ ctx, body }) => settings.setSms(ctx, body),
  });
}

type Auth = { kind: 'workspace'; permission: 'messages.read' | 'messages.send'; apiKey: true };

function registerTemplateRoutes(app: FastifyInstance, authenticator: Authenticator, templates: TemplatesService, auth: { read: Auth; send: Auth }): void {
  const tags = ['message templates'];
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/message-templates', auth: auth.read, tags,
    summary: 'Message templates (current versions)', query: s.TemplateListQuerySchema, response: { 200: s.TemplateListSchema },
    handler: ({ ctx, query }) => templates.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/message-templates', auth: auth.send, tags,
    summary: 'Create a template ({nickname}, {coupon|fallback}; {{ for a literal brace)', body: s.CreateTemplateBodySchema, response: { 201: s.TemplateSchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return templates.create(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/message-templates/:templateId', auth: auth.read, tags,
    summary: 'A template and its current version', params: s.TemplateIdParamsSchema, response: { 200: s.TemplateSchema },
    handler: ({ ctx, params }) => templates.get(ctx, params.templateId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/message-templates/:templateId', auth: auth.send, tags,
    summary: 'Edit a template: a changed title or body becomes a new version', params: s.TemplateIdParamsSchema, body: s.PatchTemplateBodySchema, response: { 200: s.TemplateSchema },
    handler: ({ ctx, params, body }) => templates.update(ctx, params.templateId, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/message-templates/:templateId', auth: auth.send, tags,
    summary: 'Archive a template (versions stay for the ledger)', params: s.TemplateIdParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => templates.archive(ctx, params.templateId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/message-templates/:templateId/versions', auth: auth.read, tags,
    summary: 'Every version of a template, newest first', params: s.TemplateIdParamsSchema, response: { 200: s.TemplateVersionsSchema },
    handler: ({ ctx, params }) => templates.versions(ctx, params.templateId),
  });
}
