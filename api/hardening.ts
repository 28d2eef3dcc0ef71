import type { Socket } from 'node:net';
import helmet from '@fastify/helmet';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { checkRequestValues } from '../domain';
import type { HardeningSettings } from '../config/security';
import { installLimits, type LimitedRoute, type Limits } from './limits';

export { DEFAULT_HARDENING, type HardeningSettings } from '../config/security';

// Node's cap on the request line plus headers (its default). A longer URL is answered 431 by Node
// itself, which is why the client-error handler below must speak {type, message} too.
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PARAM_LENGTH = 100;

/**
 * The routes that are rate limited, by method and path as declared. On open routes the limit runs
 * first: a flood is refused before any query or password hash is paid for. On an admin route it runs
 * after the guard, so that strangers cannot use up an admin's budget.
 */
const LIMITED: Record<string, { limit: LimitedRoute; afterGuard?: true }> = {
  'POST /auth/user/emailpass': { limit: 'login' },
  'POST /auth/user/emailpass/register': { limit: 'register' },
  'POST /auth/user/emailpass/reset-password': { limit: 'reset' },
  'POST /auth/user/emailpass/update': { limit: 'resetUpdate' },
  'POST /admin/invites/accept': { limit: 'accept' },
  'POST /admin/invites/:id/resend': { limit: 'resend', afterGuard: true },
};

function rawAnswer(socket: Socket, status: number, reason: string, body: { type: string; message: string }): void {
  const json = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
}

/**
 * Fastify options for answers that never reach a route: a request Node could not parse (431 headers
 * too large, 400 malformed) and a URL the router refuses (414 a path segment too long, 400 bad
 * escapes). Each is `{type, message}`, and none repeats the offending URL.
 */
export function hardenedServerOptions(s: HardeningSettings): Partial<FastifyServerOptions> {
  return {
    trustProxy: s.trustProxy,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        return reply.code(414).send({
          type: 'invalid_data',
          message: `Invalid request: a path segment is longer than ${MAX_PARAM_LENGTH} characters`,
        });
      }
      return reply.code(400).send({ type: 'invalid_data', message: 'Invalid request: the URL is malformed' });
    },
    clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      if (err.code === 'HPE_HEADER_OVERFLOW') {
        rawAnswer(socket, 431, 'Request Header Fields Too Large', {
          type: 'invalid_data',
          message: `Invalid request: the URL and headers exceed ${MAX_HEADER_BYTES / 1024} KB`,
        });
      } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        rawAnswer(socket, 408, 'Request Timeout', {
          type: 'invalid_data',
          message: 'Invalid request: the request was not received in time',
        });
      } else {
        rawAnswer(socket, 400, 'Bad Request', { type: 'invalid_data', message: 'Invalid request: malformed HTTP' });
      }
      socket.destroy(err);
    },
  } as Partial<FastifyServerOptions>;
}

/**
 * Security headers (helmet), no caching of any API answer (several carry tokens), every request value
 * checked for what PostgreSQL cannot store before anything else sees it, and the rate limits. Must be
 * installed before the routes (it adds the limits to them as they are declared).
 */
export async function installHardening(app: FastifyInstance, s: HardeningSettings): Promise<Limits> {
  await app.register(helmet, { global: true });
  app.addHook('onSend', async (req, reply, payload) => {
    // Bearer tokens, invite tokens and user data: nothing may be kept by a browser or a proxy cache.
    // The web app's static files (/app) carry none and set their own caching (api/web-app.ts).
    if (!req.url.startsWith('/docs') && !/^\/app(\/|\?|$)/.test(req.url)) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('preValidation', async (req) => {
    checkRequestValues(req.params, 'params');
    checkRequestValues(req.query, 'query');
    checkRequestValues(req.body, 'body');
  });
  const limits = await installLimits(app, s.limits);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const limited = methods.map((m) => LIMITED[`${m} ${route.url}`]).find(Boolean);
    if (!limited) return;
    const existing = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
    const guard = limits.guard(limited.limit);
    route.preHandler = (limited.afterGuard ? [...existing, guard] : [guard, ...existing]) as typeof route.preHandler;
  });
  return limits;
}
