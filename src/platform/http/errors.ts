import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isAppError, type ErrorKind } from '../errors.ts';
import { issuesToDetails } from '../validation.ts';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details !== undefined ? { details } : {}) } };
  return reply.status(status).type('application/json').send(body);
}

const LOCATION: Record<string, string> = { body: '', querystring: 'query.', params: 'params.', headers: 'headers.' };

/** The one place errors become HTTP responses: `{ error: { code, message, details } }`. */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isAppError(err)) {
    const status = STATUS[err.kind];
    if (status >= 500) request.log.error({ err }, err.message);
    return sendError(reply, status, err.code, err.message, err.details);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const prefix = LOCATION[err.validationContext ?? 'body'] ?? '';
    const issues = err.validation.map((v) => ({
      code: v.keyword,
      path: v.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message: v.message ?? 'Invalid value',
      keys: (v.params as { keys?: string[] }).keys,
      params: (v.params as { params?: { reason?: unknown } }).params,
    }));
    return sendError(reply, 400, 'validation_failed', 'The request is not valid', issuesToDetails(issues, prefix));
  }
  if (isResponseSerializationError(err)) {
    request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
    return sendError(reply, 500, 'internal_error', 'Internal error');
  }
  const status = err.statusCode ?? 500;
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && status === 400)) {
    return sendError(reply, 400, 'invalid_json', `The body is not valid JSON: ${err.message}`);
  }
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 400, 'invalid_json', 'The body is empty');
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'payload_too_large', err.message);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'unsupported_media_type', err.message);
  if (status === 429) return sendError(reply, 429, 'rate_limited', 'Too many requests; try again later');
  if (status >= 400 && status < 500) return sendError(reply, status, 'bad_request', err.message);
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, 'internal_error', 'Internal error');
}
