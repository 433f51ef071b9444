/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) evaluated in a
 * time zone: `*`, lists `1,15`, ranges `1-5`, steps `*\/15` and `8-20/2`, month and weekday
 * names (JAN, MON), 0 or 7 for Sunday. As in Vixie cron, when both day-of-month and
 * day-of-week are restricted a day matching either fires. Pure: no clock, no I/O.
 */
import { DateTime } from 'luxon';

export interface CronSpec {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 1 = Monday … 7 = Sunday (luxon's weekday numbering). */
  weekdays: ReadonlySet<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export class CronError extends Error {}

function parseValue(text: string, min: number, names: string[] | null, nameBase: number): number {
  const lower = text.toLowerCase();
  const named = names ? names.indexOf(lower) : -1;
  const n = named >= 0 ? named + nameBase : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n)) throw new CronError(`"${text}" is not a number`);
  return n < min ? NaN : n;
}

function parseField(field: string, min: number, max: number, label: string, names: string[] | null = null, nameBase = 0): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`${label}: bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else {
      const [a, b] = range.split('-') as [string, string | undefined];
      lo = parseValue(a, min, names, nameBase);
      hi = b === undefined ? (stepText === undefined ? lo : max) : parseValue(b, min, names, nameBase);
    }
    if (!(lo >= min && hi <= max && lo <= hi)) throw new CronError(`${label}: "${part}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a cron expression; throws CronError naming the bad field. */
export function parseCron(expression: string): CronSpec {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new CronError('A cron expression has five fields: minute hour day-of-month month day-of-week');
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const weekdaysCron = parseField(dow, 0, 7, 'day-of-week', WEEKDAYS, 0);
  const weekdays = new Set([...weekdaysCron].map((d) => (d === 0 ? 7 : d)));
  return {
    minutes: parseField(mi, 0, 59, 'minute'),
    hours: parseField(h, 0, 23, 'hour'),
    days: parseField(dom, 1, 31, 'day-of-month'),
    months: parseField(mon, 1, 12, 'month', MONTHS, 1),
    weekdays,
    dayRestricted: dom !== '*',
    weekdayRestricted: dow !== '*',
  };
}

/** The problem with an expression, or null when it parses. */
export function cronProblem(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

function dayMatches(spec: CronSpec, d: DateTime): boolean {
  if (!spec.months.has(d.month)) return false;
  const dayOk = spec.days.has(d.day);
  const weekdayOk = spec.weekdays.has(d.weekday);
  if (spec.dayRestricted && spec.weekdayRestricted) return dayOk || weekdayOk;
  if (spec.dayRestricted) return dayOk;
  if (spec.weekdayRestricted) return weekdayOk;
  return true;
}

/** The first fire strictly after `after`, in zone `tz`; null if none within 5 years. */
export function nextCronFire(spec: CronSpec, after: Date, tz: string): Date | null {
  const start = DateTime.fromJSDate(after, { zone: tz }).startOf('minute').plus({ minutes: 1 });
  const hours = [...spec.hours].sort((a, b) => a - b);
  const minutes = [...spec.minutes].sort((a, b) => a - b);
  let day = start.startOf('day');
  for (let i = 0; i < 366 * 5; i++, day = day.plus({ days: 1 })) {
    if (!dayMatches(spec, day)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: tz });
        // A local time skipped by a DST change moves forward; keep the day it was meant for.
        if (at.day !== day.day) continue;
        if (at.toMillis() >= start.toMillis()) return at.toJSDate();
      }
    }
  }
  return null;
}
