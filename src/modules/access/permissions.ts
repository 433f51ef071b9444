import { ALL_PERMISSIONS, type Permission } from '../../platform/http/context.ts';

export type Role = 'owner' | 'admin' | 'operator' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'operator', 'analyst', 'viewer'];

const READ: Permission[] = [
  'workspace.read',
  'members.read',
  'customers.read',
  'tags.read',
  'segments.read',
  'journeys.read',
  'messages.read',
  'tasks.read',
  'analytics.read',
];

const OPERATE: Permission[] = [
  'customers.write',
  'customers.merge',
  'imports.run',
  'tags.write',
  'segments.write',
  'journeys.write',
  'messages.send',
  'tasks.write',
];

/** What each role may do. Owners and admins differ only in who may manage owners. */
const MATRIX: Record<Role, readonly Permission[]> = {
  owner: ALL_PERMISSIONS,
  admin: ALL_PERMISSIONS,
  operator: [...READ, ...OPERATE],
  analyst: [...READ, 'segments.write', 'data.export'],
  viewer: READ,
};

export function permissionsForRole(role: Role): ReadonlySet<Permission> {
  return new Set(MATRIX[role]);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * Scopes an API key may carry: integration work only. Keys never manage members, keys,
 * the workspace or the audit log — those stay with people.
 */
export const API_KEY_SCOPES = [
  'workspace.read',
  'events.write',
  'orders.write',
  'customers.read',
  'customers.write',
  'customers.pii',
  'imports.run',
  'tags.read',
  'tags.write',
  'segments.read',
  'journeys.read',
  'messages.read',
  'messages.send',
  'tasks.read',
  'analytics.read',
  'data.export',
] as const satisfies readonly Permission[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Whether `actor` may give `target` the role `to` (or remove it when `to` is null).
 * Only owners create, demote or remove owners; nobody removes the last owner.
 */
export function checkRoleChange(input: {
  actorRole: Role;
  currentRole: Role | null; // null when adding a new member
  to: Role | null; // null when removing
  ownerCount: number;
}): { ok: true } | { ok: false; code: string; message: string } {
  const { actorRole, currentRole, to, ownerCount } = input;
  if (actorRole !== 'owner' && actorRole !== 'admin') {
    return { ok: false, code: 'members.forbidden', message: 'Only owners and admins manage members' };
  }
  const touchesOwner = currentRole === 'owner' || to === 'owner';
  if (touchesOwner && actorRole !== 'owner') {
    return { ok: false, code: 'members.owner_required', message: 'Only an owner may grant or change the owner role' };
  }
  if (currentRole === 'owner' && to !== 'owner' && ownerCount <= 1) {
    return { ok: false, code: 'members.last_owner', message: 'A workspace must keep at least one owner' };
  }
  return { ok: true };
}
