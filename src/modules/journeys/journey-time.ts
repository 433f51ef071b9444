/**
 * Time rules of journeys, in the workspace time zone: when a wait ends, the next local time
 * of day, and which customers a date or joining trigger fires for on a local day. Pure.
 */
import { DateTime } from 'luxon';
import { cronProblem, nextCronFire, parseCron } from './cron.ts';
import type { Duration, Trigger } from './journeys.schemas.ts';

/** When a wait of `d` that starts at `from` ends (calendar days in `tz`, so 1 day is local midnight to midnight). */
export function waitEnd(from: Date, d: Duration, tz: string): Date {
  return DateTime.fromJSDate(from, { zone: tz })
    .plus({ days: d.days ?? 0, hours: d.hours ?? 0, minutes: d.minutes ?? 0 })
    .toJSDate();
}

function parseHm(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return { hour: h, minute: m };
}

/**
 * The first `time` (HH:mm in `tz`) strictly after `after`, on one of `weekdays`
 * (1 = Monday … 7 = Sunday) when given.
 */
export function nextLocalTime(after: Date, time: string, tz: string, weekdays?: readonly number[]): Date {
  const { hour, minute } = parseHm(time);
  const local = DateTime.fromJSDate(after, { zone: tz });
  for (let i = 0; i <= 8; i++) {
    const day = local.startOf('day').plus({ days: i });
    const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: tz });
    if (at.toMillis() <= after.getTime()) continue;
    if (weekdays && !weekdays.includes(at.weekday)) continue;
    return at.toJSDate();
  }
  throw new Error('unreachable: a weekday recurs within 8 days');
}

/** The calendar day (YYYY-MM-DD) of an instant in `tz`. */
export function localDate(at: Date, tz: string): string {
  return DateTime.fromJSDate(at, { zone: tz }).toISODate()!;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The month-days (MM-DD) a yearly date trigger matches when it fires on local day `day`:
 * the day `offsetDays` before/after the anniversary, and on 28 February of a non-leap year
 * also 29 February (those customers celebrate on the 28th). `year` is the anniversary's year,
 * which is the occurrence: one entry per customer per year.
 */
export function anniversaryKeys(day: string, offsetDays = 0): { year: number; keys: string[] } {
  const anniversary = DateTime.fromISO(day, { zone: 'UTC' }).minus({ days: offsetDays });
  const key = anniversary.toFormat('MM-dd');
  const keys = [key];
  if (key === '02-28' && !isLeapYear(anniversary.year)) keys.push('02-29');
  return { year: anniversary.year, keys };
}

/** The local joining day a `joined` trigger fires for on local day `day`: `days` before it. */
export function joinedDayFor(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).minus({ days }).toISODate()!;
}

export type TimedTrigger = Extract<Trigger, { type: 'schedule' | 'date' | 'joined' }>;

export function isTimedTrigger(t: Trigger): t is TimedTrigger {
  return t.type === 'schedule' || t.type === 'date' || t.type === 'joined';
}

/** The next fire of a timed trigger strictly after `after` (date and joined triggers fire daily at `at`). */
export function nextTriggerFire(trigger: TimedTrigger, after: Date, tz: string): Date | null {
  if (trigger.type === 'schedule') return nextCronFire(parseCron(trigger.cron), after, tz);
  return nextLocalTime(after, trigger.at, tz);
}

/** A fixed start for the "does it ever fire" check (the calendar repeats; 29 February recurs within 5 years of it). */
const NEVER_CHECK_FROM = new Date(Date.UTC(2023, 11, 31));

/** The problem with a trigger's timing: a cron that does not parse, or one naming a day that never comes (30 February). */
export function triggerProblem(trigger: Trigger): string | null {
  if (trigger.type !== 'schedule') return null;
  const problem = cronProblem(trigger.cron);
  if (problem) return problem;
  return nextCronFire(parseCron(trigger.cron), NEVER_CHECK_FROM, 'UTC') ? null : 'the schedule never fires (no such day in those months)';
}

/** A schedule fire missed while no worker ran is made up only within this grace; later it is skipped. */
export const SCHEDULE_GRACE_MS = 60 * 60 * 1000;
/** Date and joining triggers make up missed days (each day is its own audience), at most this many. */
export const MAX_CATCH_UP_FIRES = 31;

/**
 * The fires due at `now` given the stored next fire: which to run (oldest first) and the next
 * one to store. Schedules fire only their latest missed time, within the grace; date and joining
 * triggers fire every missed day.
 */
export function dueFires(trigger: TimedTrigger, nextFireAt: Date, now: Date, tz: string): { fire: Date[]; next: Date | null } {
  const due: Date[] = [];
  let next: Date | null = nextFireAt;
  while (next && next.getTime() <= now.getTime() && due.length < 400) {
    due.push(next);
    next = nextTriggerFire(trigger, next, tz);
  }
  if (next && next.getTime() <= now.getTime()) next = nextTriggerFire(trigger, now, tz);
  if (trigger.type === 'schedule') {
    const last = due.at(-1);
    return { fire: last && now.getTime() - last.getTime() <= SCHEDULE_GRACE_MS ? [last] : [], next };
  }
  return { fire: due.slice(-MAX_CATCH_UP_FIRES), next };
}
