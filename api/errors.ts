import type { FastifyError, FastifyInstance } from 'fastify';
import { isTemporalUnavailable } from '../client/idempotency';
import { WorkflowFailedError } from '@temporalio/client';
import { ERROR_STATUS, UsermodError } from '../domain';
import { isDatabaseUnavailable } from '../store/db-errors';
import { RetryLater } from './retry-later';

/** Every error answers `{ type, message }` with its proper status: never a stack trace, never a 500 for bad input. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | UsermodError | Error, req, reply) => {
    if (err instanceof RetryLater) {
      return reply
        .code(err.status)
        .header('retry-after', String(err.retryAfterSeconds))
        .send({ type: err.type, message: err.message });
    }
    // Not the caller's fault and not a bug: a part that does not answer, or a flow undone for such a
    // reason. An honest 503 with Retry-After (never the 401 or 500 these used to produce).
    const unavailable = isDatabaseUnavailable(err)
      ? 'The database is not answering; try again shortly'
      : isTemporalUnavailable(err)
        ? 'The workflow service is not answering; try again shortly'
        : // A flow that failed for a reason that was not the caller's: its saga undid it, so it may be sent again.
          err instanceof WorkflowFailedError
          ? 'The request could not be completed and was undone; send it again shortly'
          : undefined;
    if (unavailable)
      return reply.code(503).header('retry-after', '5').send({ type: 'unavailable', message: unavailable });
    if (err instanceof UsermodError) {
      const body = {
        type: err.type,
        message: err.message,
        ...(err.type === 'duplicate_error' ? { code: 'invalid_request_error' } : {}),
      };
      return reply.code(ERROR_STATUS[err.type]).send(body);
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own request errors: bad JSON, wrong content type, body too large... Their messages may
      // quote a header (a content type): never more than a short line of it.
      const message = err.message.length > 160 ? `${err.message.slice(0, 160)}…` : err.message;
      return reply
        .code(status === 415 || status === 413 ? status : 400)
        .send({ type: 'invalid_data', message: `Invalid request: ${message}` });
    }
    req.log.error({ err: { name: err.name, message: err.message } }, 'unhandled error');
    return reply
      .code(500)
      .send({ code: 'unknown_error', type: 'unknown_error', message: 'An unknown error occurred.' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ type: 'not_found', message: `Route ${req.method} ${req.url.split('?')[0]} not found` }),
  );
}
