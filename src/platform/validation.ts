import type { z } from 'zod';
import { invalid, type ErrorDetail } from './errors.ts';

/** Formats a path like ['events', 3, 'occurred_at'] as `events[3].occurred_at`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return prefix + out;
}

interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
  /** A custom issue's own reason (`ctx.addIssue({ code: 'custom', params: { reason } })`). */
  params?: { reason?: unknown } | undefined;
}

/** One detail per offending field; unknown keys are each named. */
export function issuesToDetails(issues: readonly IssueLike[], prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        details.push({ field: formatPath([...issue.path, key], prefix), reason: 'unknown_field', message: 'Unknown field' });
      }
      continue;
    }
    const own = issue.code === 'custom' && typeof issue.params?.reason === 'string' ? issue.params.reason : null;
    details.push({ field: formatPath(issue.path, prefix), reason: own ?? issue.code, message: issue.message });
  }
  return details;
}

/** Parses with a zod schema, throwing `validation_failed` with field-level details. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = '', code = 'validation_failed'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(code, 'The request is not valid', issuesToDetails(result.error.issues, prefix));
}
