import type { FastifyInstance } from 'fastify';
import { defineRoute, type Authenticator } from '../../platform/http/route.ts';
import type { RecomputeService } from './recompute.service.ts';
import type { ReportsService } from './reports.service.ts';
import type { ScoringSettingsService } from './settings.service.ts';
import * as s from './scoring.schemas.ts';

export interface ScoringRouteDeps {
  recompute: RecomputeService;
  reports: ReportsService;
  settings: ScoringSettingsService;
}

/**
 * Permissions: reading reports needs analytics.read (API keys too); the customer lists behind
 * them customers.read; queuing a recompute segments.write (operators and analysts); changing
 * the settings, which re-classifies every customer, workspace.manage (owners and admins).
 */
export function registerScoringRoutes(app: FastifyInstance, authenticator: Authenticator, deps: ScoringRouteDeps): void {
  const { recompute, reports, settings } = deps;
  const read = { kind: 'workspace', permission: 'analytics.read', apiKey: true } as const;
  const customers = { kind: 'workspace', permission: 'customers.read', apiKey: true } as const;
  const tags = ['scoring'];

  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/settings', auth: read, tags,
    summary: 'RFM window and method, cut points, the high/low split, lifecycle, layer and tier thresholds (defaults until saved)',
    response: { 200: s.SettingsReplySchema },
    handler: ({ ctx }) => settings.get(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'PUT', url: '/api/v1/scoring/settings', auth: { kind: 'workspace', permission: 'workspace.manage' }, tags,
    summary: 'Replace the scoring settings; queues the full recompute that applies them',
    body: s.ScoringSettingsSchema, response: { 200: s.PutSettingsReplySchema },
    handler: ({ ctx, body }) => settings.put(ctx, body),
  });
  defineRoute(app, authenticator, {
    method: 'POST', url: '/api/v1/scoring/recompute', auth: { kind: 'workspace', permission: 'segments.write' }, tags,
    summary: 'Queue a recompute of every customer’s scores (returns the queued or already running one); poll the run for progress',
    body: s.RecomputeBodySchema, response: { 202: s.RecomputeReplySchema },
    handler: async ({ ctx, body, reply }) => {
      reply.status(202);
      return recompute.request(ctx, 'manual', { full: body?.full ?? false });
    },
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/runs', auth: read, tags,
    summary: 'Recent recompute runs, newest first',
    response: { 200: s.RunListSchema },
    handler: ({ ctx }) => recompute.listRuns(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/runs/:runId', auth: read, tags,
    summary: 'One recompute run: status, phase, customers scored and changed, cut points',
    params: s.RunIdParamsSchema, response: { 200: s.RunSchema },
    handler: ({ ctx, params }) => recompute.getRun(ctx, params.runId),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/rfm', auth: read, tags,
    summary: 'The RFM matrix: per class customers, shares, revenue share, average recency, frequency and monetary, suggested strategy',
    response: { 200: s.RfmMatrixSchema },
    handler: ({ ctx }) => reports.rfmMatrix(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/lifecycle', auth: read, tags,
    summary: 'Customers per lifecycle stage under each of the three models, and the primary model',
    response: { 200: s.LifecycleReplySchema },
    handler: ({ ctx }) => reports.lifecycle(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/layers', auth: read, tags,
    summary: 'Customers per value layer and consumption tier',
    response: { 200: s.LayersReplySchema },
    handler: ({ ctx }) => reports.layers(ctx),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/transitions', auth: read, tags,
    summary: 'How many customers moved from each class or stage to each other between the ends of two days',
    query: s.TransitionsQuerySchema, response: { 200: s.TransitionsReplySchema },
    handler: ({ ctx, query }) => reports.transitions(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/transitions/customers', auth: customers, tags,
    summary: 'The customers behind one cell of the transitions (keyset pages by customer id)',
    query: s.TransitionCustomersQuerySchema, response: { 200: s.TransitionCustomersReplySchema },
    handler: ({ ctx, query }) => reports.transitionCustomers(ctx, query),
  });
  defineRoute(app, authenticator, {
    method: 'GET', url: '/api/v1/scoring/customers/:customerId', auth: customers, tags,
    summary: 'A customer’s current scores, class and stages, and their history',
    params: s.CustomerIdParamsSchema, response: { 200: s.CustomerScoreReplySchema },
    handler: ({ ctx, params }) => reports.customer(ctx, params.customerId),
  });
}
