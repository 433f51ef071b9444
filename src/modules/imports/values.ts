/**
 * Parsing the cell values of platform exports: amounts, quantities and local times. Pure
 * functions; every failure is a reason code the row error report shows.
 */
import { DateTime } from 'luxon';
import { parseYuanToFen } from '../../platform/money.ts';

export type AmountUnit = 'yuan' | 'fen';
export type Rounding = 'exact' | 'half_up';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string, message: string): Parsed<T> => ({ ok: false, reason, message });

/** Currency symbols, spaces and thousands separators that exports put around numbers. */
const NOISE_RE = /[\s¥￥£$€,，]|^CNY|^RMB|^GBP|元$/g;

function clean(text: string): string {
  return text.replace(NOISE_RE, '');
}

/** A decimal as an integer count of 10^-scale units ("2.55" → { units: 255, scale: 2 }). */
export interface Decimal {
  units: number;
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d{0,6}))?$/;

export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(clean(text));
  if (!m) return null;
  const frac = m[3] ?? '';
  const units = Number(m[2]! + frac);
  if (!Number.isSafeInteger(units)) return null;
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

/** Rounds a decimal amount of yuan (major units) to fen, half away from zero. */
function decimalToFen(d: Decimal): number {
  if (d.scale <= 2) return d.units * 10 ** (2 - d.scale);
  const div = 10 ** (d.scale - 2);
  const sign = d.units < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(d.units) + div / 2) / div);
}

/**
 * An amount in fen. Yuan values are parsed exactly (money.ts); with `half_up` rounding a
 * value finer than a fen (UCI's £0.001) is rounded instead of rejected.
 */
export function parseAmount(text: string, unit: AmountUnit, rounding: Rounding = 'exact'): Parsed<number> {
  const cleaned = clean(text);
  if (unit === 'fen') {
    if (!/^-?\d+$/.test(cleaned) || !Number.isSafeInteger(Number(cleaned))) {
      return fail('invalid_amount', `"${text}" is not a whole number of fen`);
    }
    return ok(Number(cleaned));
  }
  const exact = parseYuanToFen(cleaned);
  if (exact !== null) return ok(exact);
  const d = parseDecimal(cleaned);
  if (!d) return fail('invalid_amount', `"${text}" is not an amount`);
  if (rounding === 'exact') return fail('invalid_amount', `"${text}" has more than two decimals`);
  return ok(decimalToFen(d));
}

/** quantity × unit price in fen, computed exactly and rounded once (half away from zero). */
export function lineAmountFen(quantity: number, unitPriceText: string, unit: AmountUnit, rounding: Rounding): Parsed<number> {
  if (unit === 'fen') {
    const price = parseAmount(unitPriceText, 'fen');
    return price.ok ? ok(price.value * quantity) : price;
  }
  const d = parseDecimal(unitPriceText);
  if (!d) return fail('invalid_amount', `"${unitPriceText}" is not an amount`);
  if (d.scale > 2 && rounding === 'exact') return fail('invalid_amount', `"${unitPriceText}" has more than two decimals`);
  const units = d.units * quantity;
  if (!Number.isSafeInteger(units)) return fail('invalid_amount', `${quantity} × ${unitPriceText} is too large`);
  return ok(decimalToFen({ units, scale: d.scale }));
}

export function parseQuantity(text: string): Parsed<number> {
  const cleaned = clean(text).replace(/\.0+$/, '');
  if (!/^[+-]?\d+$/.test(cleaned)) return fail('invalid_quantity', `"${text}" is not a whole quantity`);
  const n = Number(cleaned);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 1_000_000_000) return fail('invalid_quantity', `"${text}" is out of range`);
  return ok(n);
}

export const DEFAULT_DATE_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy/M/d H:mm:ss',
  'yyyy/M/d H:mm',
  'yyyy-MM-dd',
  'yyyy/M/d',
];

/**
 * Parses local times of one export (one time zone, a list of formats tried in order).
 * Exports repeat the same timestamps on many rows (every line of an order), so results are
 * cached: luxon's format parser costs microseconds per call.
 */
export class LocalTimeParser {
  readonly #zone: string;
  readonly #formats: readonly string[];
  readonly #cache = new Map<string, Date | null>();

  constructor(zone: string, formats: readonly string[] = DEFAULT_DATE_FORMATS) {
    this.#zone = zone;
    this.#formats = formats;
  }

  parse(text: string): Parsed<Date> {
    const key = text.trim();
    let hit = this.#cache.get(key);
    if (hit === undefined) {
      hit = this.#parseUncached(key);
      if (this.#cache.size > 200_000) this.#cache.clear();
      this.#cache.set(key, hit);
    }
    if (hit) return ok(hit);
    return fail('invalid_date', `"${text}" is not a date in a known format (${this.#formats.join(', ')}) or ISO 8601`);
  }

  #parseUncached(text: string): Date | null {
    for (const format of this.#formats) {
      const dt = DateTime.fromFormat(text, format, { zone: this.#zone });
      if (dt.isValid) return dt.toJSDate();
    }
    const iso = DateTime.fromISO(text.replace(' ', 'T'), { zone: this.#zone, setZone: true });
    return iso.isValid ? iso.toJSDate() : null;
  }
}

export function isValidTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}
