import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ApiKeys, DB, Users, Workspaces } from '../../platform/db/database.types.ts';
import type { Role } from './permissions.ts';

export type Executor = Kysely<DB> | Transaction<DB>;
export type UserRow = Selectable<Users>;
export type WorkspaceRow = Selectable<Workspaces>;
export type ApiKeyRow = Selectable<ApiKeys>;

// ---- users -----------------------------------------------------------------

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: Executor,
  user: { id: string; email: string; name: string; passwordHash: string; locale?: string; isInstanceAdmin?: boolean },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      locale: user.locale ?? 'zh-CN',
      is_instance_admin: user.isInstanceAdmin ?? false,
    })
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateLoginState(
  db: Executor,
  userId: string,
  state: { failedCount: number; lockedUntil: Date | null; lastLoginAt?: Date },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      failed_login_count: state.failedCount,
      locked_until: state.lockedUntil,
      ...(state.lastLoginAt ? { last_login_at: state.lastLoginAt } : {}),
    })
    .where('id', '=', userId)
    .execute();
}

export async function updateUser(
  db: Executor,
  userId: string,
  patch: { name?: string; locale?: string; passwordHash?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
      updated_at: now,
    })
    .where('id', '=', userId)
    .execute();
}

// ---- sessions --------------------------------------------------------------

export async function insertSession(
  db: Executor,
  s: { id: string; userId: string; csrfToken: string; workspaceId: string | null; ip: string; userAgent: string; expiresAt: Date; now: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      workspace_id: s.workspaceId,
      ip: s.ip,
      user_agent: s.userAgent.slice(0, 500),
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** A live session and its user, or undefined when expired, unknown or the user is disabled. */
export function findLiveSession(db: Executor, id: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as sessionId',
      's.csrf_token as csrfToken',
      's.workspace_id as workspaceId',
      's.last_seen_at as lastSeenAt',
      'u.id as userId',
      'u.email',
      'u.name',
      'u.locale',
      'u.is_instance_admin as isInstanceAdmin',
    ])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', now)
    .where('u.is_disabled', '=', false)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function setSessionWorkspace(db: Executor, id: string, workspaceId: string): Promise<void> {
  await db.updateTable('sessions').set({ workspace_id: workspaceId }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteUserSessions(db: Executor, userId: string, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// ---- workspaces and memberships -------------------------------------------

export async function insertWorkspace(
  db: Executor,
  w: { id: string; name: string; timeZone: string; locale: string; isDemo?: boolean },
): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: w.id, name: w.name, time_zone: w.timeZone, locale: w.locale, is_demo: w.isDemo ?? false })
    .execute();
}

export function findWorkspace(db: Executor, id: string) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateWorkspace(
  db: Executor,
  id: string,
  patch: { name?: string; timeZone?: string; locale?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('workspaces')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export function listWorkspacesOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['w.id', 'w.name', 'w.time_zone as timeZone', 'w.locale', 'w.is_demo as isDemo', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('w.created_at')
    .execute();
}

export function findMembership(db: Executor, workspaceId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['m.role', 'w.time_zone as timeZone', 'w.name as workspaceName'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
}

export async function insertMembership(db: Executor, workspaceId: string, userId: string, role: Role): Promise<void> {
  await db.insertInto('memberships').values({ workspace_id: workspaceId, user_id: userId, role }).execute();
}

export async function updateMembershipRole(db: Executor, workspaceId: string, userId: string, role: Role, now: Date) {
  await db
    .updateTable('memberships')
    .set({ role, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Executor, workspaceId: string, userId: string): Promise<void> {
  await db.deleteFrom('memberships').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export function listMembers(db: Executor, workspaceId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'u.name', 'm.role', 'm.created_at as joinedAt', 'u.last_login_at as lastLoginAt'])
    .where('m.workspace_id', '=', workspaceId)
    .orderBy('m.created_at')
    .execute();
}

/** Locks the workspace's owner rows so two concurrent demotions cannot remove the last owner. */
export async function countOwnersForUpdate(db: Executor, workspaceId: string): Promise<number> {
  const rows = await sql<{ user_id: string }>`
    select user_id from memberships where workspace_id = ${workspaceId} and role = 'owner' for update`.execute(db);
  return rows.rows.length;
}

// ---- API keys ---------------------------------------------------------------

export async function insertApiKey(
  db: Executor,
  k: { workspaceId: string; id: string; name: string; prefix: string; secretHash: string; scopes: string[]; createdBy: string | null; expiresAt: Date | null },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      workspace_id: k.workspaceId,
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      secret_hash: k.secretHash,
      scopes: k.scopes,
      created_by: k.createdBy,
      expires_at: k.expiresAt,
    })
    .execute();
}

export function findApiKey(db: Executor, workspaceId: string, id: string) {
  return db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export function listApiKeys(db: Executor, workspaceId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'expires_at', 'revoked_at', 'created_by'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiKey(db: Executor, workspaceId: string, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function touchApiKey(db: Executor, workspaceId: string, id: string, now: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
