/** SQL of messaging settings and driver configuration. */
import type { Executor } from './messaging.deps.ts';
import { DEFAULT_SETTINGS, MessagingSettingsSchema, type MessagingSettings } from './settings.schemas.ts';

/** Stored settings over the defaults (a section added in a later version takes its default). */
export function withDefaults(stored: unknown): MessagingSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(DEFAULT_SETTINGS)) {
    const v = s[key];
    merged[key] = v && typeof v === 'object' && !Array.isArray(v) && typeof def === 'object' ? { ...def, ...(v as object) } : def;
  }
  const parsed = MessagingSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function loadSettings(db: Executor, workspaceId: string): Promise<{ settings: MessagingSettings; updatedAt: Date | null }> {
  const row = await db.selectFrom('messaging_settings').select(['settings', 'updated_at']).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return { settings: withDefaults(row?.settings), updatedAt: row?.updated_at ?? null };
}

export async function saveSettings(db: Executor, workspaceId: string, settings: MessagingSettings, now: Date): Promise<void> {
  await db
    .insertInto('messaging_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now }))
    .execute();
}

export interface DriverRow {
  workspace_id: string;
  driver: string;
  config: unknown;
  secret: string | null;
  updated_at: Date;
}

export function loadDrivers(db: Executor, workspaceIds: readonly string[]): Promise<DriverRow[]> {
  if (!workspaceIds.length) return Promise.resolve([]);
  return db.selectFrom('messaging_drivers').selectAll().where('workspace_id', 'in', workspaceIds).execute() as Promise<DriverRow[]>;
}

export async function saveDriver(db: Executor, workspaceId: string, driver: string, config: unknown, secret: string | null | undefined, now: Date): Promise<void> {
  const values = { workspace_id: workspaceId, driver, config: JSON.stringify(config), updated_at: now, ...(secret !== undefined ? { secret } : {}) };
  await db
    .insertInto('messaging_drivers')
    .values(values)
    .onConflict((oc) => oc.columns(['workspace_id', 'driver']).doUpdateSet({ config: JSON.stringify(config), updated_at: now, ...(secret !== undefined ? { secret } : {}) }))
    .execute();
}
