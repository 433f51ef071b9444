import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.ts';
import type { ApiKeysService } from './api-keys.service.ts';
import { CSRF_COOKIE, SESSION_COOKIE, type AuthService } from './auth.service.ts';
import type { MembersService } from './members.service.ts';
import { API_KEY_SCOPES, permissionsForRole, ROLES } from './permissions.ts';
import type { UsersService } from './users.service.ts';
import type { WorkspacesService } from './workspaces.service.ts';
import * as s from './access.schemas.ts';

export interface AccessRouteDeps {
  auth: AuthService;
  users: UsersService;
  workspaces: WorkspacesService;
  members: MembersService;
  apiKeys: ApiKeysService;
  cookieSecure: 'auto' | boolean;
}

export function registerAccessRoutes(app: FastifyInstance, deps: AccessRouteDeps): void {
  const { authenticator } = deps.auth;

  const secure = (request: FastifyRequest) => (deps.cookieSecure === 'auto' ? request.protocol === 'https' : deps.cookieSecure);
  const setSessionCookies = (request: FastifyRequest, reply: FastifyReply, token: string, csrf: string, expires: Date) => {
    const base = { path: '/', sameSite: 'lax' as const, secure: secure(request), expires };
    reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
    // Readable by the console, which echoes it in the x-csrf-token header (double submit).
    reply.setCookie(CSRF_COOKIE, csrf, { ...base, httpOnly: false });
  };

  // ---- auth --------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/auth/login',
    auth: { kind: 'public' },
    summary: 'Sign in with email and password; sets the session cookie',
    tags: ['auth'],
    body: s.LoginBodySchema,
    response: { 200: s.MeSchema },
    rateLimit: { max: 20, timeWindowMs: 60_000 },
    handler: async ({ body, request, reply }) => {
      const result = await deps.auth.login({
        email: body.email,
        password: body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      setSessionCookies(request, reply, result.token, result.csrfToken, result.expiresAt);
      return deps.auth.me({
        requestId: request.id,
        ip: request.ip,
        actor: { type: 'user', id: result.userId, label: body.email },
        sessionId: result.sessionId,
      });
    },
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/auth/logout',
    auth: { kind: 'user' },
    summary: 'Sign out: ends the session',
    tags: ['auth'],
    response: { 200: s.OkSchema },
    handler: async ({ ctx, reply }) => {
      await deps.auth.logout(ctx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  // ---- me ----------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/me',
    auth: { kind: 'user' },
    summary: 'The signed-in user, their workspaces and permissions',
    tags: ['auth'],
    response: { 200: s.MeSchema },
    handler: ({ ctx }) => deps.auth.me(ctx),
  });

  defineRoute(app, authenticator, {
    method: 'PATCH',
    url: '/api/v1/me',
    auth: { kind: 'user' },
    summary: 'Update your name or language',
    tags: ['auth'],
    body: s.UpdateMeBodySchema,
    response: { 200: s.MeSchema },
    handler: async ({ ctx, body }) => {
      await deps.users.updateProfile(ctx, body);
      return deps.auth.me(ctx);
    },
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/me/password',
    auth: { kind: 'user' },
    summary: 'Change your password; signs out your other sessions',
    tags: ['auth'],
    body: s.ChangePasswordBodySchema,
    response: { 200: s.OkSchema },
    rateLimit: { max: 10, timeWindowMs: 60_000 },
    handler: async ({ ctx, body }) => {
      await deps.users.changePassword(ctx, body.currentPassword, body.newPassword);
      return { ok: true as const };
    },
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/me/workspace',
    auth: { kind: 'user' },
    summary: 'Switch the current workspace of this session',
    tags: ['auth'],
    body: s.SwitchWorkspaceBodySchema,
    response: { 200: s.MeSchema },
    handler: async ({ ctx, body }) => {
      await deps.auth.switchWorkspace(ctx, body.workspaceId);
      return deps.auth.me(ctx);
    },
  });

  // ---- workspaces ----------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/workspaces',
    auth: { kind: 'user' },
    summary: 'Workspaces you belong to',
    tags: ['workspaces'],
    response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), timeZone: z.string(), isDemo: z.boolean() })) }) },
    handler: async ({ ctx }) => {
      const rows = await deps.workspaces.listWorkspacesOfUser(ctx.actor.id);
      return { items: rows.map((w) => ({ id: w.id, name: w.name, role: w.role, timeZone: w.timeZone, isDemo: w.isDemo })) };
    },
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/workspaces',
    auth: { kind: 'user' },
    summary: 'Create a workspace (instance administrators); you become its owner',
    tags: ['workspaces'],
    body: s.CreateWorkspaceBodySchema,
    response: { 201: s.WorkspaceSchema },
    handler: async ({ ctx, body, reply }) => {
      const w = await deps.workspaces.createWorkspaceAsUser(ctx, body);
      reply.status(201);
      return w;
    },
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/workspace',
    auth: { kind: 'workspace', permission: 'workspace.read', apiKey: true },
    summary: "The current workspace (an API key's own workspace), e.g. its time zone",
    tags: ['workspaces'],
    response: { 200: s.WorkspaceSchema },
    handler: ({ ctx }) => deps.workspaces.getWorkspace(ctx),
  });

  defineRoute(app, authenticator, {
    method: 'PATCH',
    url: '/api/v1/workspace',
    auth: { kind: 'workspace', permission: 'workspace.manage' },
    summary: 'Rename the workspace or change its time zone or language',
    tags: ['workspaces'],
    body: s.UpdateWorkspaceBodySchema,
    response: { 200: s.WorkspaceSchema },
    handler: ({ ctx, body }) => deps.workspaces.updateWorkspace(ctx, body),
  });

  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/roles',
    auth: { kind: 'workspace', permission: 'workspace.read' },
    summary: 'Roles and what each may do; the scopes an API key may carry',
    tags: ['members'],
    response: { 200: s.RolesReplySchema },
    handler: async () => ({
      roles: ROLES.map((role) => ({ role, permissions: [...permissionsForRole(role)] })),
      apiKeyScopes: [...API_KEY_SCOPES],
    }),
  });

  // ---- members -------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/members',
    auth: { kind: 'workspace', permission: 'members.read' },
    summary: 'Members of the workspace and their roles',
    tags: ['members'],
    response: { 200: z.object({ items: z.array(s.MemberSchema) }) },
    handler: async ({ ctx }) => ({ items: await deps.members.list(ctx) }),
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/members',
    auth: { kind: 'workspace', permission: 'members.manage' },
    summary: 'Add a member by email (creates the user with a one-time password if new)',
    tags: ['members'],
    body: s.AddMemberBodySchema,
    response: { 201: s.AddMemberReplySchema },
    handler: async ({ ctx, body, reply }) => {
      const result = await deps.members.add(ctx, body);
      reply.status(201);
      return result;
    },
  });

  defineRoute(app, authenticator, {
    method: 'PATCH',
    url: '/api/v1/members/:userId',
    auth: { kind: 'workspace', permission: 'members.manage' },
    summary: "Change a member's role",
    tags: ['members'],
    params: s.UserIdParamsSchema,
    body: s.ChangeRoleBodySchema,
    response: { 200: s.OkSchema },
    handler: async ({ ctx, params, body }) => {
      await deps.members.changeRole(ctx, params.userId, body.role);
      return { ok: true as const };
    },
  });

  defineRoute(app, authenticator, {
    method: 'DELETE',
    url: '/api/v1/members/:userId',
    auth: { kind: 'workspace', permission: 'members.manage' },
    summary: 'Remove a member from the workspace',
    tags: ['members'],
    params: s.UserIdParamsSchema,
    response: { 200: s.OkSchema },
    handler: async ({ ctx, params }) => {
      await deps.members.remove(ctx, params.userId);
      return { ok: true as const };
    },
  });

  // ---- API keys --------------------------------------------------------------
  defineRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/api-keys',
    auth: { kind: 'workspace', permission: 'api_keys.manage' },
    summary: 'API keys of the workspace (never their secrets)',
    tags: ['api-keys'],
    response: { 200: z.object({ items: z.array(s.ApiKeySchema) }) },
    handler: async ({ ctx }) => ({ items: await deps.apiKeys.list(ctx) }),
  });

  defineRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/api-keys',
    auth: { kind: 'workspace', permission: 'api_keys.manage' },
    summary: 'Create an API key; the token is shown once',
    tags: ['api-keys'],
    body: s.CreateApiKeyBodySchema,
    response: { 201: s.CreateApiKeyReplySchema },
    handler: async ({ ctx, body, reply }) => {
      const result = await deps.apiKeys.create(ctx, body);
      reply.status(201);
      return result;
    },
  });

  defineRoute(app, authenticator, {
    method: 'DELETE',
    url: '/api/v1/api-keys/:id',
    auth: { kind: 'workspace', permission: 'api_keys.manage' },
    summary: 'Revoke an API key',
    tags: ['api-keys'],
    params: s.IdParamsSchema,
    response: { 200: s.OkSchema },
    handler: async ({ ctx, params }) => {
      await deps.apiKeys.revoke(ctx, params.id);
      return { ok: true as const };
    },
  });
}
