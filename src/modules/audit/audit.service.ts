import type { WorkspaceContext } from '../../platform/http/context.ts';
import { newId } from '../../platform/ids.ts';
import { insertAuditEntries, listAuditEntries, type AuditRow, type Executor } from './audit.repository.ts';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/**
 * Records what a caller changed, inside the caller's transaction, so the change and its
 * audit entry commit or roll back together.
 */
export async function recordAudit(trx: Executor, ctx: WorkspaceContext, entry: AuditEntry): Promise<void> {
  await recordAuditMany(trx, ctx, [entry]);
}

/** Several entries of one caller in one insert (a batch that merged many customers). */
export async function recordAuditMany(trx: Executor, ctx: WorkspaceContext, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await insertAuditEntries(
    trx,
    entries.map((entry) => ({
      workspace_id: ctx.workspaceId,
      id: newId(),
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      actor_label: ctx.actor.label,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      request_id: ctx.requestId,
      ip: ctx.ip || null,
    })),
  );
  ctx.audited = true;
}

export interface AuditPage {
  items: AuditRow[];
  nextCursor: string | null;
}

export async function listAudit(
  db: Executor,
  ctx: WorkspaceContext,
  query: { action?: string; actorId?: string; targetType?: string; targetId?: string; cursor?: string; limit: number },
): Promise<AuditPage> {
  const rows = await listAuditEntries(db, ctx.workspaceId, {
    ...query,
    ...(query.cursor ? { before: query.cursor } : {}),
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}
