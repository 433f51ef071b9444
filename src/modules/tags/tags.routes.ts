import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { CatalogService } from './catalog.service.ts';
import { watchableEventTypes } from './rule-definition.ts';
import type { RulesService } from './rules.service.ts';
import type { TaggingService } from './tagging.service.ts';
import * as s from './tags.schemas.ts';

export interface TagsRouteDeps {
  catalog: CatalogService;
  tagging: TaggingService;
  rules: RulesService;
}

export function registerTagsRoutes(app: FastifyInstance, authenticator: Authenticator, deps: TagsRouteDeps): void {
  const { catalog, tagging, rules } = deps;
  const read = { kind: 'workspace', permission: 'tags.read', apiKey: true } as const;
  const write = { kind: 'workspace', permission: 'tags.write', apiKey: true } as const;
  const tags = ['tags'];
  const created = <T>(reply: { status(code: number): unknown }, value: T) => {
    reply.status(201);
    return value;
  };

  // ---- groups ------------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tag-groups', auth: read, tags,
    summary: 'Tag groups with their tags and how many customers hold each',
    response: { 200: s.TagGroupListSchema },
    handler: ({ ctx }) => catalog.listGroups(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tag-groups', auth: write, tags,
    summary: 'Create a tag group (kind: static, consumption or tier)',
    body: s.CreateTagGroupBodySchema, response: { 201: s.TagGroupSchema },
    handler: async ({ ctx, body, reply }) => created(reply, await catalog.createGroup(ctx, body)),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/tag-groups/:groupId', auth: write, tags,
    summary: 'Rename a tag group, change its kind, description or position',
    params: s.TagGroupIdParamsSchema, body: s.PatchTagGroupBodySchema, response: { 200: s.TagGroupSchema },
    handler: ({ ctx, params, body }) => catalog.patchGroup(ctx, params.groupId, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/tag-groups/:groupId', auth: write, tags,
    summary: 'Delete an empty tag group',
    params: s.TagGroupIdParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => catalog.deleteGroup(ctx, params.groupId),
  });

  // ---- tags --------------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tags', auth: read, tags,
    summary: 'Tags with their holder counts, by group, kind or name',
    query: s.TagListQuerySchema, response: { 200: s.TagListSchema },
    handler: ({ ctx, query }) => catalog.listTags(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tags', auth: write, tags,
    summary: 'Create a tag in a group (names are unique per group)',
    body: s.CreateTagBodySchema, response: { 201: s.TagSchema },
    handler: async ({ ctx, body, reply }) => created(reply, await catalog.createTag(ctx, body)),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tags/:tagId', auth: read, tags,
    summary: 'A tag with its holder count',
    params: s.TagIdParamsSchema, response: { 200: s.TagSchema },
    handler: ({ ctx, params }) => catalog.getTag(ctx, params.tagId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/tags/:tagId', auth: write, tags,
    summary: 'Rename a tag, move it to another group, change its kind, colour or description',
    params: s.TagIdParamsSchema, body: s.PatchTagBodySchema, response: { 200: s.TagSchema },
    handler: ({ ctx, params, body }) => catalog.patchTag(ctx, params.tagId, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/tags/:tagId', auth: write, tags,
    summary: 'Delete a tag: it is taken from every holder (each removal on the timeline) and its rules are deleted',
    params: s.TagIdParamsSchema, response: { 200: s.DeletedTagSchema },
    handler: ({ ctx, params }) => catalog.deleteTag(ctx, params.tagId),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tags/:tagId/customers', auth: write, tags,
    summary: `Give the tag to customers by id (at most ${s.MAX_BULK_CUSTOMERS}); idempotent`,
    params: s.TagIdParamsSchema, body: s.BulkCustomersBodySchema, response: { 200: s.BulkResultSchema },
    bodyLimit: 1024 * 1024,
    handler: ({ ctx, params, body }) => tagging.tagCustomers(ctx, params.tagId, body.customerIds),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tags/:tagId/customers/remove', auth: write, tags,
    summary: `Take the tag from customers by id (at most ${s.MAX_BULK_CUSTOMERS}), whatever gave it; idempotent`,
    params: s.TagIdParamsSchema, body: s.BulkCustomersBodySchema, response: { 200: s.BulkResultSchema },
    bodyLimit: 1024 * 1024,
    handler: ({ ctx, params, body }) => tagging.untagCustomers(ctx, params.tagId, body.customerIds),
  });

  // ---- one customer's tags -------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId/tags', auth: read, tags,
    summary: "A customer's tags: how each was given (manual, rule, import, sync), by whom and when",
    params: s.CustomerParamsSchema, response: { 200: s.CustomerTagListSchema },
    handler: ({ ctx, params }) => tagging.customerTags(ctx, params.customerId),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/customers/:customerId/tags', auth: write, tags,
    summary: 'Give a customer a tag by hand (rules never remove it); idempotent',
    params: s.CustomerParamsSchema, body: s.AddCustomerTagBodySchema, response: { 200: s.CustomerTagChangeSchema },
    handler: ({ ctx, params, body }) => tagging.addToCustomer(ctx, params.customerId, body.tagId),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/customers/:customerId/tags/:tagId', auth: write, tags,
    summary: 'Take a tag from a customer, whatever gave it; idempotent (a rule that still holds gives it back on its next evaluation)',
    params: s.CustomerTagParamsSchema, response: { 200: s.CustomerTagChangeSchema },
    handler: ({ ctx, params }) => tagging.removeFromCustomer(ctx, params.customerId, params.tagId),
  });

  // ---- rules ---------------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tag-rules', auth: read, tags,
    summary: 'Automatic tag rules, with how many customers hold a tag through each',
    query: z.strictObject({ tagId: z.uuid().optional() }), response: { 200: s.TagRuleListSchema },
    handler: ({ ctx, query }) => rules.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tag-rules/event-types', auth: read, tags,
    summary: 'Event types a rule can watch (custom.* types too)',
    response: { 200: z.object({ items: z.array(z.string()) }) },
    handler: async () => ({ items: watchableEventTypes() }),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tag-rules', auth: write, tags,
    summary: 'Create a rule: conditions over events or purchases in a window give a tag; applied to existing customers in the background',
    body: s.CreateTagRuleBodySchema, response: { 201: s.TagRuleSchema },
    handler: async ({ ctx, body, reply }) => created(reply, await rules.create(ctx, body)),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/tag-rules/preview', auth: read, tags,
    summary: 'How many customers a rule definition holds for now, and a sample',
    body: s.PreviewRuleBodySchema, response: { 200: s.PreviewRuleResultSchema },
    // Reads only: nothing to audit.
    audit: false,
    handler: ({ ctx, body }) => rules.preview(ctx, body.definition),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/tag-rules/:ruleId', auth: read, tags,
    summary: 'A tag rule',
    params: s.TagRuleIdParamsSchema, response: { 200: s.TagRuleSchema },
    handler: ({ ctx, params }) => rules.get(ctx, params.ruleId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/tag-rules/:ruleId', auth: write, tags,
    summary: 'Edit a rule, or enable / disable it (rule tags follow: a disabled rule takes back what it gave)',
    params: s.TagRuleIdParamsSchema, body: s.PatchTagRuleBodySchema, response: { 200: s.TagRuleSchema },
    handler: ({ ctx, params, body }) => rules.patch(ctx, params.ruleId, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/tag-rules/:ruleId', auth: write, tags,
    summary: 'Delete a rule; the tags it gave are taken back (unless another rule gives them)',
    params: s.TagRuleIdParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => rules.remove(ctx, params.ruleId),
  });
}
