import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UserContext } from '../../platform/http/context.ts';
import type { AccessDeps } from './access.deps.ts';
import * as repo from './access.repository.ts';
import { generatePassword, hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from './password.ts';

export interface NewUser {
  email: string;
  name?: string;
  password?: string;
  locale?: 'zh-CN' | 'en';
  isInstanceAdmin?: boolean;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function checkPasswordStrength(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw invalid('user.weak_password', `Passwords need at least ${PASSWORD_MIN_LENGTH} characters`, [
      { field, reason: 'too_short' },
    ]);
  }
}

export function createUsersService(deps: AccessDeps) {
  return {
    /**
     * Creates a user; without a password one is generated and returned once.
     * The first user of a deployment becomes its instance administrator.
     */
    async createUser(input: NewUser, executor: repo.Executor = deps.db) {
      const email = normalizeEmail(input.email);
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
        throw invalid('user.invalid_email', 'Not an email address', [{ field: 'email', reason: 'invalid_email' }]);
      }
      if (await repo.findUserByEmail(executor, email)) throw conflict('user.email_taken', `A user with email ${email} exists`);
      const password = input.password ?? generatePassword();
      if (input.password) checkPasswordStrength(input.password);
      const id = newId();
      const isFirst = (await repo.countUsers(executor)) === 0;
      await repo.insertUser(executor, {
        id,
        email,
        name: input.name?.trim() || email.split('@')[0]!,
        passwordHash: await hashPassword(password),
        locale: input.locale ?? 'zh-CN',
        isInstanceAdmin: input.isInstanceAdmin ?? isFirst,
      });
      return { id, email, generatedPassword: input.password ? null : password };
    },

    async updateProfile(ctx: UserContext, patch: { name?: string; locale?: 'zh-CN' | 'en' }) {
      await repo.updateUser(deps.db, ctx.actor.id, patch, deps.clock.now());
    },

    /** Changes the password and ends the user's other sessions. */
    async changePassword(ctx: UserContext, currentPassword: string, newPassword: string) {
      const user = await repo.findUserById(deps.db, ctx.actor.id);
      if (!user) throw notFound('user.not_found');
      if (!(await verifyPassword(currentPassword, user.password_hash))) {
        throw invalid('user.wrong_current_password', 'The current password is wrong', [
          { field: 'currentPassword', reason: 'wrong_password' },
        ]);
      }
      checkPasswordStrength(newPassword, 'newPassword');
      const hash = await hashPassword(newPassword);
      await deps.db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { passwordHash: hash }, deps.clock.now());
        await repo.deleteUserSessions(trx, user.id, ctx.sessionId);
      });
    },

    /** Operator reset from the CLI: sets a new password (or generates one) and ends all sessions. */
    async resetPassword(email: string, password?: string) {
      const user = await repo.findUserByEmail(deps.db, normalizeEmail(email));
      if (!user) throw notFound('user.not_found', `No user with email ${email}`);
      if (password) checkPasswordStrength(password);
      const next = password ?? generatePassword();
      const hash = await hashPassword(next);
      await deps.db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { passwordHash: hash }, deps.clock.now());
        await repo.updateLoginState(trx, user.id, { failedCount: 0, lockedUntil: null });
        await repo.deleteUserSessions(trx, user.id);
      });
      return { generatedPassword: password ? null : next };
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
