/**
 * Calendar arithmetic of the guard rails, in the workspace time zone: quiet hours (which may
 * span midnight), the day / week (ISO, from Monday) / month a frequency cap counts in, and
 * the minute / hour / day windows of channel quotas. Pure.
 */
import { DateTime } from 'luxon';

export interface QuietHours {
  enabled: boolean;
  /** Local wall-clock times, HH:MM; start > end means the window spans midnight. */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/**
 * When `at` falls inside quiet hours, the instant they end (the next local `end` time);
 * otherwise null. 22:00–08:00: 21:59 is outside, 22:00 is inside, 08:00 is outside.
 */
export function quietHoursRelease(at: Date, quiet: QuietHours, timeZone: string): Date | null {
  if (!quiet.enabled) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const now = local.hour * 60 + local.minute;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  // Wall-clock end, set (not added as minutes) so a daylight-saving day still ends at HH:MM.
  const endOf = (day: DateTime) => day.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 });
  let release = endOf(local);
  if (release <= local) release = endOf(local.plus({ days: 1 }));
  return release.toJSDate();
}

export interface CapWindows {
  dayStart: Date;
  weekStart: Date;
  monthStart: Date;
}

/** Starts of the local day, ISO week and month containing `at`. */
export function capWindows(at: Date, timeZone: string): CapWindows {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return {
    dayStart: local.startOf('day').toJSDate(),
    weekStart: local.startOf('week').toJSDate(),
    monthStart: local.startOf('month').toJSDate(),
  };
}

export type QuotaWindowKind = 'minute' | 'hour' | 'day';

export interface QuotaWindow {
  kind: QuotaWindowKind;
  start: Date;
  /** When the next window opens. */
  next: Date;
}

/** The quota window of `kind` containing `at` (days are local days). */
export function quotaWindow(at: Date, kind: QuotaWindowKind, timeZone: string): QuotaWindow {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const start = local.startOf(kind);
  return { kind, start: start.toJSDate(), next: start.plus({ [`${kind}s`]: 1 }).toJSDate() };
}
