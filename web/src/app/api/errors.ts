import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from './client.ts';

function fieldName(field: string): string {
  const bare = field.replace(/^(query|params|headers)\./, '');
  return bare.split(/[.[]/)[0] ?? bare;
}

function fieldLabel(t: TFunction, field: string): string {
  const name = fieldName(field);
  return t(`fields.${name}`, { defaultValue: name });
}

/**
 * The words for a field problem's reason: an area's own (`<area>.reasons.<reason>`) when given
 * and defined, else the console's (`reasons.<reason>`), else the server's message.
 */
export function reasonText(t: TFunction, reason: string, message?: string, area?: string): string {
  if (area) {
    const own = t(`${area}.reasons.${reason}`, { defaultValue: '' });
    if (typeof own === 'string' && own) return own;
  }
  return t(`reasons.${reason}`, { defaultValue: message ?? reason });
}

/** A sentence for the user, chosen by the error's stable code; the server's message is the fallback. */
export function describeError(t: TFunction, err: unknown): string {
  if (err instanceof NetworkError) return t('errors.network');
  if (!(err instanceof ApiError)) return t('errors.unknown', { message: err instanceof Error ? err.message : String(err) });
  if (err.code === 'validation_failed' || err.fieldDetails.length > 0) {
    const parts = err.fieldDetails.map((d) => {
      const label = d.field ? fieldLabel(t, d.field) : '';
      const reason = reasonText(t, d.reason, d.message);
      return label ? t('errors.fieldProblem', { field: label, reason }) : reason;
    });
    if (err.code === 'validation_failed') return t('errors.validation_failed', { fields: parts.join(t('errors.listSeparator')) || err.message });
  }
  if (err.code === 'auth.locked') {
    const until = (err.details as { lockedUntil?: unknown } | undefined)?.lockedUntil;
    if (typeof until !== 'string') return t('errors.auth.lockedNoTime');
    return t('errors.auth.locked', { until: new Date(until).toLocaleTimeString() });
  }
  const key = `errors.${err.code}`;
  return t(key, { defaultValue: err.message || err.code });
}

/**
 * Puts field-level server errors onto the matching form fields.
 * Returns true when at least one was shown next to its field.
 */
export function applyFieldErrors(t: TFunction, form: FormInstance, err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const fields = err.fieldDetails
    .filter((d) => d.field && known.has(fieldName(d.field)))
    .map((d) => ({
      name: fieldName(d.field!),
      errors: [reasonText(t, d.reason, d.message)],
    }));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
