/** Test data for messaging: customers and consents written directly, and a module under test with a controlled clock and jitter. */
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { systemContext } from '../../platform/http/context.ts';
import { createLogger } from '../../platform/logger.ts';
import { createMessagingModule, DEFAULT_SETTINGS, type MessagingModule, type MessagingSettings } from './index.ts';

let nextId = 1000;

export interface Customer {
  id: number;
}

/** A customer in a workspace (granted marketing consent unless told otherwise). */
export async function addCustomer(db: Db, workspaceId: string, over: { nickname?: string | null; name?: string | null; mobile?: string | null; consent?: 'granted' | 'denied' | 'unknown' } = {}): Promise<number> {
  const id = ++nextId;
  await db
    .insertInto('customers')
    .values({ workspace_id: workspaceId, id, nickname: over.nickname === undefined ? `nick${id}` : over.nickname, name: over.name ?? null, mobile: over.mobile === undefined ? `+86138${String(id).padStart(8, '0')}` : over.mobile, consent_status: over.consent ?? 'granted' })
    .execute();
  return id;
}

/** Records a consent decision (the customers module's history table) and, for marketing/all, the customer's state. */
export async function recordConsent(db: Db, workspaceId: string, customerId: number, status: 'granted' | 'denied', at: Date, purpose = 'marketing', channel = 'all'): Promise<void> {
  await db.insertInto('customer_consents').values({ workspace_id: workspaceId, customer_id: customerId, purpose, channel, status, recorded_at: at, source: 'test' }).execute();
  if (purpose === 'marketing' && channel === 'all') await db.updateTable('customers').set({ consent_status: status, consent_updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', customerId).execute();
}

export interface Harness {
  messaging: MessagingModule;
  /** enqueueDispatch calls, in order. */
  dispatches: { workspaceId: string; inTransaction: boolean; delaySeconds: number | undefined }[];
}

/** A messaging module as the composition builds it, with its clock, jitter and (optionally) its own database handle. */
export function messagingFor(db: Db, clock: Clock, options: { random?: () => number } = {}): Harness {
  const dispatches: Harness['dispatches'] = [];
  const messaging = createMessagingModule({
    db,
    clock,
    logger: createLogger('silent'),
    timeZoneOf: async (executor, id) => (await executor.selectFrom('workspaces').select('time_zone').where('id', '=', id).executeTakeFirst())?.time_zone ?? 'Asia/Shanghai',
    enqueueDispatch: async (workspaceId, { trx, delaySeconds }) => void dispatches.push({ workspaceId, inTransaction: !!trx, delaySeconds }),
    random: options.random ?? (() => 0.5),
  });
  return { messaging, dispatches };
}

/** Replaces a workspace's messaging settings (deep-merged one level over the defaults). */
export async function setSettings(messaging: MessagingModule, workspaceId: string, patch: Partial<MessagingSettings>): Promise<void> {
  await messaging.settings.put(systemContext(workspaceId, 'test'), { ...DEFAULT_SETTINGS, adLaw: { ...DEFAULT_SETTINGS.adLaw, useDictionary: false }, ...patch });
}

export async function ledgerRows(db: Db, workspaceId: string) {
  return db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

export async function countRows(db: Db, table: 'messages' | 'message_templates' | 'message_template_versions' | 'messaging_settings' | 'messaging_drivers', workspaceId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where workspace_id = ${workspaceId}`.execute(db);
  return rows[0]!.n;
}
