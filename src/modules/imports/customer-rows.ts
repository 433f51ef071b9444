/**
 * Customer list exports (the WeCom customer list): one row per customer and staff member who
 * added them. Each row is written on its own: identity resolution joins rows of one customer.
 */
import { bindIdentities, bindSkipRules, readIdentities, type HeaderBinder } from './columns.ts';
import type { CustomerProfile, ImportCustomer } from './import-types.ts';
import type { CustomersMapping } from './mapping.ts';
import type { RowProblem } from './order-rows.ts';
import { LocalTimeParser } from './values.ts';

export type CustomerRowResult =
  | { kind: 'row'; customer: Omit<ImportCustomer, 'lines'> }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; problems: RowProblem[] };

const TEXT_KEYS = ['name', 'nickname', 'province', 'city', 'email', 'sourceChannel'] as const;

export function bindCustomerRows(binder: HeaderBinder, m: CustomersMapping): (values: readonly string[]) => CustomerRowResult {
  const skips = bindSkipRules(binder, m.skipRows);
  const identities = bindIdentities(binder, m.identities);
  const text = TEXT_KEYS.map((k) => [k, binder.source(m.profile[k])] as const);
  const joinedAt = binder.source(m.profile.joinedAt);
  const birthday = binder.source(m.profile.birthday);
  const gender = m.profile.gender ? binder.column(m.profile.gender.column) : null;
  const tags = m.tags ? binder.column(m.tags.column) : null;
  const attributes = Object.entries(m.attributes).map(([k, s]) => [k, binder.source(s)] as const);
  const eventProps = Object.entries(m.event?.properties ?? {}).map(([k, s]) => [k, binder.source(s)] as const);
  const times = new LocalTimeParser(m.timeZone, m.dateFormats);
  const width = binder.header.length;

  return (values) => {
    for (const skip of skips) if (skip.test(values)) return { kind: 'skip', reason: skip.reason };
    const problems: RowProblem[] = [];
    if (values.length < width || values.slice(width).some((v) => v.trim() !== '')) {
      return { kind: 'error', problems: [{ column: null, value: null, reason: 'column_count', message: `Expected ${width} columns, found ${values.length}` }] };
    }
    const ids = readIdentities(identities, values, problems);
    if (ids.length === 0 && problems.length === 0) {
      problems.push({ column: m.identities.map((i) => i.column).join(' / '), value: '', reason: 'no_identity', message: 'No customer identity in this row' });
    }
    const profile: CustomerProfile = {};
    for (const [k, field] of text) {
      const v = field?.read(values);
      if (v) profile[k] = v.slice(0, 200);
    }
    const joinedText = joinedAt?.read(values);
    if (joinedAt && joinedText) {
      const t = times.parse(joinedText);
      if (t.ok) profile.joinedAt = t.value;
      else problems.push({ column: joinedAt.column, value: joinedText, reason: t.reason, message: t.message });
    }
    const birthdayText = birthday?.read(values);
    if (birthday && birthdayText) {
      const t = times.parse(birthdayText);
      if (t.ok) profile.birthday = birthdayText.slice(0, 10).replace(/\//g, '-');
      else problems.push({ column: birthday.column, value: birthdayText, reason: t.reason, message: t.message });
    }
    const genderText = gender?.read(values);
    if (gender && genderText && m.profile.gender) {
      const g = m.profile.gender.map[genderText];
      if (g) profile.gender = g;
      else problems.push({ column: gender.column, value: genderText, reason: 'unknown_gender', message: `Unknown gender "${genderText}"` });
    }
    if (m.event && !profile.joinedAt && !problems.length) {
      problems.push({ column: joinedAt?.column ?? null, value: '', reason: 'missing_value', message: `The time of the ${m.event.type} event (profile.joinedAt) is empty` });
    }
    if (problems.length) return { kind: 'error', problems };
    const tagText = tags?.read(values) ?? '';
    const attrs = readAll(attributes, values);
    return {
      kind: 'row',
      customer: {
        identities: ids,
        profile,
        tags: tagText ? splitTags(tagText, m.tags?.separator ?? ',') : [],
        attributes: attrs,
        event: m.event && profile.joinedAt ? { type: m.event.type, occurredAt: profile.joinedAt, properties: readAll(eventProps, values) } : null,
      },
    };
  };
}

function readAll(fields: readonly (readonly [string, { read(v: readonly string[]): string } | null])[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, field] of fields) {
    const v = field?.read(values);
    if (v) out[k] = v.slice(0, 2000);
  }
  return out;
}

function splitTags(text: string, separator: string): string[] {
  const parts = separator === ',' ? text.split(/[,，]/) : text.split(separator);
  return [...new Set(parts.map((t) => t.trim()).filter(Boolean))];
}
