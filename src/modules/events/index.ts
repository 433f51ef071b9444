/**
 * Events: the events table, ingestion (POST /api/v1/events) and derived events of other
 * modules (order status changes). Events are attributed to customers through customers'
 * write port and follow them through merges (mergeParticipant).
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../platform/http/route.ts';
import { registerEventsRoutes } from './events.routes.ts';
import { createEventsService, type EventsDeps } from './events.service.ts';

export type { EventsDeps, IngestOptions, DerivedEvent } from './events.service.ts';
export type { InsertedEvent } from './events.repository.ts';
export type { ValidEvent } from './event-validation.ts';
export { parseInstant } from './event-validation.ts';
export { KNOWN_EVENT_TYPES, ORDER_EVENT_TYPES, JOINING_EVENT_TYPES, EVENT_PROPERTY_SCHEMAS, type OrderEventType } from './event-types.ts';
export { MAX_EVENTS_PER_BATCH, IdentityInputSchema, ProfileTraitsSchema, type EventInput, type IngestResult, type EventOutcome } from './events.schemas.ts';

export function createEventsModule(deps: EventsDeps) {
  const service = createEventsService(deps);
  return {
    service,
    /** POST /api/v1/events semantics, for the API, imports, the demo and the CLI. */
    ingestEvents: service.ingestEvents,
    mergeParticipant: service.mergeParticipant,
    registerRoutes(app: FastifyInstance, authenticator: Authenticator): void {
      registerEventsRoutes(app, authenticator, service);
    },
  };
}

export type EventsModule = ReturnType<typeof createEventsModule>;
