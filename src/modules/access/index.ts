/**
 * Identity and access: users, workspaces, memberships and roles, console sessions,
 * workspace API keys, and the authenticator every route goes through.
 */
import type { FastifyInstance } from 'fastify';
import type { AccessDeps } from './access.deps.ts';
import { registerAccessRoutes } from './access.routes.ts';
import { createApiKeysService } from './api-keys.service.ts';
import { createAuthService } from './auth.service.ts';
import { createMembersService } from './members.service.ts';
import { createUsersService } from './users.service.ts';
import { createWorkspacesService } from './workspaces.service.ts';

export type { AccessDeps, WorkspaceCreatedHook } from './access.deps.ts';
export { ROLES, API_KEY_SCOPES, permissionsForRole, isRole, type Role, type ApiKeyScope } from './permissions.ts';
export { SESSION_COOKIE, CSRF_COOKIE, CSRF_HEADER, WORKSPACE_HEADER } from './auth.service.ts';
export type { WorkspaceView } from './workspaces.service.ts';

export function createAccessModule(deps: AccessDeps & { cookieSecure: 'auto' | boolean }) {
  const auth = createAuthService(deps);
  const users = createUsersService(deps);
  const workspaces = createWorkspacesService(deps);
  const members = createMembersService(deps);
  const apiKeys = createApiKeysService(deps);
  return {
    auth,
    users,
    workspaces,
    members,
    apiKeys,
    authenticator: auth.authenticator,
    registerRoutes(app: FastifyInstance) {
      registerAccessRoutes(app, { auth, users, workspaces, members, apiKeys, cookieSecure: deps.cookieSecure });
    },
  };
}

export type AccessModule = ReturnType<typeof createAccessModule>;
