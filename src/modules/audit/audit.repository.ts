import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AuditLog, DB } from '../../platform/db/database.types.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  requestId: string | null;
}

export function insertAuditEntries(db: Executor, rows: Insertable<AuditLog>[]) {
  return db.insertInto('audit_log').values(rows).execute();
}

export async function listAuditEntries(
  db: Executor,
  workspaceId: string,
  filter: { action?: string; actorId?: string; targetType?: string; targetId?: string; before?: string; limit: number },
): Promise<AuditRow[]> {
  let q = db
    .selectFrom('audit_log')
    .select([
      'id',
      'occurred_at as occurredAt',
      'actor_type as actorType',
      'actor_id as actorId',
      'actor_label as actorLabel',
      'action',
      'target_type as targetType',
      'target_id as targetId',
      'details',
      'request_id as requestId',
    ])
    .where('workspace_id', '=', workspaceId);
  if (filter.action) q = q.where('action', 'like', `${filter.action.replace(/[%_]/g, '\\$&')}%`);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  // ids are UUIDv7: ordering by id is ordering by time, and the id is the keyset cursor.
  if (filter.before) q = q.where('id', '<', filter.before);
  return q.orderBy('id', 'desc').limit(filter.limit).execute();
}
