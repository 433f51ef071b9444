import type { FastifyInstance } from 'fastify';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { GroupPostsService } from './group-posts.service.ts';
import * as s from './group-posts.schemas.ts';

export function registerGroupPostRoutes(app: FastifyInstance, authenticator: Authenticator, groupPosts: GroupPostsService): void {
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/group-posts', auth: { kind: 'workspace', permission: 'messages.read', apiKey: true }, tags: ['messages'],
    summary: 'Posts to groups (group SOPs), newest first, with why each was held or not sent; filtered by status, reason, group, source or time',
    query: s.ListGroupPostsQuerySchema, response: { 200: s.GroupPostPageSchema },
    handler: ({ ctx, query }) => groupPosts.list(ctx, query),
  });
}
