/** Tag errors in words: the area's own codes and reasons first, then the console's shared ones. */
import type { TFunction } from 'i18next';
import { ApiError } from '../../app/api/client.ts';
import { describeError } from '../../app/api/errors.ts';

/** A sentence for a failed tag request, chosen by the error's stable code. */
export function describeTagError(t: TFunction, err: unknown): string {
  if (err instanceof ApiError && err.code !== 'validation_failed') {
    const own = t(`tagging.errors.${err.code}`, { defaultValue: '' });
    if (typeof own === 'string' && own) return own;
  }
  return describeError(t, err);
}
