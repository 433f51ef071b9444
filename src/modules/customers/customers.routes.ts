import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { CustomersService } from './customers.service.ts';
import type { ReviewsService } from './reviews.service.ts';
import type { SettingsService } from './settings.service.ts';
import * as s from './customers.schemas.ts';

export interface CustomersRouteDeps {
  customers: CustomersService;
  reviews: ReviewsService;
  settings: SettingsService;
}

export function registerCustomersRoutes(app: FastifyInstance, authenticator: Authenticator, deps: CustomersRouteDeps): void {
  const { customers, reviews, settings } = deps;
  const read = { kind: 'workspace', permission: 'customers.read', apiKey: true } as const;
  const write = { kind: 'workspace', permission: 'customers.write', apiKey: true } as const;
  const merge = { kind: 'workspace', permission: 'customers.merge' } as const;
  const manage = { kind: 'workspace', permission: 'workspace.manage' } as const;
  const tags = ['customers'];

  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers', auth: read, tags,
    summary: 'List and search customers, newest first (keyset pagination by id)',
    query: s.ListCustomersQuerySchema, response: { 200: s.CustomerPageSchema },
    handler: ({ ctx, query }) => customers.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId', auth: read, tags,
    summary: 'A customer profile with identities, attributes and aggregates; a merged-away id points to its survivor',
    params: s.CustomerIdParamsSchema, response: { 200: s.CustomerProfileSchema },
    handler: ({ ctx, params }) => customers.profile(ctx, params.customerId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/customers/:customerId', auth: write, tags,
    summary: 'Edit profile fields, owner and custom attributes',
    params: s.CustomerIdParamsSchema, body: s.PatchCustomerBodySchema, response: { 200: s.CustomerProfileSchema },
    handler: ({ ctx, params, body }) => customers.patch(ctx, params.customerId, body),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId/timeline', auth: read, tags,
    summary: 'Events (orders as their order.* events), notes, consent changes, merges and undos, newest first',
    params: s.CustomerIdParamsSchema, query: s.TimelineQuerySchema, response: { 200: s.TimelinePageSchema },
    handler: ({ ctx, params, query }) => customers.timeline(ctx, params.customerId, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/customers/:customerId/notes', auth: write, tags,
    summary: 'Add an operator note to the timeline',
    params: s.CustomerIdParamsSchema, body: s.NoteBodySchema, response: { 201: s.NoteSchema },
    handler: async ({ ctx, params, body, reply }) => {
      reply.status(201);
      return customers.addNote(ctx, params.customerId, body.body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/customers/:customerId/consent', auth: write, tags,
    summary: 'Record a consent decision (purpose, channel, status); the history is kept',
    params: s.CustomerIdParamsSchema, body: s.ConsentBodySchema, response: { 200: s.CustomerProfileSchema },
    handler: ({ ctx, params, body }) => customers.recordConsent(ctx, params.customerId, body),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/customers/:customerId/merge', auth: merge, tags,
    summary: 'Merge another customer into this one (recorded, reversible; allowed despite conflicts)',
    params: s.CustomerIdParamsSchema, body: s.MergeBodySchema, response: { 200: s.MergeResultSchema },
    handler: ({ ctx, params, body }) => reviews.mergeManually(ctx, params.customerId, body.otherId, body.note),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/customer-merges/:mergeId/undo', auth: merge, tags,
    summary: 'Undo a merge: identities, the rows that came through them, and the survivor’s fields go back',
    params: s.MergeIdParamsSchema, response: { 200: s.UndoResultSchema },
    handler: ({ ctx, params }) => reviews.undoMerge(ctx, params.mergeId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/merge-reviews', auth: { kind: 'workspace', permission: 'customers.read' }, tags,
    summary: 'Links Siyu did not make by itself: strong-identity conflicts and weak links',
    query: s.ReviewQuerySchema, response: { 200: s.ReviewPageSchema },
    handler: ({ ctx, query }) => reviews.listReviews(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/merge-reviews/:reviewId/resolve', auth: merge, tags,
    summary: 'Decide a review: merge the two customers or dismiss',
    params: s.ReviewIdParamsSchema, body: s.ResolveReviewBodySchema,
    response: { 200: z.object({ id: z.string(), status: z.string(), mergeId: z.string().nullable() }) },
    handler: ({ ctx, params, body }) => reviews.resolveReview(ctx, params.reviewId, body),
  });

  // ---- settings: identity types and attribute definitions ----------------------------
  const settingsTags = ['customer settings'];
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/identity-types', auth: read, tags: settingsTags,
    summary: 'Identity types of the workspace (built-in and custom)',
    response: { 200: z.object({ items: z.array(s.IdentityTypeSchema) }) },
    handler: ({ ctx }) => settings.listIdentityTypes(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/identity-types', auth: manage, tags: settingsTags,
    summary: 'Add a custom identity type', body: s.CreateIdentityTypeBodySchema, response: { 201: s.IdentityTypeSchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return settings.addIdentityType(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/identity-types/:typeKey', auth: manage, tags: settingsTags,
    summary: 'Rename an identity type', params: s.TypeKeyParamsSchema, body: s.PatchLabelsBodySchema, response: { 200: s.IdentityTypeSchema },
    handler: ({ ctx, params, body }) => settings.updateIdentityType(ctx, params.typeKey, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/identity-types/:typeKey', auth: manage, tags: settingsTags,
    summary: 'Delete a custom identity type no customer holds', params: s.TypeKeyParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => settings.deleteIdentityType(ctx, params.typeKey),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/attribute-definitions', auth: read, tags: settingsTags,
    summary: 'Custom customer attributes and their types',
    response: { 200: z.object({ items: z.array(s.AttributeDefinitionSchema) }) },
    handler: ({ ctx }) => settings.listAttributes(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/attribute-definitions', auth: manage, tags: settingsTags,
    summary: 'Define a custom customer attribute', body: s.CreateAttributeBodySchema, response: { 201: s.AttributeDefinitionSchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return settings.addAttribute(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/attribute-definitions/:attributeKey', auth: manage, tags: settingsTags,
    summary: 'Rename an attribute or change its options', params: s.AttributeKeyParamsSchema, body: s.PatchAttributeBodySchema, response: { 200: s.AttributeDefinitionSchema },
    handler: ({ ctx, params, body }) => settings.updateAttribute(ctx, params.attributeKey, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/attribute-definitions/:attributeKey', auth: manage, tags: settingsTags,
    summary: 'Delete an attribute and its values', params: s.AttributeKeyParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => settings.deleteAttribute(ctx, params.attributeKey),
  });
}
