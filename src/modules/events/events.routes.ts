import type { FastifyInstance } from 'fastify';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { EventsService } from './events.service.ts';
import { IngestBodySchema, IngestResultSchema } from './events.schemas.ts';

export function registerEventsRoutes(app: FastifyInstance, authenticator: Authenticator, events: EventsService): void {
  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/events',
    auth: { kind: 'workspace', permission: 'events.write', apiKey: true },
    summary: 'Send up to 1,000 events; each is accepted, a duplicate (same id), or rejected with its field and reason',
    tags: ['events'],
    body: IngestBodySchema,
    response: { 200: IngestResultSchema },
    // 1,000 events with properties: well above the default 1 MiB.
    bodyLimit: 16 * 1024 * 1024,
    // One audit entry per request, written by the service in the ingest transaction.
    handler: ({ ctx, body }) => events.ingestEvents(ctx, body.events, { source: ctx.actor.type === 'api_key' ? 'api' : 'console' }),
  });
}
