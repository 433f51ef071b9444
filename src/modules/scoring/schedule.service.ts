/**
 * The nightly full recompute: checked every 15 minutes, it queues one for each workspace
 * whose local time has reached its nightly hour and that has not had its scheduled run
 * today (so a worker that was down at 02:00 catches up), and a first one for workspaces with
 * customers that were never scored.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.ts';
import { scheduleCandidates } from './runs.repository.ts';
import type { RecomputeService } from './recompute.service.ts';
import type { Executor } from './scoring.deps.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { parseStoredSettings } from './settings.service.ts';

/** Whether the nightly run is due: local time past `hour` today and no scheduled run since then. */
export function isNightlyDue(now: Date, timeZone: string, hour: number, lastScheduled: Date | null): boolean {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const dueAt = local.startOf('day').set({ hour });
  if (local < dueAt) return false;
  return !lastScheduled || lastScheduled.getTime() < dueAt.toMillis();
}

export function createScheduleService(deps: { db: Executor; clock: Clock }, recompute: RecomputeService) {
  async function tick(): Promise<{ queued: string[] }> {
    const now = deps.clock.now();
    const queued: string[] = [];
    for (const w of await scheduleCandidates(deps.db)) {
      if (!w.has_customers) continue;
      const settings = parseStoredSettings(w.settings) ?? DEFAULT_SETTINGS;
      const trigger = !w.any_run ? 'first' : isNightlyDue(now, w.time_zone, settings.schedule.nightlyHour, w.last_scheduled) ? 'schedule' : null;
      if (!trigger) continue;
      const { created } = await recompute.requestBySystem(w.id, trigger);
      if (created) queued.push(w.id);
    }
    return { queued };
  }
  return { tick };
}
