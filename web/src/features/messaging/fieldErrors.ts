import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../../app/api/client.ts';
import { reasonText } from '../../app/api/errors.ts';

type NamePath = (string | number)[];

/** `caps.channels.sms.daily` or `adLaw.blockTerms[2]` as a form name path. */
function pathOf(field: string): NamePath {
  const parts: NamePath = [];
  for (const m of field.replace(/^body\./, '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return parts;
}

/**
 * Puts field-level server errors on the nested form fields they name (the nearest registered
 * field: `adLaw.blockTerms[2]` lands on the terms list). Returns the details no field took.
 */
export function applyNestedFieldErrors(t: TFunction, form: FormInstance, err: unknown): { placed: number; rest: string[] } {
  if (!(err instanceof ApiError)) return { placed: 0, rest: [] };
  const registered = form.getFieldsError().map((f) => JSON.stringify(f.name));
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  for (const d of err.fieldDetails) {
    const text = reasonText(t, d.reason, d.message, 'messaging');
    const path = d.field ? pathOf(d.field) : [];
    let name: NamePath | null = null;
    for (let n = path.length; n > 0 && !name; n--) {
      if (registered.includes(JSON.stringify(path.slice(0, n)))) name = path.slice(0, n);
    }
    if (!name) {
      rest.push(d.field ? `${d.field}: ${text}` : text);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(text);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return { placed: byField.size, rest };
}

/** Clears the errors a form shows (before saving again, or once the user edits a value). */
export function clearFieldErrors(form: FormInstance): void {
  const shown = form.getFieldsError().filter((f) => f.errors.length > 0);
  if (shown.length) form.setFields(shown.map((f) => ({ name: f.name, errors: [] })));
}
