/**
 * Domain errors with stable codes. Domain code throws these; the HTTP layer maps
 * `kind` to a status code in one place (platform/http/errors.ts).
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface ErrorDetail {
  /** Path of the offending field, e.g. `events[3].occurred_at`. */
  field?: string;
  /** Machine-readable reason, e.g. `invalid_date`. */
  reason: string;
  message?: string;
  [extra: string]: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: ErrorDetail[] | Record<string, unknown> | undefined;

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const invalid = (code: string, message: string, details?: ErrorDetail[]) =>
  new AppError('invalid', code, message, details);
export const notFound = (code: string, message = 'Not found') => new AppError('not_found', code, message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', code, message, details);
export const forbidden = (code: string, message: string) => new AppError('forbidden', code, message);
export const unauthenticated = (code: string, message: string) => new AppError('unauthenticated', code, message);

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
