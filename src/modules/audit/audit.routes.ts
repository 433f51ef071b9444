import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/pool.ts';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import { listAudit } from './audit.service.ts';
import { AuditPageSchema, AuditQuerySchema } from './audit.schemas.ts';

export function registerAuditRoutes(app: FastifyInstance, authenticator: Authenticator, db: Db): void {
  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/audit-log',
    auth: { kind: 'workspace', permission: 'audit.read' },
    summary: 'List audit log entries, newest first',
    tags: ['audit'],
    query: AuditQuerySchema,
    response: { 200: AuditPageSchema },
    handler: ({ ctx, query }) => listAudit(db, ctx, query),
  });
}
