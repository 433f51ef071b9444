/** Per-workspace scoring settings: defaults until saved, validated, audited; saving starts a recompute. */
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { ScoringSettingsSchema, type ScoringSettings } from './scoring.schemas.ts';
import type { Executor, ScoringDeps } from './scoring.deps.ts';
import { loadSettingsRow, saveSettings } from './runs.repository.ts';
import type { RecomputeService } from './recompute.service.ts';
import { runView } from './views.ts';

/** Stored settings parsed with today's schema; anything unreadable falls back to the defaults. */
export function parseStoredSettings(value: unknown): ScoringSettings | null {
  const parsed = ScoringSettingsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export async function currentSettings(db: Executor, workspaceId: string): Promise<{ settings: ScoringSettings; row: Awaited<ReturnType<typeof loadSettingsRow>> }> {
  const row = await loadSettingsRow(db, workspaceId);
  return { settings: (row && parseStoredSettings(row.settings)) ?? DEFAULT_SETTINGS, row };
}

export function createSettingsService(deps: ScoringDeps, recompute: RecomputeService) {
  async function get(ctx: WorkspaceContext) {
    const { settings, row } = await currentSettings(deps.db, ctx.workspaceId);
    return {
      settings,
      isDefault: !row,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by ?? null,
      timeZone: await deps.timeZoneOf(ctx.workspaceId),
    };
  }

  /** Saves validated settings and queues the recompute that applies them (one transaction). */
  async function put(ctx: WorkspaceContext, settings: ScoringSettings) {
    const run = await deps.db.transaction().execute(async (trx) => {
      const before = (await currentSettings(trx, ctx.workspaceId)).settings;
      await saveSettings(trx, ctx.workspaceId, settings, deps.clock.now(), ctx.actor.label);
      await recordAudit(trx, ctx, { action: 'scoring.settings_update', targetType: 'scoring_settings', targetId: ctx.workspaceId, details: { before, after: settings } });
      return (await recompute.requestInTransaction(trx, ctx.workspaceId, 'settings', ctx.actor.label)).run;
    });
    return { ...(await get(ctx)), run: runView(run) };
  }

  return { get, put };
}

export type ScoringSettingsService = ReturnType<typeof createSettingsService>;
