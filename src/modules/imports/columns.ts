/**
 * Binds a mapping to a file's header: every column the mapping names must be in the header
 * (a missing one is reported once, against the header line, instead of on every row).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { cleanCell } from './csv-reader.ts';
import type { IdentityValue, RowError } from './import-types.ts';
import type { IdentityMapping, SkipRule, Source } from './mapping.ts';

/** A value reader bound to column positions; returns '' for an empty or absent value. */
export interface Field {
  column: string | null;
  read(values: readonly string[]): string;
}

const normalizeHeader = (h: string) => cleanCell(h).replace(/\s+/g, '').toLowerCase();

export class HeaderBinder {
  readonly header: string[];
  readonly missing: string[] = [];
  readonly #exact = new Map<string, number>();
  readonly #loose = new Map<string, number>();

  constructor(header: readonly string[]) {
    this.header = header.map(cleanCell);
    this.header.forEach((h, i) => {
      if (!this.#exact.has(h)) this.#exact.set(h, i);
      const loose = normalizeHeader(h);
      if (!this.#loose.has(loose)) this.#loose.set(loose, i);
    });
  }

  /** Position of a column: exact name first, then ignoring case and spaces. */
  indexOf(column: string, optional = false): number {
    const i = this.#exact.get(column) ?? this.#loose.get(normalizeHeader(column));
    if (i === undefined) {
      if (!optional && !this.missing.includes(column)) this.missing.push(column);
      return -1;
    }
    return i;
  }

  /** A column reader; an optional column may be absent from the header (it reads as `fallback`). */
  column(name: string, pattern?: string, fallback = '', optional = false): Field {
    const i = this.indexOf(name, optional);
    const re = pattern ? new RegExp(pattern) : null;
    return {
      column: name,
      read: (values) => {
        const v = i < 0 ? '' : cleanCell(values[i] ?? '');
        if (!re) return v || fallback;
        const m = re.exec(v);
        return (m ? (m[1] ?? m[0]) : '') || fallback;
      },
    };
  }

  source(source: Source): Field;
  source(source: Source | undefined): Field | null;
  source(source: Source | undefined): Field | null {
    if (source === undefined) return null;
    if (typeof source === 'string') return this.column(source);
    if ('value' in source) {
      const constant = source.value;
      return { column: null, read: () => constant };
    }
    return this.column(source.column, source.pattern, source.default, source.default !== undefined);
  }
}

export function missingColumnErrors(binder: HeaderBinder, file: string, headerLine: number): RowError[] {
  return binder.missing.map((column) => ({
    file,
    line: headerLine,
    column,
    value: null,
    reason: 'missing_column',
    message: `The mapping reads column "${column}", which is not in the file's header (columns: ${binder.header.join(', ')})`,
  }));
}

export interface SkipCheck {
  reason: string;
  test(values: readonly string[]): boolean;
}

export function bindSkipRules(binder: HeaderBinder, rules: readonly SkipRule[]): SkipCheck[] {
  return rules.map((rule) => {
    const field = binder.column(rule.column);
    const re = rule.pattern ? new RegExp(rule.pattern) : null;
    const values = new Set(rule.values ?? []);
    const reason =
      rule.reason ??
      (rule.when === 'empty' ? `${rule.column} is empty` : `${rule.column} ${rule.when === 'equals' ? 'is one of the skipped values' : 'matches the skip pattern'}`);
    const test =
      rule.when === 'empty'
        ? (v: string) => v === ''
        : rule.when === 'equals'
          ? (v: string) => values.has(v)
          : (v: string) => !!re && re.test(v);
    return { reason, test: (row) => test(field.read(row)) };
  });
}

export interface BoundIdentity {
  mapping: IdentityMapping;
  field: Field;
}

export function bindIdentities(binder: HeaderBinder, identities: readonly IdentityMapping[]): BoundIdentity[] {
  return identities.map((mapping) => ({ mapping, field: binder.column(mapping.column, mapping.pattern, '', mapping.optional) }));
}

/** Normalises a mobile number to E.164 (Chinese numbers without +86 too); null if not a number. */
export function normalizeMobile(text: string): string | null {
  const compact = text.replace(/[\s-]/g, '');
  if (!/^\+?\d{6,16}$/.test(compact)) return null;
  const phone = parsePhoneNumberFromString(compact, 'CN');
  return phone?.isValid() ? phone.number : null;
}

/**
 * Reads the customer identities of a row. Empty values are absent; invalid ones (a masked
 * mobile) are errors or ignored as the mapping says.
 */
export function readIdentities(bound: readonly BoundIdentity[], values: readonly string[], errors: Omit<RowError, 'file' | 'line'>[]): IdentityValue[] {
  const out: IdentityValue[] = [];
  for (const { mapping, field } of bound) {
    const raw = field.read(values);
    if (!raw) continue;
    let value: string | null = raw;
    if (mapping.type === 'mobile') value = normalizeMobile(raw);
    else if (raw.length > 200) value = null;
    if (value === null) {
      if (mapping.onInvalid === 'error') {
        errors.push({ column: field.column, value: raw, reason: 'invalid_identity', message: `"${raw}" is not a valid ${mapping.type}` });
      }
      continue;
    }
    if (!out.some((o) => o.type === mapping.type && o.scope === mapping.scope && o.value === value)) {
      out.push({ type: mapping.type, scope: mapping.scope, value, verified: mapping.verified });
    }
  }
  return out;
}
