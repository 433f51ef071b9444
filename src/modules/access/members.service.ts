import { AppError, conflict, notFound } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { AccessDeps } from './access.deps.ts';
import * as repo from './access.repository.ts';
import { checkRoleChange, isRole, type Role } from './permissions.ts';
import { createUsersService, normalizeEmail } from './users.service.ts';

function actorRole(ctx: WorkspaceContext): Role {
  return ctx.role && isRole(ctx.role) ? ctx.role : 'viewer';
}

function enforce(result: ReturnType<typeof checkRoleChange>): void {
  if (!result.ok) throw new AppError(result.code === 'members.last_owner' ? 'conflict' : 'forbidden', result.code, result.message);
}

export function createMembersService(deps: AccessDeps) {
  const users = createUsersService(deps);

  async function currentRole(trx: repo.Executor, ctx: WorkspaceContext, userId: string): Promise<Role> {
    const m = await repo.findMembership(trx, ctx.workspaceId, userId);
    if (!m || !isRole(m.role)) throw notFound('member.not_found', 'No such member in this workspace');
    return m.role;
  }

  return {
    list(ctx: WorkspaceContext) {
      return repo.listMembers(deps.db, ctx.workspaceId);
    },

    /**
     * Adds a member by email. A new user gets a generated password, returned once so the
     * admin can hand it over; an existing user simply gains the membership.
     */
    async add(ctx: WorkspaceContext, input: { email: string; name?: string; role: Role }) {
      enforce(checkRoleChange({ actorRole: actorRole(ctx), currentRole: null, to: input.role, ownerCount: 1 }));
      const email = normalizeEmail(input.email);
      return deps.db.transaction().execute(async (trx) => {
        let user = await repo.findUserByEmail(trx, email);
        let generatedPassword: string | null = null;
        if (!user) {
          const created = await users.createUser({ email, ...(input.name ? { name: input.name } : {}), isInstanceAdmin: false }, trx);
          generatedPassword = created.generatedPassword;
          user = await repo.findUserById(trx, created.id);
        } else if (await repo.findMembership(trx, ctx.workspaceId, user.id)) {
          throw conflict('member.exists', `${email} is already a member`);
        }
        await repo.insertMembership(trx, ctx.workspaceId, user!.id, input.role);
        await recordAudit(trx, ctx, {
          action: 'member.add',
          targetType: 'user',
          targetId: user!.id,
          details: { email, role: input.role, newUser: generatedPassword !== null },
        });
        return { userId: user!.id, email, role: input.role, generatedPassword };
      });
    },

    async changeRole(ctx: WorkspaceContext, userId: string, role: Role) {
      await deps.db.transaction().execute(async (trx) => {
        const ownerCount = await repo.countOwnersForUpdate(trx, ctx.workspaceId);
        const from = await currentRole(trx, ctx, userId);
        enforce(checkRoleChange({ actorRole: actorRole(ctx), currentRole: from, to: role, ownerCount }));
        await repo.updateMembershipRole(trx, ctx.workspaceId, userId, role, deps.clock.now());
        await recordAudit(trx, ctx, { action: 'member.change_role', targetType: 'user', targetId: userId, details: { from, to: role } });
      });
    },

    async remove(ctx: WorkspaceContext, userId: string) {
      await deps.db.transaction().execute(async (trx) => {
        const ownerCount = await repo.countOwnersForUpdate(trx, ctx.workspaceId);
        const from = await currentRole(trx, ctx, userId);
        enforce(checkRoleChange({ actorRole: actorRole(ctx), currentRole: from, to: null, ownerCount }));
        await repo.deleteMembership(trx, ctx.workspaceId, userId);
        await recordAudit(trx, ctx, { action: 'member.remove', targetType: 'user', targetId: userId, details: { role: from } });
      });
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
