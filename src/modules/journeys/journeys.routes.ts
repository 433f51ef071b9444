import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/errors.ts';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { EnrollmentsService } from './enrollments.service.ts';
import type { JourneysService } from './journeys.service.ts';
import * as s from './journeys-api.schemas.ts';
import { JourneyDefinitionSchema } from './journeys.schemas.ts';
import { findPlaybook, PLAYBOOKS } from './playbooks.ts';
import type { createStatsService } from './stats.service.ts';

export interface JourneysRouteDeps {
  journeys: JourneysService;
  enrollments: EnrollmentsService;
  stats: ReturnType<typeof createStatsService>;
}

export function registerJourneysRoutes(app: FastifyInstance, authenticator: Authenticator, deps: JourneysRouteDeps): void {
  const { journeys, enrollments, stats } = deps;
  const read = { kind: 'workspace', permission: 'journeys.read', apiKey: true } as const;
  const write = { kind: 'workspace', permission: 'journeys.write' } as const;
  const tags = ['journeys'];
  const params = s.JourneyIdParamsSchema;
  const view = { 200: s.JourneySchema };

  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys', auth: read, tags, summary: 'Journeys, most recently changed first, with how many customers are in each',
    query: s.ListJourneysQuerySchema, response: { 200: s.JourneyPageSchema },
    handler: ({ ctx, query }) => journeys.list(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/journeys', auth: write, tags, summary: 'Create a journey (a draft; the response lists what keeps it from going live)',
    body: s.CreateJourneyBodySchema, response: { 201: s.JourneySchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(201);
      return journeys.create(ctx, body);
    },
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/journeys/validate', auth: read, tags, summary: 'Check a definition without saving it: shape and graph problems, each naming its place (steps[3].next: unknown step "s9")',
    body: s.ValidateBodySchema, response: { 200: s.ValidationResultSchema },
    // Changes nothing, so there is nothing to audit.
    audit: false,
    handler: ({ ctx, body }) => journeys.validate(ctx, body.definition),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys/:journeyId', auth: read, tags, summary: 'A journey with its latest definition and the issues that keep it from going live',
    params, response: view, handler: ({ ctx, params: p }) => journeys.get(ctx, p.journeyId),
  });
  defineRoute(app, authenticator, {
    method: 'PATCH', url: '/api/v1/journeys/:journeyId', auth: write, tags,
    summary: 'Edit a journey. Editing a live journey makes a new version (validated) that new entrants take; customers in flight finish on theirs',
    params, body: s.UpdateJourneyBodySchema, response: view, handler: ({ ctx, params: p, body }) => journeys.update(ctx, p.journeyId, body),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys/:journeyId/versions', auth: read, tags, summary: 'Every version, newest first',
    params, response: { 200: s.VersionListSchema }, handler: ({ ctx, params: p }) => journeys.versions(ctx, p.journeyId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys/:journeyId/versions/:version', auth: read, tags, summary: 'One version',
    params: s.VersionParamsSchema, response: { 200: s.VersionSchema }, handler: ({ ctx, params: p }) => journeys.version(ctx, p.journeyId, p.version),
  });
  for (const action of ['activate', 'pause', 'resume'] as const) {
    const summary = {
      activate: 'Activate a draft or stopped journey (its latest version goes live; refused with the issues if not valid)',
      pause: 'Pause: no one enters, due steps hold (waits keep their times); safe at any moment',
      resume: 'Resume a paused journey: held steps run now; schedule fires missed in the pause are skipped',
    }[action];
    defineRoute(app, authenticator, {
      method: 'POST', url: `/api/v1/journeys/:journeyId/${action}`, auth: write, tags, summary, params, response: view,
      handler: ({ ctx, params: p }) => journeys[action](ctx, p.journeyId),
    });
  }
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/journeys/:journeyId/stop', auth: write, tags,
    summary: 'Stop: everyone in flight exits with reason "stopped" and held messages are withdrawn; a stopped journey may be activated again',
    params, body: s.StopBodySchema, response: view, handler: ({ ctx, params: p, body }) => journeys.stop(ctx, p.journeyId, body.reason),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys/:journeyId/stats', auth: read, tags,
    summary: 'Funnel per step (entered, waiting, sent, held, suppressed by reason, tasks, converted) and A/B results per variant with a confidence figure',
    params, query: s.StatsQuerySchema, response: { 200: s.JourneyStatsSchema }, handler: ({ ctx, params: p, query }) => stats.stats(ctx, p.journeyId, query.version),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journeys/:journeyId/enrollments', auth: read, tags,
    summary: 'The customers behind the numbers: enrollments by state, step reached, variant or conversion',
    params, query: s.ListEnrollmentsQuerySchema, response: { 200: s.EnrollmentListSchema }, handler: ({ ctx, params: p, query }) => enrollments.ofJourney(ctx, p.journeyId, query),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/journeys/:journeyId/enrollments', auth: write, tags,
    summary: 'Enroll customers by hand (testing); re-entry rules apply and their first steps run at once',
    params, body: s.EnrollBodySchema, response: { 200: s.EnrollResultSchema },
    handler: ({ ctx, params: p, body }) => enrollments.enroll(ctx, p.journeyId, body.customerIds, body.occurrence),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/customers/:customerId/journeys', auth: read, tags,
    summary: 'Where this customer is in which journey, and why (step, wait, variant, exits, last message outcome)',
    params: s.CustomerParamsSchema, response: { 200: s.EnrollmentListSchema.omit({ nextCursor: true }).extend({ customerId: s.CustomerParamsSchema.shape.customerId }) },
    handler: ({ ctx, params: p }) => enrollments.ofCustomer(ctx, p.customerId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/journey-playbooks', auth: read, tags, summary: 'Built-in playbooks (lifecycle journeys and group SOPs), editable templates',
    response: { 200: s.PlaybookListSchema },
    handler: async () => ({ items: PLAYBOOKS.map((p) => ({ ...p, definition: JourneyDefinitionSchema.parse(p.definition) })) }),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/journey-playbooks/:playbookKey/journeys', auth: write, tags,
    summary: 'Create a journey from a playbook (one action; with activate: true it also goes live, or answers the issues)',
    params: s.PlaybookParamsSchema, body: s.FromPlaybookBodySchema, response: { 201: s.JourneySchema },
    handler: async ({ ctx, params: p, body, reply }) => {
      const playbook = findPlaybook(p.playbookKey);
      if (!playbook) throw notFound('journey.playbook_not_found', `No playbook ${p.playbookKey}`);
      const created = await journeys.createFromPlaybook(ctx, playbook, body);
      reply.status(201);
      return created;
    },
  });
}
