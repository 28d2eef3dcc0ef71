import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_STATUS, UsermodError } from '../domain';

/** Every error answers `{ type, message }` with its proper status: never a stack trace, never a 500 for bad input. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | UsermodError | Error, req, reply) => {
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
      // Fastify's own request errors: bad JSON, wrong content type, body too large...
      return reply
        .code(status === 415 || status === 413 ? status : 400)
        .send({ type: 'invalid_data', message: `Invalid request: ${err.message}` });
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
