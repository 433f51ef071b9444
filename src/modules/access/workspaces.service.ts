import { invalid, notFound, forbidden } from '../../platform/errors.ts';
import { isValidTimeZone } from '../../platform/config.ts';
import { newId } from '../../platform/ids.ts';
import type { UserContext, WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { AccessDeps } from './access.deps.ts';
import * as repo from './access.repository.ts';
import { permissionsForRole } from './permissions.ts';

export interface WorkspaceInput {
  name: string;
  timeZone?: string;
  locale?: 'zh-CN' | 'en';
}

export interface WorkspaceView {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
  isDemo: boolean;
  createdAt: Date;
}

function toView(row: repo.WorkspaceRow): WorkspaceView {
  return { id: row.id, name: row.name, timeZone: row.time_zone, locale: row.locale, isDemo: row.is_demo, createdAt: row.created_at };
}

function checkTimeZone(tz: string | undefined): void {
  if (tz !== undefined && !isValidTimeZone(tz)) {
    throw invalid('workspace.invalid_time_zone', `Unknown time zone ${tz}`, [{ field: 'timeZone', reason: 'unknown_time_zone' }]);
  }
}

export function createWorkspacesService(deps: AccessDeps) {
  /** Creates a workspace with `ownerUserId` as its owner, audited in the new workspace. */
  async function createWorkspace(
    input: WorkspaceInput & { isDemo?: boolean },
    owner: { userId: string; label: string },
    requestId = 'system:cli',
  ): Promise<WorkspaceView> {
    checkTimeZone(input.timeZone);
    const id = newId();
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertWorkspace(trx, {
        id,
        name: input.name.trim(),
        timeZone: input.timeZone ?? deps.defaultTimeZone,
        locale: input.locale ?? 'zh-CN',
        isDemo: input.isDemo ?? false,
      });
      await repo.insertMembership(trx, id, owner.userId, 'owner');
      for (const hook of deps.onWorkspaceCreated ?? []) await hook(trx, id);
      const ctx: WorkspaceContext = {
        requestId,
        ip: '',
        actor: { type: 'user', id: owner.userId, label: owner.label },
        workspaceId: id,
        role: 'owner',
        permissions: permissionsForRole('owner'),
        audited: false,
      };
      await recordAudit(trx, ctx, { action: 'workspace.create', targetType: 'workspace', targetId: id, details: { name: input.name } });
    });
    const row = await repo.findWorkspace(deps.db, id);
    return toView(row!);
  }

  return {
    createWorkspace,

    /** API: instance administrators create workspaces; they become the owner. */
    async createWorkspaceAsUser(ctx: UserContext, input: WorkspaceInput): Promise<WorkspaceView> {
      const user = await repo.findUserById(deps.db, ctx.actor.id);
      if (!user?.is_instance_admin) {
        throw forbidden('workspace.create_forbidden', 'Only instance administrators create workspaces');
      }
      return createWorkspace(input, { userId: user.id, label: user.email }, ctx.requestId);
    },

    async getWorkspace(ctx: WorkspaceContext): Promise<WorkspaceView> {
      const row = await repo.findWorkspace(deps.db, ctx.workspaceId);
      if (!row) throw notFound('workspace.not_found', 'Workspace not found');
      return toView(row);
    },

    async updateWorkspace(ctx: WorkspaceContext, patch: WorkspaceInput | Partial<WorkspaceInput>): Promise<WorkspaceView> {
      checkTimeZone(patch.timeZone);
      await deps.db.transaction().execute(async (trx) => {
        await repo.updateWorkspace(trx, ctx.workspaceId, { ...patch, ...(patch.name ? { name: patch.name.trim() } : {}) }, deps.clock.now());
        await recordAudit(trx, ctx, { action: 'workspace.update', targetType: 'workspace', targetId: ctx.workspaceId, details: { ...patch } });
      });
      return this.getWorkspace(ctx);
    },

    listWorkspacesOfUser(userId: string) {
      return repo.listWorkspacesOfUser(deps.db, userId);
    },
  };
}

export type WorkspacesService = ReturnType<typeof createWorkspacesService>;
