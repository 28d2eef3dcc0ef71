import type { FastifyError, FastifyInstance } from 'fastify';
import { isTemporalUnavailable } from '../client/idempotency';
import { FlowUndone } from '../client/run';
import { isDatabaseUnavailable } from '../store/db-errors';
import { UsermodError, type ErrorType } from '../store/errors';
import { RetryLater } from './retry-later';

export const STATUS: Record<ErrorType, number> = {
  not_found: 404,
  invalid_data: 400,
  not_allowed: 400,
  unauthorized: 401,
  conflict: 409,
  duplicate_error: 422,
};

/** Every error answers `{ type, message }` with its proper status: never a stack trace, never a 500 for bad input. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | UsermodError | Error, req, reply) => {
    if (err instanceof RetryLater) {
      return reply.code(err.status).header('retry-after', String(err.retryAfterSeconds)).send({ type: err.type, message: err.message });
    }
    // Not the caller's fault and not a bug: a part that does not answer. Honest 503, retry later
    // (never the 401 or 500 a dead database or Temporal used to produce).
    if (isDatabaseUnavailable(err)) {
      return reply.code(503).header('retry-after', '5').send({ type: 'unavailable', message: 'The database is not answering; try again shortly' });
    }
    if (isTemporalUnavailable(err)) {
      return reply.code(503).header('retry-after', '5').send({ type: 'unavailable', message: 'The workflow service is not answering; try again shortly' });
    }
    if (err instanceof FlowUndone) {
      return reply.code(503).header('retry-after', '5').send({ type: 'unavailable', message: err.message });
    }
    if (err instanceof UsermodError) {
      return reply.code(STATUS[err.type]).send({ type: err.type, message: err.message, ...(err.type === 'duplicate_error' ? { code: 'invalid_request_error' } : {}) });
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own request errors: bad JSON, wrong content type, body too large...
      // Their messages may quote a header (a content type): never more than a short line of it.
      const message = err.message.length > 160 ? `${err.message.slice(0, 160)}…` : err.message;
      return reply.code(status === 415 || status === 413 ? status : 400).send({ type: 'invalid_data', message: `Invalid request: ${message}` });
    }
    req.log.error({ err: { name: err.name, message: err.message } }, 'unhandled error');
    return reply.code(500).send({ code: 'unknown_error', type: 'unknown_error', message: 'An unknown error occurred.' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ type: 'not_found', message: `Route ${req.method} ${req.url.split('?')[0]} not found` }));
}
