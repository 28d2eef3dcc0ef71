import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth';
import { basicApiKey } from '../auth/api-key';
import {
  BEARER_SECRET_KEY_MESSAGE,
  FORBIDDEN_MESSAGE,
  forbidden,
  insufficientMessage,
  missingPolicies,
  unauthorized,
  type Grantor,
  type PolicyRef,
} from '../domain';
import { presentedToken, type Session, type Sessions } from './sessions';

export { SESSION_COOKIE, presentedToken } from './sessions';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
    /** The server-side session the bearer or cookie names (logout ends it). */
    session?: Session;
    /** RBAC: who the caller acts as (a user, or an API key with its own roles). */
    grantor?: Grantor;
    /** RBAC: the policy keys the caller holds, read from the database for this request. */
    held?: string[];
    /** A secret API key authenticated this request (`Authorization: Basic sk_…`): it acts with its own roles. */
    apiKey?: { id: string };
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
    if (/^Bearer\s+sk_/i.test(req.headers.authorization ?? '')) throw unauthorized(BEARER_SECRET_KEY_MESSAGE);
    const token = presentedToken(req);
    if (!token) throw unauthorized('Unauthorized');
    const session = await sessions.check(token);
    req.session = session;
    req.auth = session.auth;
  }
  return {
    /** A live user's bearer or session, or (admin routes only) a secret API key sent as HTTP Basic. */
    async registered(req: FastifyRequest, _reply: FastifyReply) {
      const secret = basicApiKey(req.headers.authorization);
      if (secret) {
        const id = await sessions.apiKey(secret);
        if (!id) throw unauthorized('Unauthorized');
        req.apiKey = { id };
        return;
      }
      await fromRequest(req);
      if (!req.auth!.actor_id) throw unauthorized('Unauthorized');
    },
    async unregistered(req: FastifyRequest, _reply: FastifyReply) {
      await fromRequest(req);
    },
    async optional(req: FastifyRequest, _reply: FastifyReply) {
      if (presentedToken(req)) await fromRequest(req);
    },
    /**
     * RBAC, after a `registered` guard: the caller's roles as they are now (read per request, never
     * from the token, so a removed role fails the very next request). No role: 403 Forbidden; a missing
     * policy: 403 naming every policy the route requires.
     */
    async authorize(req: FastifyRequest, required: readonly PolicyRef[]) {
      const grantor: Grantor = req.apiKey
        ? { type: 'api_key', id: req.apiKey.id }
        : { type: 'user', id: req.auth!.actor_id };
      const { roles, keys } = await sessions.permissionsOf(grantor);
      req.grantor = grantor;
      req.held = keys;
      if (required.length === 0) return;
      if (roles.length === 0) throw forbidden(FORBIDDEN_MESSAGE);
      if (missingPolicies(keys, required).length) throw forbidden(insufficientMessage(required.map(policyKeyOf)));
    },
  };
}

const policyKeyOf = (p: PolicyRef) => `${p.resource}:${p.operation}`;
