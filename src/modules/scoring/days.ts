/** Calendar days in a time zone as integers (days since 1970-01-01 of the local date). */
import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;

/** The local date of `at` in `timeZone` as a day number; the SQL twin is `(at at time zone tz)::date - date '1970-01-01'`. */
export function localDayNumber(at: Date, timeZone: string): number {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return Math.round(Date.UTC(local.year, local.month - 1, local.day) / DAY_MS);
}

/** The day number of a local date YYYY-MM-DD. */
export function dayNumberOf(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The instant a local day ends (the next local midnight), in UTC. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return DateTime.fromISO(date, { zone: timeZone }).plus({ days: 1 }).startOf('day').toJSDate();
}

/** The start of a local hour, to schedule the nightly recompute. */
export function localHour(at: Date, timeZone: string): { hour: number; day: number } {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return { hour: local.hour, day: localDayNumber(at, timeZone) };
}

export function isTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}
