import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifySessionToken, type AuthContext } from '../auth';
import { UsermodError, unauthorized } from '../domain';
import type { Store } from '../store';

export const SESSION_COOKIE = 'usermod_session';

export function presentedToken(req: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/**
 * Route guards. `registered`: a live user (a deleted user's token stops working at once).
 * `unregistered`: any valid token, e.g. the one `register` returns before an invite is accepted.
 */
export function authGuards(store: Store, secret: string) {
  async function fromRequest(req: FastifyRequest): Promise<AuthContext> {
    const token = presentedToken(req);
    if (!token) throw unauthorized('Unauthorized');
    return verifySessionToken(token, secret);
  }
  return {
    async registered(req: FastifyRequest, _reply: FastifyReply) {
      const auth = await fromRequest(req);
      if (!auth.actor_id) throw unauthorized('Unauthorized');
      // Only "no such user" means the token is no good; a database that does not answer is a 503.
      await store.retrieveUser(auth.actor_id).catch((err: unknown) => {
        throw err instanceof UsermodError && err.type === 'not_found' ? unauthorized('Unauthorized') : err;
      });
      req.auth = auth;
    },
    async unregistered(req: FastifyRequest, _reply: FastifyReply) {
      req.auth = await fromRequest(req);
    },
    /** Auth when a token is given, none otherwise (the one-step invite accept). */
    async optional(req: FastifyRequest, _reply: FastifyReply) {
      if (presentedToken(req)) req.auth = await fromRequest(req);
    },
  };
}
