/** Shapes of the API replies the console reads (dates arrive as ISO strings). */
export type Role = 'owner' | 'admin' | 'operator' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'operator', 'analyst', 'viewer'];

export interface MeWorkspace {
  id: string;
  name: string;
  role: string;
  timeZone: string;
  isDemo: boolean;
}

export interface Me {
  user: { id: string; email: string; name: string; locale: string; isInstanceAdmin: boolean };
  workspaces: MeWorkspace[];
  currentWorkspaceId: string | null;
  permissions: string[];
  csrfToken: string;
}

export interface Workspace {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  isDemo: boolean;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: string;
  joinedAt: string;
  lastLoginAt: string | null;
}

export interface AddMemberReply {
  userId: string;
  email: string;
  role: string;
  generatedPassword: string | null;
}

export interface RolesReply {
  roles: { role: string; permissions: string[] }[];
  apiKeyScopes: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreateApiKeyReply {
  apiKey: ApiKey;
  token: string;
}

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  requestId: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

export interface Ok {
  ok: true;
}

export interface ListReply<T> {
  items: T[];
}
