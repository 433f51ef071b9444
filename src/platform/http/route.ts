import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Permission, UserContext, WorkspaceContext } from './context.ts';

/**
 * How a route is protected. Every route states one; there is no default.
 * - public: no credentials (login, health)
 * - user: a signed-in console user, no workspace needed (me, workspace list)
 * - workspace: a caller inside the request's workspace holding `permission`;
 *   API keys are accepted when `apiKey` is true and the key has the scope.
 */
export type AuthPolicy =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'workspace'; permission: Permission; apiKey?: boolean };

/** Resolves credentials for a policy; implemented by modules/access. */
export interface Authenticator {
  authenticateUser(request: FastifyRequest): Promise<UserContext>;
  authenticateWorkspace(request: FastifyRequest, policy: Extract<AuthPolicy, { kind: 'workspace' }>): Promise<WorkspaceContext>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.ZodType | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

type CtxFor<A extends AuthPolicy> = A extends { kind: 'workspace' }
  ? WorkspaceContext
  : A extends { kind: 'user' }
    ? UserContext
    : undefined;

export interface RouteInput<A extends AuthPolicy, B, Q, P> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  ctx: CtxFor<A>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDefinition<A extends AuthPolicy, B extends Schema, Q extends Schema, P extends Schema> {
  method: Method;
  url: string;
  auth: A;
  summary: string;
  tags: string[];
  body?: B;
  query?: Q;
  params?: P;
  /** Response schemas by status; they also document the route in OpenAPI. */
  response: Record<number, z.ZodType>;
  /** Per-route rate limit (per client IP). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Body size limit in bytes, when larger than the server default. */
  bodyLimit?: number;
  /**
   * Mutating workspace routes must record an audit entry in their transaction; set false
   * only where the change is audited differently (and say where in a comment).
   */
  audit?: boolean;
  handler: (input: RouteInput<A, B, Q, P>) => Promise<unknown>;
}

/** Metadata of every registered route, for the permission and tenancy test matrix. */
export interface RegisteredRoute {
  method: Method;
  url: string;
  auth: AuthPolicy;
}

const registries = new WeakMap<FastifyInstance, RegisteredRoute[]>();

export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return registries.get(app) ?? [];
}

const MUTATING = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

export function defineRoute<A extends AuthPolicy, B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  app: FastifyInstance,
  authenticator: Authenticator,
  def: RouteDefinition<A, B, Q, P>,
): void {
  let list = registries.get(app);
  if (!list) registries.set(app, (list = []));
  list.push({ method: def.method, url: def.url, auth: def.auth });

  const mustAudit = def.auth.kind === 'workspace' && MUTATING.has(def.method) && def.audit !== false;

  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.url,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    config: def.rateLimit
      ? { rateLimit: { max: def.rateLimit.max, timeWindow: def.rateLimit.timeWindowMs } }
      : { rateLimit: false },
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.params ? { params: def.params } : {}),
      response: def.response,
      ...(def.auth.kind === 'public' ? {} : { security: securityFor(def.auth) }),
    },
    // Authentication and permission run before body validation: a caller who may not
    // use a route learns nothing about its contract.
    onRequest: async (request) => {
      if (def.auth.kind === 'user') request.siyuCtx = await authenticator.authenticateUser(request);
      else if (def.auth.kind === 'workspace') request.siyuCtx = await authenticator.authenticateWorkspace(request, def.auth);
    },
    handler: async (request, reply) => {
      const ctx = request.siyuCtx as CtxFor<A>;
      const result = await def.handler({
        body: request.body as Out<B>,
        query: request.query as Out<Q>,
        params: request.params as Out<P>,
        ctx,
        request,
        reply,
      });
      if (mustAudit && reply.statusCode < 400 && !(ctx as WorkspaceContext).audited) {
        throw new AppError('internal', 'audit.missing', `route ${def.method} ${def.url} changed data without an audit entry`);
      }
      return result;
    },
  });
}

function securityFor(auth: AuthPolicy): Record<string, string[]>[] {
  if (auth.kind === 'workspace' && auth.apiKey) return [{ cookieAuth: [] }, { bearerAuth: [auth.permission] }];
  return [{ cookieAuth: [] }];
}

declare module 'fastify' {
  interface FastifyRequest {
    siyuCtx: UserContext | WorkspaceContext | undefined;
  }
}
