import { invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { AccessDeps } from './access.deps.ts';
import * as repo from './access.repository.ts';
import type { ApiKeyScope } from './permissions.ts';
import { formatApiKey, sha256Hex } from './tokens.ts';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const toView = (r: Awaited<ReturnType<typeof repo.listApiKeys>>[number]): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export function createApiKeysService(deps: AccessDeps) {
  return {
    async list(ctx: WorkspaceContext): Promise<ApiKeyView[]> {
      return (await repo.listApiKeys(deps.db, ctx.workspaceId)).map(toView);
    },

    /** Creates a key; the token is in this reply only and stored as a hash. */
    async create(ctx: WorkspaceContext, input: { name: string; scopes: ApiKeyScope[]; expiresAt?: Date | undefined }) {
      const now = deps.clock.now();
      if (input.expiresAt && input.expiresAt <= now) {
        throw invalid('api_key.invalid_expiry', 'The expiry must be in the future', [{ field: 'expiresAt', reason: 'in_the_past' }]);
      }
      const id = newId();
      const { token, secret, prefix } = formatApiKey(ctx.workspaceId, id);
      const scopes = [...new Set(input.scopes)].sort();
      await deps.db.transaction().execute(async (trx) => {
        await repo.insertApiKey(trx, {
          workspaceId: ctx.workspaceId,
          id,
          name: input.name.trim(),
          prefix,
          secretHash: sha256Hex(secret),
          scopes,
          createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
          expiresAt: input.expiresAt ?? null,
        });
        await recordAudit(trx, ctx, { action: 'api_key.create', targetType: 'api_key', targetId: id, details: { name: input.name, scopes } });
      });
      const row = await repo.findApiKey(deps.db, ctx.workspaceId, id);
      return { apiKey: toView(row!), token };
    },

    async revoke(ctx: WorkspaceContext, id: string): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const key = await repo.findApiKey(trx, ctx.workspaceId, id);
        if (!key) throw notFound('api_key.not_found', 'API key not found');
        await repo.revokeApiKey(trx, ctx.workspaceId, id, deps.clock.now());
        await recordAudit(trx, ctx, { action: 'api_key.revoke', targetType: 'api_key', targetId: id, details: { name: key.name } });
      });
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
