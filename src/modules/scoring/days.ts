/** Calendar days in a time zone as integers (days since 1970-01-01 of the local date). */
import { DateTime, IANAZone } from 'luxon';

const DAY_MS = 86_400_000;
const DAY_US = 86_400_000_000;

/** The local date of `at` in `timeZone` as a day number; the SQL twin is `(at at time zone tz)::date - date '1970-01-01'`. */
export function localDayNumber(at: Date, timeZone: string): number {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return Math.round(Date.UTC(local.year, local.month - 1, local.day) / DAY_MS);
}

/**
 * The local day numbers of many instants in one time zone (the twin of `localDayNumber` for a
 * million rows): the zone's offset is looked up once per UTC day and reused for every instant
 * in it, except a day in which the offset changes, where each instant is looked up alone (a
 * zone changes its offset at most once a day). Takes microseconds since 1970-01-01 UTC (the
 * precision PostgreSQL stores).
 */
export function localDaysOf(timeZone: string): (epochUs: number) => number {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`not a time zone: ${timeZone}`);
  /** Offset in minutes per UTC day; NaN for a day with a change in it. */
  const utcDays = new Map<number, number>();
  return (epochUs) => {
    const ms = Math.floor(epochUs / 1000);
    const utcDay = Math.floor(ms / DAY_MS);
    let offset = utcDays.get(utcDay);
    if (offset === undefined) {
      const first = zone.offset(utcDay * DAY_MS);
      offset = first === zone.offset(utcDay * DAY_MS + DAY_MS - 1) ? first : NaN;
      utcDays.set(utcDay, offset);
    }
    if (Number.isNaN(offset)) offset = zone.offset(ms);
    return Math.floor((epochUs + offset * 60_000_000) / DAY_US);
  };
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
