/**
 * Workspace messaging settings (caps, quiet hours, quotas, channel drivers, delivery,
 * extra ad-law terms) and driver configuration. Secrets are returned once, when made or
 * set, and never read back.
 */
import { invalid } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { randomToken } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { extraDictionary } from '../compliance/index.ts';
import { availableDrivers } from './dispatch.service.ts';
import type { MessagingDeps } from './messaging.deps.ts';
import { CHANNELS, type DriverKind } from './message-types.ts';
import { usageOf } from './quota.repository.ts';
import { loadDrivers, loadSettings, saveDriver, saveSettings } from './settings.repository.ts';
import type { MessagingSettings, SmsHttpConfig, WebhookConfig } from './settings.schemas.ts';
import { quotaWindow } from './time-windows.ts';

function checkSettings(s: MessagingSettings): void {
  const available = availableDrivers();
  for (const channel of CHANNELS) {
    const driver = s.drivers[channel];
    if (!available.includes(driver)) throw invalid('messaging.driver_unavailable', `The ${driver} driver is not available in this version`, [{ field: `drivers.${channel}`, reason: 'driver_unavailable' }]);
    if (driver === 'sms_http' && channel !== 'sms') throw invalid('messaging.driver_mismatch', 'The SMS provider delivers the sms channel only', [{ field: `drivers.${channel}`, reason: 'driver_mismatch' }]);
  }
  const caps = [['all', s.caps.all], ...Object.entries(s.caps.channels)] as const;
  for (const [scope, c] of caps) {
    if (!c) continue;
    if (c.daily !== null && c.weekly !== null && c.daily > c.weekly) throw invalid('messaging.caps_inconsistent', 'A daily cap above the weekly cap never applies', [{ field: `caps.${scope}.daily`, reason: 'above_weekly' }]);
    if (c.weekly !== null && c.monthly !== null && c.weekly > c.monthly) throw invalid('messaging.caps_inconsistent', 'A weekly cap above the monthly cap never applies', [{ field: `caps.${scope}.weekly`, reason: 'above_monthly' }]);
  }
}

export function createMessagingSettingsService(deps: MessagingDeps) {
  const { db, clock } = deps;

  async function get(ctx: WorkspaceContext) {
    const ws = ctx.workspaceId;
    const now = clock.now();
    const [{ settings, updatedAt }, timeZone, drivers] = await Promise.all([loadSettings(db, ws), deps.timeZoneOf(db, ws), loadDrivers(db, [ws])]);
    const state = (kind: DriverKind) => {
      const d = drivers.find((x) => x.driver === kind);
      return { configured: !!d, config: d?.config ?? null, secretSet: !!d?.secret, updatedAt: d?.updated_at ?? null };
    };
    const windows = (['minute', 'hour', 'day'] as const).map((k) => quotaWindow(now, k, timeZone));
    const dict = extraDictionary();
    return {
      settings,
      updatedAt,
      timeZone,
      availableDrivers: availableDrivers(),
      drivers: { webhook: state('webhook'), sms_http: state('sms_http') },
      usage: await usageOf(db, ws, windows),
      dictionary: { available: !!dict, words: dict?.words.length ?? 0, files: dict?.files ?? [] },
    };
  }

  async function put(ctx: WorkspaceContext, settings: MessagingSettings) {
    checkSettings(settings);
    await db.transaction().execute(async (trx) => {
      await saveSettings(trx, ctx.workspaceId, settings, clock.now());
      await recordAudit(trx, ctx, { action: 'messaging.settings', targetType: 'messaging_settings', targetId: ctx.workspaceId, details: { settings } });
    });
    return get(ctx);
  }

  /** Sets the webhook URL; makes a signing secret the first time or when asked to rotate. */
  async function setWebhook(ctx: WorkspaceContext, input: WebhookConfig & { rotateSecret: boolean }) {
    const config = { url: input.url };
    return db.transaction().execute(async (trx) => {
      const [existing] = (await loadDrivers(trx, [ctx.workspaceId])).filter((d) => d.driver === 'webhook');
      const secret = input.rotateSecret || !existing?.secret ? `whsec_${randomToken(24)}` : undefined;
      await saveDriver(trx, ctx.workspaceId, 'webhook', config, secret, clock.now());
      await recordAudit(trx, ctx, { action: 'messaging.driver', targetType: 'messaging_driver', targetId: 'webhook', details: { config, secretRotated: !!secret } });
      return { driver: 'webhook', config, secret: secret ?? null, secretSet: true };
    });
  }

  /** Sets the SMS provider; a given secret replaces the stored one (null clears it). */
  async function setSms(ctx: WorkspaceContext, input: SmsHttpConfig & { secret?: string | null | undefined }) {
    const { secret, ...config } = input;
    return db.transaction().execute(async (trx) => {
      await saveDriver(trx, ctx.workspaceId, 'sms_http', config, secret, clock.now());
      const [row] = (await loadDrivers(trx, [ctx.workspaceId])).filter((d) => d.driver === 'sms_http');
      await recordAudit(trx, ctx, { action: 'messaging.driver', targetType: 'messaging_driver', targetId: 'sms_http', details: { config, secretChanged: secret !== undefined } });
      return { driver: 'sms_http', config, secret: null, secretSet: !!row?.secret };
    });
  }

  return { get, put, setWebhook, setSms };
}

export type MessagingSettingsService = ReturnType<typeof createMessagingSettingsService>;
