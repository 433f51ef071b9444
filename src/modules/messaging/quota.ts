/**
 * What happens to messages over a channel quota: over the per-minute or per-hour limit
 * they are held until the window that ran out opens again (and checked again then); over
 * the per-day limit they are suppressed with reason `quota` — marketing is timely, and a
 * day's excess spilling into the next day would only crowd that day out. Pure.
 */
import type { Quota } from './settings.schemas.ts';
import { quotaWindow, type QuotaWindowKind } from './time-windows.ts';
import type { QuotaWindowLimit } from './quota.repository.ts';

const LIMIT_OF: Record<QuotaWindowKind, keyof Quota> = { minute: 'perMinute', hour: 'perHour', day: 'perDay' };

/** The windows with a limit that contain `now`; empty when the channel has no quota. */
export function quotaWindowsFor(quota: Quota | undefined, now: Date, timeZone: string): QuotaWindowLimit[] {
  if (!quota) return [];
  const out: QuotaWindowLimit[] = [];
  for (const kind of ['day', 'hour', 'minute'] as const) {
    const limit = quota[LIMIT_OF[kind]];
    if (limit !== null) out.push({ kind, start: quotaWindow(now, kind, timeZone).start, limit });
  }
  return out;
}

export type QuotaOutcome = { kind: 'suppress'; window: 'day' } | { kind: 'hold'; window: QuotaWindowKind; releaseAt: Date };

/** For messages that did not get quota: the window that ran out decides (the day first). */
export function overQuota(remaining: ReadonlyMap<QuotaWindowKind, number>, now: Date, timeZone: string): QuotaOutcome {
  let tightest: QuotaWindowKind = 'day';
  let least = Infinity;
  for (const kind of ['day', 'hour', 'minute'] as const) {
    const left = remaining.get(kind);
    if (left !== undefined && left < least) {
      least = left;
      tightest = kind;
    }
  }
  if (tightest === 'day') return { kind: 'suppress', window: 'day' };
  return { kind: 'hold', window: tightest, releaseAt: quotaWindow(now, tightest, timeZone).next };
}
