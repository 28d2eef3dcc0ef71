import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth';
import { unauthorized } from '../domain';
import { presentedToken, type Session, type Sessions } from './sessions';

export { SESSION_COOKIE, presentedToken } from './sessions';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
    /** The server-side session the bearer or cookie names (logout ends it). */
    session?: Session;
  }
}

/** Who makes the request (undefined: nobody, 401); replaces usermod's own sessions when given. */
export type AuthHook = (req: FastifyRequest) => Promise<AuthContext | undefined>;

/**
 * Route guards; every one checks the session server-side (api/sessions.ts): a logged-out, reset,
 * removed or expired session is refused at once.
 * `registered`: a live user. `unregistered`: any live session, e.g. the one `register` returns before
 * an invite is accepted. `optional`: checked when a token is given (the one-step invite accept).
 */
export function authGuards(sessions: Sessions & { authenticate?: AuthHook }) {
  async function fromRequest(req: FastifyRequest): Promise<void> {
    // An application embedding the admin API (api/plugin.ts) may authenticate its own way.
    if (sessions.authenticate) {
      const auth = await sessions.authenticate(req);
      if (!auth) throw unauthorized('Unauthorized');
      req.auth = auth;
      return;
    }
    const token = presentedToken(req);
    if (!token) throw unauthorized('Unauthorized');
    const session = await sessions.check(token);
    req.session = session;
    req.auth = session.auth;
  }
  return {
    async registered(req: FastifyRequest, _reply: FastifyReply) {
      await fromRequest(req);
      if (!req.auth!.actor_id) throw unauthorized('Unauthorized');
    },
    async unregistered(req: FastifyRequest, _reply: FastifyReply) {
      await fromRequest(req);
    },
    async optional(req: FastifyRequest, _reply: FastifyReply) {
      if (presentedToken(req)) await fromRequest(req);
    },
  };
}
