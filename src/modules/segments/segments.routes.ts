import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { forbidden } from '../../platform/errors.ts';
import { can } from '../../platform/http/context.ts';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { BulkService } from './bulk.service.ts';
import type { SegmentsService } from './segments.service.ts';
import * as s from './segments-http.schemas.ts';

export function registerSegmentsRoutes(app: FastifyInstance, authenticator: Authenticator, deps: { segments: SegmentsService; bulk: BulkService }): void {
  const { segments, bulk } = deps;
  const read = { kind: 'workspace', permission: 'segments.read', apiKey: true } as const;
  const write = { kind: 'workspace', permission: 'segments.write' } as const;
  const tags = ['segments'];

  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments/validate', auth: read, tags, audit: false, // a check, changes nothing
    summary: 'Check a rule: 200 with the rule as stored, or 400 with the path of each bad node and the reason',
    body: s.RuleBodySchema, response: { 200: s.ValidateResultSchema },
    handler: ({ ctx, body }) => segments.validate(ctx, body.rule),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments/preview', auth: read, tags, audit: false, // a read
    summary: 'How many customers a rule matches now, with a sample of the newest',
    body: s.PreviewBodySchema, response: { 200: s.PreviewResultSchema },
    handler: ({ ctx, body }) => segments.preview(ctx, body.rule, body.sampleSize),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments/preview/customers', auth: read, tags, audit: false, // a read
    summary: 'The customers a rule matches, newest first (keyset pagination by id; rows as in the customers list)',
    body: s.PreviewCustomersBodySchema, response: { 200: s.CustomerPageSchema },
    handler: ({ ctx, body }) => segments.previewCustomers(ctx, body.rule, body),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/segments', auth: read, tags,
    summary: 'Saved segments, newest first, with their member counts and last change',
    query: s.SegmentListQuerySchema, response: { 200: s.SegmentListSchema },
    handler: ({ ctx, query }) => segments.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments', auth: write, tags,
    summary: 'Save a segment; its membership is computed in the background, then kept current',
    body: s.CreateSegmentBodySchema, response: { 201: s.SegmentSchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return segments.create(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/segments/:segmentId', auth: read, tags,
    summary: 'A saved segment', params: s.SegmentIdParamsSchema, response: { 200: s.SegmentSchema },
    handler: ({ ctx, params }) => segments.get(ctx, params.segmentId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/segments/:segmentId', auth: write, tags,
    summary: 'Rename, change the rule (membership is re-evaluated), pause or resume',
    params: s.SegmentIdParamsSchema, body: s.PatchSegmentBodySchema, response: { 200: s.SegmentSchema },
    handler: ({ ctx, params, body }) => segments.update(ctx, params.segmentId, body),
  });
  defineRoute(app, authenticator, {
    method: 'DELETE', url: '/api/v1/segments/:segmentId', auth: write, tags,
    summary: 'Delete a segment with its membership and history', params: s.SegmentIdParamsSchema, response: { 200: s.OkSchema },
    handler: ({ ctx, params }) => segments.remove(ctx, params.segmentId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/segments/:segmentId/members', auth: read, tags,
    summary: 'Current members, newest customers first (keyset by customer id), with when each entered',
    params: s.SegmentIdParamsSchema, query: s.PageQuerySchema, response: { 200: s.MemberPageSchema },
    handler: ({ ctx, params, query }) => segments.members(ctx, params.segmentId, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/segments/:segmentId/history', auth: read, tags,
    summary: 'Entries and exits, newest first, with their time and cause',
    params: s.SegmentIdParamsSchema, query: s.HistoryQuerySchema, response: { 200: s.HistoryPageSchema },
    handler: ({ ctx, params, query }) => segments.history(ctx, params.segmentId, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId/segments', auth: read, tags,
    summary: "A customer's current segments and their last 100 entries and exits",
    params: s.CustomerIdParamsSchema, response: { 200: s.CustomerSegmentsSchema },
    handler: ({ ctx, params }) => segments.customerSegments(ctx, params.customerId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/segments/:segmentId/members.csv', auth: { kind: 'workspace', permission: 'data.export', apiKey: true }, tags,
    summary: 'Every member as CSV (UTF-8 with BOM; mobiles masked without customers.pii); audited',
    params: s.SegmentIdParamsSchema, response: { 200: z.string().describe('text/csv') },
    handler: async ({ ctx, params, reply }) => {
      const { stream } = await bulk.exportMembers(ctx, params.segmentId);
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="segment-${params.segmentId}.csv"`);
      return reply.send(stream);
    },
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments/:segmentId/tag', auth: write, tags,
    summary: 'Give a tag to every current member (needs tags.write too)',
    params: s.SegmentIdParamsSchema, body: s.TagMembersBodySchema, response: { 200: s.TagMembersResultSchema },
    handler: async ({ ctx, params, body }) => {
      if (!can(ctx, 'tags.write')) throw forbidden('tags.forbidden', 'Tagging needs the tags.write permission');
      return bulk.tagMembers(ctx, params.segmentId, body.tagId);
    },
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/segments/rebuild', auth: write, tags,
    summary: 'Recompute membership from scratch; reports what differed from the live membership (dryRun: compare only)',
    body: s.RebuildBodySchema, response: { 200: s.RebuildResultSchema },
    handler: ({ ctx, body }) => bulk.rebuild(ctx, body),
  });
}
