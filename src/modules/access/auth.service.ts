import type { FastifyRequest } from 'fastify';
import { AppError, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid, randomToken } from '../../platform/ids.ts';
import type { UserContext, WorkspaceContext } from '../../platform/http/context.ts';
import type { Authenticator, AuthPolicy } from '../../platform/http/route.ts';
import type { AccessDeps } from './access.deps.ts';
import * as repo from './access.repository.ts';
import { afterFailure, isLocked } from './lockout.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import { isRole, permissionsForRole, type ApiKeyScope } from './permissions.ts';
import { parseApiKey, safeEqualHex, safeEqualText, sha256Hex } from './tokens.ts';
import { normalizeEmail } from './users.service.ts';

export const SESSION_COOKIE = 'siyu_session';
export const CSRF_COOKIE = 'siyu_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const WORKSPACE_HEADER = 'x-siyu-workspace';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sessions slide forward at most this often, so reads do not write on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;
const API_KEY_TOUCH_EVERY_MS = 60_000;

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  userId: string;
  sessionId: string;
}

export function createAuthService(deps: AccessDeps) {
  const { db, clock } = deps;

  async function login(input: { email: string; password: string; ip: string; userAgent: string }): Promise<LoginResult> {
    const now = clock.now();
    const user = await repo.findUserByEmail(db, normalizeEmail(input.email));
    if (!user || user.is_disabled) {
      await verifyAgainstDummy(input.password);
      throw unauthenticated('auth.invalid_credentials', 'Email or password is wrong');
    }
    const state = { failedCount: user.failed_login_count, lockedUntil: user.locked_until };
    if (isLocked(state, now)) {
      throw new AppError('rate_limited', 'auth.locked', 'Too many failed sign-ins; the account is locked for a while', {
        lockedUntil: state.lockedUntil!.toISOString(),
      });
    }
    if (!(await verifyPassword(input.password, user.password_hash))) {
      const next = afterFailure(state, now);
      await repo.updateLoginState(db, user.id, next);
      throw unauthenticated('auth.invalid_credentials', 'Email or password is wrong');
    }
    const token = randomToken(32);
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
    const workspaces = await repo.listWorkspacesOfUser(db, user.id);
    await db.transaction().execute(async (trx) => {
      await repo.updateLoginState(trx, user.id, { failedCount: 0, lockedUntil: null, lastLoginAt: now });
      await repo.insertSession(trx, {
        id: sha256Hex(token),
        userId: user.id,
        csrfToken,
        workspaceId: workspaces[0]?.id ?? null,
        ip: input.ip,
        userAgent: input.userAgent,
        expiresAt,
        now,
      });
    });
    return { token, csrfToken, expiresAt, userId: user.id, sessionId: sha256Hex(token) };
  }

  async function logout(ctx: UserContext): Promise<void> {
    await repo.deleteSession(db, ctx.sessionId);
  }

  async function loadSession(request: FastifyRequest) {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) throw unauthenticated('auth.required', 'Sign in or send an API key');
    const now = clock.now();
    const session = await repo.findLiveSession(db, sha256Hex(token), now);
    if (!session) throw unauthenticated('auth.session_expired', 'The session has expired; sign in again');
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !safeEqualText(header, session.csrfToken)) {
        throw forbidden('auth.csrf_failed', `Writes with a session cookie need the ${CSRF_HEADER} header`);
      }
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await repo.touchSession(db, session.sessionId, now, new Date(now.getTime() + deps.sessionTtlMs));
    }
    return session;
  }

  async function authenticateUser(request: FastifyRequest): Promise<UserContext> {
    if (request.headers.authorization) {
      throw forbidden('auth.user_session_required', 'This route is for console users, not API keys');
    }
    const s = await loadSession(request);
    return { requestId: request.id, ip: request.ip, actor: { type: 'user', id: s.userId, label: s.email }, sessionId: s.sessionId };
  }

  async function authenticateApiKey(
    request: FastifyRequest,
    header: string,
    policy: Extract<AuthPolicy, { kind: 'workspace' }>,
  ): Promise<WorkspaceContext> {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const parsed = m ? parseApiKey(m[1]!) : null;
    if (!parsed) throw unauthenticated('auth.invalid_api_key', 'The API key is malformed');
    const now = clock.now();
    const key = await repo.findApiKey(db, parsed.workspaceId, parsed.keyId);
    if (!key || !safeEqualHex(sha256Hex(parsed.secret), key.secret_hash)) {
      throw unauthenticated('auth.invalid_api_key', 'The API key is not valid');
    }
    if (key.revoked_at) throw unauthenticated('auth.api_key_revoked', 'The API key was revoked');
    if (key.expires_at && key.expires_at <= now) throw unauthenticated('auth.api_key_expired', 'The API key has expired');
    if (!policy.apiKey) throw forbidden('auth.api_key_not_allowed', 'This route is for console users, not API keys');
    if (!key.scopes.includes(policy.permission)) {
      throw forbidden('auth.scope_missing', `The API key lacks the scope ${policy.permission}`);
    }
    if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > API_KEY_TOUCH_EVERY_MS) {
      await repo.touchApiKey(db, key.workspace_id, key.id, now);
    }
    return {
      requestId: request.id,
      ip: request.ip,
      actor: { type: 'api_key', id: key.id, label: key.name },
      workspaceId: key.workspace_id,
      role: null,
      permissions: new Set(key.scopes as ApiKeyScope[]),
      audited: false,
    };
  }

  async function authenticateWorkspace(
    request: FastifyRequest,
    policy: Extract<AuthPolicy, { kind: 'workspace' }>,
  ): Promise<WorkspaceContext> {
    const authorization = request.headers.authorization;
    if (authorization) return authenticateApiKey(request, authorization, policy);
    const s = await loadSession(request);
    const requested = request.headers[WORKSPACE_HEADER];
    const workspaceId = typeof requested === 'string' && requested ? requested : s.workspaceId;
    if (!workspaceId) throw notFound('workspace.not_found', 'Choose a workspace first');
    // Someone else's workspace answers exactly like a missing one.
    const membership = isUuid(workspaceId) ? await repo.findMembership(db, workspaceId, s.userId) : undefined;
    if (!membership || !isRole(membership.role)) throw notFound('workspace.not_found', 'Workspace not found');
    const permissions = permissionsForRole(membership.role);
    if (!permissions.has(policy.permission)) {
      throw forbidden('auth.forbidden', `The role ${membership.role} may not do this (needs ${policy.permission})`);
    }
    return {
      requestId: request.id,
      ip: request.ip,
      actor: { type: 'user', id: s.userId, label: s.email },
      workspaceId,
      role: membership.role,
      permissions,
      audited: false,
    };
  }

  const authenticator: Authenticator = { authenticateUser, authenticateWorkspace };

  return {
    login,
    logout,
    authenticator,

    /** The signed-in user, their workspaces, and their permissions in the current one. */
    async me(ctx: UserContext) {
      const s = await repo.findLiveSession(db, ctx.sessionId, clock.now());
      if (!s) throw unauthenticated('auth.session_expired', 'The session has expired; sign in again');
      const workspaces = await repo.listWorkspacesOfUser(db, s.userId);
      const current = workspaces.find((w) => w.id === s.workspaceId) ?? workspaces[0] ?? null;
      return {
        user: { id: s.userId, email: s.email, name: s.name, locale: s.locale, isInstanceAdmin: s.isInstanceAdmin },
        workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, role: w.role, timeZone: w.timeZone, isDemo: w.isDemo })),
        currentWorkspaceId: current?.id ?? null,
        permissions: current && isRole(current.role) ? [...permissionsForRole(current.role)] : [],
        csrfToken: s.csrfToken,
      };
    },

    async switchWorkspace(ctx: UserContext, workspaceId: string): Promise<void> {
      const membership = await repo.findMembership(db, workspaceId, ctx.actor.id);
      if (!membership) throw notFound('workspace.not_found', 'Workspace not found');
      await repo.setSessionWorkspace(db, ctx.sessionId, workspaceId);
    },

    async purgeExpiredSessions(): Promise<number> {
      return repo.deleteExpiredSessions(db, clock.now());
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
