/**
 * Who is calling and on behalf of which workspace. Built once per request by the
 * authenticator (modules/access) and passed to every service call.
 */
export type Permission =
  | 'workspace.read'
  | 'workspace.manage'
  | 'members.read'
  | 'members.manage'
  | 'api_keys.manage'
  | 'audit.read'
  | 'customers.read'
  | 'customers.write'
  | 'customers.pii'
  | 'customers.merge'
  | 'events.write'
  | 'orders.write'
  | 'imports.run'
  | 'tags.read'
  | 'tags.write'
  | 'segments.read'
  | 'segments.write'
  | 'journeys.read'
  | 'journeys.write'
  | 'messages.read'
  | 'messages.send'
  | 'tasks.read'
  | 'tasks.write'
  | 'analytics.read'
  | 'data.export';

export type Actor =
  | { type: 'user'; id: string; label: string }
  | { type: 'api_key'; id: string; label: string }
  | { type: 'system'; id: string | null; label: string };

/** A signed-in console user, before a workspace is chosen. */
export interface UserContext {
  requestId: string;
  ip: string;
  actor: Extract<Actor, { type: 'user' }>;
  sessionId: string;
}

/** A caller acting inside one workspace with a known set of permissions. */
export interface WorkspaceContext {
  requestId: string;
  ip: string;
  actor: Actor;
  workspaceId: string;
  role: string | null; // null for API keys and system jobs
  permissions: ReadonlySet<Permission>;
  /** Set by the audit module when the request's change was recorded. */
  audited: boolean;
}

export function can(ctx: Pick<WorkspaceContext, 'permissions'>, permission: Permission): boolean {
  return ctx.permissions.has(permission);
}

/** A context for work the system does on its own (jobs, CLI, seeding). */
export function systemContext(workspaceId: string, label = 'system', permissions?: Iterable<Permission>): WorkspaceContext {
  return {
    requestId: `system:${label}`,
    ip: '',
    actor: { type: 'system', id: null, label },
    workspaceId,
    role: null,
    permissions: new Set(permissions ?? ALL_PERMISSIONS),
    audited: false,
  };
}

export const ALL_PERMISSIONS: readonly Permission[] = [
  'workspace.read',
  'workspace.manage',
  'members.read',
  'members.manage',
  'api_keys.manage',
  'audit.read',
  'customers.read',
  'customers.write',
  'customers.pii',
  'customers.merge',
  'events.write',
  'orders.write',
  'imports.run',
  'tags.read',
  'tags.write',
  'segments.read',
  'segments.write',
  'journeys.read',
  'journeys.write',
  'messages.read',
  'messages.send',
  'tasks.read',
  'tasks.write',
  'analytics.read',
  'data.export',
];
