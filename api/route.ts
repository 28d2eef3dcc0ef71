import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_STATUS, ERROR_TYPES, policyKey, type ErrorType, type PolicyRef } from '../domain';
import type { authGuards } from './guards';
import { validate } from './validation';

type Guards = ReturnType<typeof authGuards>;

/** An error answer, as api/errors.ts sends it. */
export const errorReply = z
  .object({ type: z.enum([...ERROR_TYPES, 'unknown_error']), message: z.string(), code: z.string().optional() })
  .meta({ description: "An error: its type (Medusa's) and a message for people" });

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  summary: string;
  /** `registered`: a live user's bearer or session; `unregistered`: any valid bearer (e.g. from register); `optional`; none when omitted. */
  guard?: Exclude<keyof Guards, 'authorize'>;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer on success (documentation: the handler's return value is sent as it is). */
  reply?: R;
  /** Success status; 200 unless said. */
  status?: number;
  /** The business errors this route may answer with, beyond invalid_data (any route) and unauthorized (guarded routes). */
  errors?: readonly ErrorType[];
  description?: string;
  /**
   * RBAC: the policies the caller must hold (all of them), checked after the guard against the caller's
   * roles as they are now; `[]` for the few admin routes that need none (/admin/users/me). Required on
   * every `registered` route under /admin/ (a start-up error otherwise); shown in the OpenAPI.
   */
  policies?: readonly PolicyRef[];
}

/** `policy('invite', 'create')`: one route's requirement, as the route declares it. */
export const policy = (resource: string, operation: string): PolicyRef => ({ resource, operation });

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Declares routes in a few lines each: guard, params, query, body and summary once; the same zod
 * schemas validate (params, then query, then body, after the guard, with Medusa's messages) and
 * become the OpenAPI at /docs, with the success and error answers.
 */
export function routes(app: FastifyInstance, guards: Guards, tag: string) {
  function add(method: 'GET' | 'POST' | 'DELETE') {
    return <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
      url: string,
      spec: RouteSpec<P, Q, B, R>,
      handler: (input: RouteInput<P, Q, B>) => Promise<unknown>,
    ) => {
      if (spec.guard === 'registered' && url.startsWith('/admin/') && !spec.policies) {
        throw new Error(`${method} ${url}: an admin route declares its RBAC policies (api/route.ts)`);
      }
      const required = spec.policies ?? [];
      const errorTypes = new Set<ErrorType>([
        'invalid_data',
        ...(spec.guard ? (['unauthorized'] as const) : []),
        ...(spec.policies ? (['forbidden'] as const) : []),
        ...(spec.errors ?? []),
      ]);
      const requires = required.length ? `Requires the policies: ${required.map(policyKey).join(', ')}.` : undefined;
      const description = [spec.description, requires].filter(Boolean).join('\n\n');
      const response: Record<number, z.ZodType> = {};
      if (spec.reply) response[spec.status ?? 200] = spec.reply;
      for (const type of errorTypes) response[ERROR_STATUS[type]] = errorReply;
      app.route({
        method,
        url,
        preHandler: spec.guard
          ? spec.policies
            ? [guards[spec.guard], async (req: FastifyRequest) => guards.authorize(req, required)]
            : guards[spec.guard]
          : undefined,
        schema: {
          tags: [tag],
          summary: spec.summary,
          ...(description && { description }),
          ...(spec.policies && { 'x-policies': required.map(policyKey) }),
          // Only the parts a route has: fastify warns about a part given as undefined.
          ...(spec.params && { params: spec.params }),
          ...(spec.query && { querystring: spec.query }),
          ...(spec.body && { body: spec.body }),
          response,
          ...(spec.guard && spec.guard !== 'optional'
            ? {}
            : { security: spec.guard === 'optional' ? [{ bearer: [] }, {}] : [] }),
        },
        handler: async (req, reply) => {
          const params = (spec.params ? validate(spec.params, req.params) : undefined) as Out<P>;
          const query = (spec.query ? validate(spec.query, req.query) : undefined) as Out<Q>;
          const body = (spec.body ? validate(spec.body, req.body) : undefined) as Out<B>;
          return handler({ params, query, body, req, reply });
        },
      });
    };
  }
  return { get: add('GET'), post: add('POST'), delete: add('DELETE') };
}
