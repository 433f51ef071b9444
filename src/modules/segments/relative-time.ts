/**
 * Calendar days in the workspace time zone: relative conditions ("in the last 30 days",
 * "more than 90 days ago", birthdays in the next 7 days) change only at local midnight.
 */
import { DateTime } from 'luxon';

/** Local midnight `plusDays` days after today's (negative: before), as an instant. */
export function localMidnight(now: Date, timeZone: string, plusDays = 0): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: plusDays }).toJSDate();
}

/** The local midnight that starts a calendar day `YYYY-MM-DD`, plus `plusDays`. */
export function dayStart(day: string, timeZone: string, plusDays = 0): Date {
  const d = DateTime.fromISO(day, { zone: timeZone });
  if (!d.isValid) throw new Error(`not a day: ${day}`);
  return d.startOf('day').plus({ days: plusDays }).toJSDate();
}

/** Today's date in the time zone plus `plusDays`, `YYYY-MM-DD`. */
export function localDay(now: Date, timeZone: string, plusDays = 0): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: plusDays }).toISODate()!;
}

/**
 * The birthdays (`MM-DD`) that fall today or in the `days` − 1 days after. Someone born on
 * 29 February celebrates on 28 February in years without one.
 */
export function upcomingBirthdays(now: Date, timeZone: string, days: number): string[] {
  const start = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const out = new Set<string>();
  for (let i = 0; i < Math.min(days, 366); i++) {
    const d = start.plus({ days: i });
    const md = d.toFormat('MM-dd');
    out.add(md);
    if (md === '02-28' && !d.isInLeapYear) out.add('02-29');
  }
  return [...out];
}

/** Whether a time zone name is one luxon (and PostgreSQL) understands. */
export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.now().setZone(timeZone).isValid;
}
